/**
 * Mattermost's official OpenAPI excerpts (`test/contracts/mattermost/`, the contract) plus this
 * folder's supplement (the calls the excerpts do not cover), parsed from YAML and used to check
 * requests and responses: path template, method, query parameters and the JSON body schema.
 *
 * Request bodies are checked strictly: a property the schema does not name is a violation, so a
 * provider cannot quietly send fields a server would ignore. The only exception is the set of
 * properties test/contracts/mattermost/notes.md says 11.x servers added, and only when the server plays an 11.x server.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { eachOperation, findOperation, isObject } from './spec-paths.ts';

export type Schema = Record<string, unknown>;

export interface SpecOperation {
  method: string;
  /** e.g. `/api/v4/users/{user_id}/tokens` */
  template: string;
  operationId: string;
  /** File the operation came from. */
  source: string;
  /** From the shared excerpts (the contract), as opposed to this folder's supplement. */
  fromExcerpt: boolean;
  since11: boolean;
  raw: Record<string, unknown>;
}

export interface RequestToCheck {
  method: string;
  pathname: string;
  query: URLSearchParams;
  /** `undefined` when the request had no body. */
  body: unknown;
}

/** The vendored Mattermost excerpts (see test/contracts/mattermost/PROVENANCE.md). */
export function excerptDir(): string {
  const dir = resolve(import.meta.dirname, '../contracts/mattermost');
  if (!existsSync(join(dir, 'users-tokens.excerpt.yaml'))) throw new Error(`Mattermost OpenAPI excerpts missing in ${dir}`);
  return dir;
}

export const EXCERPT_PATH_FILES = ['users-tokens.excerpt.yaml', 'users-roles-active.excerpt.yaml', 'roles.yaml'];
export const EXCERPT_SCHEMA_FILE = 'definitions-token-role.excerpt.yaml';
const SUPPLEMENT = resolve(import.meta.dirname, 'mattermost-supplement.openapi.yaml');

export class MattermostSpec {
  readonly operations: SpecOperation[];
  readonly schemas: Record<string, Schema>;
  /** Schema names defined by the shared excerpt (as opposed to the supplement). */
  readonly excerptSchemaNames: string[];
  private readonly since11Props: Record<string, Record<string, Schema>>;

  private constructor(
    operations: SpecOperation[],
    schemas: Record<string, Schema>,
    excerptSchemaNames: string[],
    since11Props: Record<string, Record<string, Schema>>,
  ) {
    this.operations = operations;
    this.schemas = schemas;
    this.excerptSchemaNames = excerptSchemaNames;
    this.since11Props = since11Props;
  }

  static async load(): Promise<MattermostSpec> {
    const dir = excerptDir();
    const operations: SpecOperation[] = [];
    const addPaths = (paths: unknown, source: string, fromExcerpt: boolean): void => {
      if (!isObject(paths)) throw new Error(`${source}: no path items`);
      eachOperation(paths, (method, template, op) => {
        operations.push({
          method,
          template,
          operationId: String(op['operationId'] ?? `${method.toLowerCase()} ${template}`),
          source,
          fromExcerpt,
          since11: op['x-patkit-since-11'] === true,
          raw: op,
        });
      });
    };
    for (const file of EXCERPT_PATH_FILES) {
      // Each excerpt is a fragment of the `paths:` map.
      addPaths(parse(await readFile(join(dir, file), 'utf8')), file, true);
    }
    const excerptSchemas = parse(await readFile(join(dir, EXCERPT_SCHEMA_FILE), 'utf8')) as Record<string, Schema>;
    const supplement = parse(await readFile(SUPPLEMENT, 'utf8')) as Record<string, unknown>;
    addPaths(supplement['paths'], 'mattermost-supplement.openapi.yaml', false);
    const supplementSchemas = ((supplement['components'] as Record<string, unknown>)['schemas'] ?? {}) as Record<string, Schema>;
    const since11 = (supplement['x-patkit-since-11-request-properties'] ?? {}) as Record<string, Record<string, Schema>>;
    return new MattermostSpec(operations, { ...supplementSchemas, ...excerptSchemas }, Object.keys(excerptSchemas), since11);
  }

