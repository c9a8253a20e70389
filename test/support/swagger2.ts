/**
 * A small checker for Swagger 2.0 documents (the official Gitea and GitLab excerpts in
 * `test/contracts/`), used by the stand-in servers to validate every request a provider sends:
 * path template, method, path and query parameters (declared, typed, enums), the `in: body` schema
 * (strictly: a property the schema does not name is a violation), and which of the document's
 * `securityDefinitions` the request authenticated with. Answers are checked against the declared
 * response schema for their status.
 *
 * Only what these excerpts use is implemented (type, properties, required, items, enum, `$ref` to
 * `#/definitions` and `#/responses`); an unknown keyword is ignored, never silently passed as a check.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { eachOperation, findOperation, isObject } from './spec-paths.ts';

export type Schema = Record<string, unknown>;

export interface SwaggerOperation {
  method: string;
  /** Full path template including the base path, e.g. `/api/v1/users/{username}/tokens`. */
  template: string;
  operationId: string;
  raw: Record<string, unknown>;
}

export interface SwaggerRequest {
  method: string;
  pathname: string;
  query: URLSearchParams;
  /** `undefined` when the request had no body. */
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

export interface CheckedRequest {
  op: SwaggerOperation | null;
  params: Record<string, string>;
  /** Names of the `securityDefinitions` the request used (`BasicAuth`, `PRIVATE-TOKEN` header…). */
  security: string[];
  errors: string[];
}


function header(headers: SwaggerRequest['headers'], name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export class SwaggerDocument {
  readonly doc: Record<string, unknown>;
  readonly operations: SwaggerOperation[];
  readonly basePath: string;

  constructor(file: string) {
    const text = readFileSync(file, 'utf8');
    this.doc = (file.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as Record<string, unknown>;
    if (this.doc['swagger'] !== '2.0') throw new Error(`${file}: not a Swagger 2.0 document`);
    this.basePath = typeof this.doc['basePath'] === 'string' ? (this.doc['basePath'] as string).replace(/\/$/, '') : '';
    this.operations = [];
    eachOperation((this.doc['paths'] ?? {}) as Record<string, unknown>, (method, template, op) => {
      this.operations.push({
        method,
        template: this.basePath + template,
        operationId: String(op['operationId'] ?? `${method.toLowerCase()} ${template}`),
        raw: op,
      });
    });
  }

  /** The operation for a method and path; literal segments win over `{param}` ones. */
  find(method: string, pathname: string): { op: SwaggerOperation; params: Record<string, string> } | null {
    return findOperation(this.operations, method, pathname);
  }

  byId(operationId: string): SwaggerOperation {
    const op = this.operations.find((o) => o.operationId === operationId);
    if (!op) throw new Error(`no operation ${operationId}`);
    return op;
  }

  resolve(schema: Schema): Schema {
    const ref = schema['$ref'];
    if (typeof ref !== 'string') return schema;
    const m = /^#\/(definitions|responses)\/(.+)$/.exec(ref);
    if (!m) throw new Error(`unsupported $ref ${ref}`);
    const target = ((this.doc[m[1]!] ?? {}) as Record<string, Schema>)[m[2]!];
    if (!target) throw new Error(`unresolved $ref ${ref}`);
    return this.resolve(target);
  }

  /** type, properties, required, items, enum; `strict`: no property outside the schema. */
  validate(schema: Schema, value: unknown, path: string, strict: boolean, extraProps: Record<string, Schema> = {}): string[] {
    const s = this.resolve(schema);
    const type = s['type'];
    const got = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    const typeOk =
      type === undefined ||
      (type === 'object' && isObject(value)) ||
      (type === 'array' && Array.isArray(value)) ||
      (type === 'string' && typeof value === 'string') ||
      (type === 'integer' && typeof value === 'number' && Number.isInteger(value)) ||
      (type === 'number' && typeof value === 'number' && Number.isFinite(value)) ||
      (type === 'boolean' && typeof value === 'boolean');
    if (!typeOk) return [`${path}: expected ${String(type)}, got ${got}`];
    const errors: string[] = [];
    if (Array.isArray(s['enum']) && !(s['enum'] as unknown[]).includes(value)) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s['enum'])}`);
    if (type === 'string' && s['format'] === 'date' && typeof value === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) errors.push(`${path}: ${value} is not a YYYY-MM-DD date`);
    if (type === 'string' && s['format'] === 'date-time' && typeof value === 'string' && Number.isNaN(Date.parse(value))) errors.push(`${path}: ${value} is not a date-time`);
    if (Array.isArray(value) && isObject(s['items'])) value.forEach((item, i) => errors.push(...this.validate(s['items'] as Schema, item, `${path}[${i}]`, strict)));
    if (isObject(value) && (type === 'object' || isObject(s['properties']))) {
      const props = { ...((s['properties'] as Record<string, Schema> | undefined) ?? {}), ...extraProps };
      for (const name of (s['required'] as string[] | undefined) ?? []) if (!(name in value)) errors.push(`${path}.${name}: required`);
      for (const [k, v] of Object.entries(value)) {
        const p = props[k];
        // Swagger 2.0 cannot say "nullable": answers (never requests) may carry null for an optional field.
        if (p && v === null && !strict && !((s['required'] as string[] | undefined) ?? []).includes(k)) continue;
        if (p) errors.push(...this.validate(p, v, `${path}.${k}`, strict));
        else if (strict && s['additionalProperties'] !== true) errors.push(`${path}.${k}: not in the schema`);
      }
    }
    return errors;
  }

  private parameters(op: SwaggerOperation): Array<Record<string, unknown>> {
    return (Array.isArray(op.raw['parameters']) ? op.raw['parameters'] : []) as Array<Record<string, unknown>>;
  }

  /** Which security definitions the request used (checked against the document's list). */
  securityUsed(req: SwaggerRequest): string[] {
    const used: string[] = [];
    const defs = (this.doc['securityDefinitions'] ?? {}) as Record<string, Record<string, unknown>>;
    for (const [name, def] of Object.entries(defs)) {
      if (def['type'] === 'basic' && /^Basic \S+$/i.test(header(req.headers, 'authorization') ?? '')) used.push(name);
      if (def['type'] === 'apiKey' && def['in'] === 'header' && header(req.headers, String(def['name'])) !== undefined) used.push(name);
      if (def['type'] === 'apiKey' && def['in'] === 'query' && req.query.has(String(def['name']))) used.push(name);
    }
    return used;
  }

  /**
   * Every problem with a request, as readable lines. `extraBody` names request-body properties the
   * excerpt predates but the notes document (GitLab's `description`), per operation id.
   */
  checkRequest(req: SwaggerRequest, extraBody: Record<string, Record<string, Schema>> = {}): CheckedRequest {
    const found = this.find(req.method, req.pathname);
    const security = this.securityUsed(req);
    if (!found) return { op: null, params: {}, security, errors: [`${req.method} ${req.pathname}: no such operation in the spec`] };
    const { op, params } = found;
    const where = `${op.method} ${op.template}`;
    const errors: string[] = [];
    const parameters = this.parameters(op);
    for (const [name, value] of Object.entries(params)) {
      const p = parameters.find((q) => q['in'] === 'path' && q['name'] === name);
      if (!p) errors.push(`${where}: path parameter ${name} is not declared`);
      if (value === '') errors.push(`${where}: path parameter ${name} is empty`);
      if (p?.['type'] === 'integer' && !/^\d+$/.test(value)) errors.push(`${where}: path ${name}=${value} is not an integer`);
    }
    const queryParams = parameters.filter((p) => p['in'] === 'query');
    for (const p of queryParams) if (p['required'] === true && !req.query.has(String(p['name']))) errors.push(`${where}: query parameter ${String(p['name'])} is required`);
    const defs = (this.doc['securityDefinitions'] ?? {}) as Record<string, Record<string, unknown>>;
    const securityQuery = new Set(Object.values(defs).filter((d) => d['in'] === 'query').map((d) => String(d['name'])));
    for (const [name, value] of req.query) {
      if (securityQuery.has(name)) {
        errors.push(`${where}: credential in the query string (${name})`);
        continue;
      }
      const p = queryParams.find((q) => q['name'] === name);
      if (!p) {
        errors.push(`${where}: query parameter ${name} is not in the spec`);
        continue;
      }
      if (p['type'] === 'integer' && !/^-?\d+$/.test(value)) errors.push(`${where}: query ${name}=${value} is not an integer`);
      if (p['type'] === 'boolean' && value !== 'true' && value !== 'false') errors.push(`${where}: query ${name}=${value} is not a boolean`);
      if (Array.isArray(p['enum']) && !(p['enum'] as unknown[]).includes(value)) errors.push(`${where}: query ${name}=${value} is not one of ${JSON.stringify(p['enum'])}`);
    }
    const bodyParam = parameters.find((p) => p['in'] === 'body');
    if (!bodyParam) {
      if (req.body !== undefined) errors.push(`${where}: sends a body the operation does not take`);
    } else if (req.body === undefined) {
      if (bodyParam['required'] === true) errors.push(`${where}: the body is required`);
    } else {
      errors.push(...this.validate((bodyParam['schema'] ?? {}) as Schema, req.body, `${where} body`, true, extraBody[op.operationId] ?? {}));
    }
    return { op, params, security, errors };
  }

  /** The declared schema for a status: `undefined` = status not declared, `null` = declared without a body. */
  responseSchema(op: SwaggerOperation, status: number): Schema | null | undefined {
    const responses = op.raw['responses'];
    if (!isObject(responses)) return undefined;
    const r = responses[String(status)];
    if (!isObject(r)) return r === null && String(status) in responses ? null : undefined;
    const resolved = this.resolve(r);
    return isObject(resolved['schema']) ? (resolved['schema'] as Schema) : null;
  }

  /** Checks a success answer against its declared schema (not strict: servers add fields). */
  checkResponse(op: SwaggerOperation, status: number, body: unknown, allowStatus: number[] = []): string[] {
    const where = `${op.method} ${op.template} → ${status}`;
    let schema = this.responseSchema(op, status);
    if (schema === undefined && allowStatus.includes(status)) {
      // A status the notes document instead of the spec (GitLab rotate: 200 where the spec says 201).
      const declared = Object.keys((op.raw['responses'] ?? {}) as Record<string, unknown>).map(Number).find((s) => s >= 200 && s < 300);
      schema = declared === undefined ? undefined : this.responseSchema(op, declared);
    }
    if (schema === undefined) return [`${where}: status not declared in the spec`];
    if (schema === null) return body === undefined || body === null || body === '' ? [] : [`${where}: a body where the spec declares none`];
    return this.validate(schema, body, where, false);
  }

  /** A full instance of a schema: every property present, with a plausible value. */
  example(schema: Schema, name = ''): unknown {
    const s = this.resolve(schema);
    switch (s['type']) {
      case 'array':
        return [this.example((s['items'] as Schema | undefined) ?? { type: 'string' }, name)];
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries((s['properties'] as Record<string, Schema> | undefined) ?? {})) out[k] = this.example(v, k);
        return out;
      }
      case 'integer':
      case 'number':
        if (Array.isArray(s['enum'])) return (s['enum'] as unknown[])[0];
        return 7;
      case 'boolean':
        return true;
      case 'string':
        if (Array.isArray(s['enum'])) return (s['enum'] as unknown[])[0];
        if (s['format'] === 'date-time' || name.endsWith('_at') || name === 'created' || name === 'last_login') return '2026-11-20T10:00:00Z';
        if (s['format'] === 'date') return '2027-01-31';
        return `example-${name}`;
      default:
        return s['properties'] ? this.example({ ...s, type: 'object' }, name) : 'example';
    }
  }
}

/** A vendored contract file: `test/contracts/<kind>/<file>` (see test/contracts/README.md). */
export function contractFile(kind: 'gitea' | 'gitlab', file: string): string {
  const path = fileURLToPath(new URL(`../contracts/${kind}/${file}`, import.meta.url));
  if (!existsSync(path)) throw new Error(`contract file missing: ${path}`);
  return path;
}