  /** The operation for a method and path; literal segments win over `{param}` ones. */
  find(method: string, pathname: string): { op: SpecOperation; params: Record<string, string> } | null {
    return findOperation(this.operations, method, pathname);
  }

  resolveRef(schema: Schema): Schema {
    const ref = schema['$ref'];
    if (typeof ref !== 'string') return schema;
    const name = ref.replace('#/components/schemas/', '');
    const target = this.schemas[name];
    if (!target) throw new Error(`unknown schema ${ref}`);
    return this.resolveRef(target);
  }

  /** A small JSON Schema check (type, properties, required, items, enum, allOf, additionalProperties). */
  validate(schema: Schema, value: unknown, path: string, strict: boolean, extraProps: Record<string, Schema> = {}): string[] {
    const s = this.resolveRef(schema);
    const errors: string[] = [];
    if (Array.isArray(s['allOf'])) {
      for (const part of s['allOf'] as Schema[]) errors.push(...this.validate(part, value, path, false));
      return errors;
    }
    const type = s['type'];
    const typeOk = (): boolean => {
      switch (type) {
        case undefined:
          return true;
        case 'object':
          return isObject(value);
        case 'array':
          return Array.isArray(value);
        case 'string':
          return typeof value === 'string';
        case 'integer':
          return typeof value === 'number' && Number.isInteger(value);
        case 'number':
          return typeof value === 'number' && Number.isFinite(value);
        case 'boolean':
          return typeof value === 'boolean';
        default:
          return true;
      }
    };
    if (!typeOk()) return [`${path}: expected ${String(type)}, got ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`];
    if (Array.isArray(s['enum']) && !(s['enum'] as unknown[]).includes(value)) errors.push(`${path}: not one of ${JSON.stringify(s['enum'])}`);
    if (type === 'array' && isObject(s['items'])) {
      (value as unknown[]).forEach((item, i) => errors.push(...this.validate(s['items'] as Schema, item, `${path}[${i}]`, strict)));
    }
    if (type === 'object' || isObject(s['properties'])) {
      if (!isObject(value)) return errors;
      const props = { ...((s['properties'] as Record<string, Schema> | undefined) ?? {}), ...extraProps };
      for (const name of (s['required'] as string[] | undefined) ?? []) {
        if (!(name in value)) errors.push(`${path}.${name}: required`);
      }
      const additional = s['additionalProperties'];
      for (const [k, v] of Object.entries(value)) {
        const propSchema = props[k];
        if (propSchema) errors.push(...this.validate(propSchema, v, `${path}.${k}`, strict));
        else if (isObject(additional)) errors.push(...this.validate(additional, v, `${path}.${k}`, strict));
        else if (strict && additional !== true) errors.push(`${path}.${k}: not in the schema`);
      }
    }
    return errors;
  }

  requestSchema(op: SpecOperation): Schema | null {
    const body = op.raw['requestBody'];
    if (!isObject(body)) return null;
    const content = body['content'];
    if (!isObject(content) || !isObject(content['application/json'])) return null;
    const schema = (content['application/json'] as Record<string, unknown>)['schema'];
    return isObject(schema) ? schema : null;
  }

  responseSchema(op: SpecOperation, status: number): Schema | null | undefined {
    const responses = op.raw['responses'];
    if (!isObject(responses)) return undefined;
    const r = responses[String(status)];
    if (!isObject(r)) return undefined;
    if (typeof r['$ref'] === 'string') return { $ref: '#/components/schemas/AppError' };
    const content = r['content'];
    if (!isObject(content) || !isObject(content['application/json'])) return null;
    const schema = (content['application/json'] as Record<string, unknown>)['schema'];
    return isObject(schema) ? schema : null;
  }

  /** Every problem with a request, as readable lines; empty when it matches the spec. */
  checkRequest(req: RequestToCheck, options: { v11: boolean }): { op: SpecOperation | null; params: Record<string, string>; errors: string[] } {
    const found = this.find(req.method, req.pathname);
    if (!found) return { op: null, params: {}, errors: [`${req.method} ${req.pathname}: no such operation in the spec`] };
    const { op, params } = found;
    const where = `${op.method} ${op.template}`;
    const errors: string[] = [];
    if (op.since11 && !options.v11) errors.push(`${where}: only exists on 11.x servers`);
    const parameters = (Array.isArray(op.raw['parameters']) ? op.raw['parameters'] : []) as Array<Record<string, unknown>>;
    for (const [name, value] of Object.entries(params)) {
      if (value === '') errors.push(`${where}: path parameter ${name} is empty`);
    }
    const queryParams = parameters.filter((p) => p['in'] === 'query');
    for (const p of queryParams) {
      if (p['required'] === true && !req.query.has(String(p['name']))) errors.push(`${where}: query parameter ${String(p['name'])} is required`);
    }
    for (const [name, value] of req.query) {
      const p = queryParams.find((q) => q['name'] === name);
      if (!p) {
        errors.push(`${where}: query parameter ${name} is not in the spec`);
        continue;
      }
      const type = (p['schema'] as Schema | undefined)?.['type'];
      if (type === 'integer' && !/^-?\d+$/.test(value)) errors.push(`${where}: query ${name}=${value} is not an integer`);
      if (type === 'boolean' && value !== 'true' && value !== 'false') errors.push(`${where}: query ${name}=${value} is not a boolean`);
    }
    const schema = this.requestSchema(op);
    const bodyRequired = isObject(op.raw['requestBody']) && (op.raw['requestBody'] as Record<string, unknown>)['required'] === true;
    if (schema === null) {
      if (req.body !== undefined) errors.push(`${where}: sends a body the operation does not take`);
    } else if (req.body === undefined) {
      if (bodyRequired) errors.push(`${where}: the body is required`);
    } else {
      const extra = options.v11 ? (this.since11Props[`${op.method} ${op.template}`] ?? {}) : {};
      errors.push(...this.validate(schema, req.body, `${where} body`, true, extra));
    }
    return { op, params, errors };
  }

  /** Checks an answer against the operation's declared response (errors against AppError). */
  checkResponse(op: SpecOperation, status: number, body: unknown): string[] {
    const where = `${op.method} ${op.template} → ${status}`;
    if (status >= 400) return this.validate({ $ref: '#/components/schemas/AppError' }, body, where, false);
    const schema = this.responseSchema(op, status);
    if (schema === undefined) return [`${where}: status not declared in the spec`];
    if (schema === null) return [];
    return this.validate(schema, body, where, false);
  }

  /** A full instance of a schema: every property present, with a plausible value. */
  example(schema: Schema, name = ''): unknown {
    const s = this.resolveRef(schema);
    if (Array.isArray(s['allOf'])) return Object.assign({}, ...(s['allOf'] as Schema[]).map((p) => this.example(p)));
    switch (s['type']) {
      case 'array':
        return [this.example((s['items'] as Schema | undefined) ?? {}, name)];
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries((s['properties'] as Record<string, Schema> | undefined) ?? {})) out[k] = this.example(v, k);
        return out;
      }
      case 'integer':
      case 'number':
        return name.endsWith('_at') ? 0 : 1;
      case 'boolean':
        return true;
      case 'string':
        if (Array.isArray(s['enum'])) return (s['enum'] as unknown[])[0];
        if (name === 'id' || name.endsWith('_id')) return 'abcdefghijklmnopqrstuvwxyz';
        if (name === 'token') return 'zyxwvutsrqponmlkjihgfedcba';
        if (name === 'status') return 'OK';
        return `example ${name}`;
      default:
        return null;
    }
  }
}
