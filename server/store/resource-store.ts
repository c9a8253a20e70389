/**
 * The resource section of the storage boundary: the host app's resource registry and the token
 * templates. Every change is one statement written with its audit entry in one transaction. The SQL
 * reads the same on both backends (`SqlDialect`); each backend supplies a `SqlRunner` over its own
 * connection and transactions.
 */
import type { AuditEntry, ResourceListQuery, ResourceRecord, TemplateRecord } from './records.ts';
import { likePattern, type SqlDialect } from './query-pieces.ts';
import { readTokenResources, type Row } from './row-mapping.ts';

export interface ResourceStore {
  getResource(type: string, id: string): Promise<ResourceRecord | null>;
  /** Those of `refs` that are registered (any order). */
  findResources(refs: readonly { type: string; id: string }[]): Promise<ResourceRecord[]>;
  listResources(query: ResourceListQuery): Promise<ResourceRecord[]>;
  /** Creates or renames (and re-parents) the resource; returns it as stored. */
  putResource(resource: ResourceRecord, audit: AuditEntry): Promise<ResourceRecord>;
  /** False when there was no such resource (nothing written). */
  deleteResource(type: string, id: string, audit: AuditEntry): Promise<boolean>;

  getTemplate(id: string): Promise<TemplateRecord | null>;
  listTemplates(): Promise<TemplateRecord[]>;
  createTemplate(template: TemplateRecord, audit: AuditEntry): Promise<TemplateRecord>;
  /** Writes the whole template as given (the caller merged the change); null when it is gone. */
  updateTemplate(template: TemplateRecord, audit: AuditEntry): Promise<TemplateRecord | null>;
  deleteTemplate(id: string, audit: AuditEntry): Promise<boolean>;
}

/** What the shared SQL needs from a backend. */
export interface SqlRunner {
  dialect: SqlDialect;
  all(sql: string, params: (string | number | null)[]): Promise<Row[]>;
  /** Runs one statement and, when it changed a row, the audit entry: one transaction; returns the rows changed. */
  write(sql: string, params: (string | number | null)[], audit: AuditEntry): Promise<number>;
}

const RESOURCE_COLUMNS = 'type, id, name, org_id, created_at, updated_at';
const TEMPLATE_COLUMNS = 'id, name, description, scopes, expires_in_days, resources, allowed_ips, created_at, updated_at';

function toResource(row: Row): ResourceRecord {
  return {
    type: row.type as string,
    id: row.id as string,
    name: row.name as string,
    org_id: (row.org_id as string | null) ?? null,
    created_at: row.created_at as string,
    updated_at: row.updated_at as string,
  };
}

function toTemplate(row: Row): TemplateRecord {
  const scopes = row.scopes as string;
  return {
    id: row.id as string,
    name: row.name as string,
    description: row.description as string,
    scopes: scopes === '' ? [] : scopes.split(' '),
    expires_in_days: row.expires_in_days == null ? null : Number(row.expires_in_days),
    resources: readTokenResources(row.resources),
    allowed_ips: JSON.parse(row.allowed_ips as string) as string[],
    created_at: row.created_at as string,
    updated_at: row.updated_at as string,
  };
}

function templateValues(t: TemplateRecord): (string | number | null)[] {
  return [t.id, t.name, t.description, t.scopes.join(' '), t.expires_in_days, JSON.stringify(t.resources), JSON.stringify(t.allowed_ips), t.created_at, t.updated_at];
}

export class SqlResourceStore implements ResourceStore {
  readonly #sql: SqlRunner;

  constructor(runner: SqlRunner) {
    this.#sql = runner;
  }

  #p(n: number): string {
    return this.#sql.dialect.param(n);
  }

  async getResource(type: string, id: string): Promise<ResourceRecord | null> {
    const rows = await this.#sql.all(`SELECT ${RESOURCE_COLUMNS} FROM resources WHERE type = ${this.#p(1)} AND id = ${this.#p(2)}`, [type, id]);
    return rows[0] ? toResource(rows[0]) : null;
  }

  async findResources(refs: readonly { type: string; id: string }[]): Promise<ResourceRecord[]> {
    if (refs.length === 0) return [];
    const pairs = refs.map((_, i) => `(type = ${this.#p(2 * i + 1)} AND id = ${this.#p(2 * i + 2)})`).join(' OR ');
    return (await this.#sql.all(`SELECT ${RESOURCE_COLUMNS} FROM resources WHERE ${pairs}`, refs.flatMap((r) => [r.type, r.id]))).map(toResource);
  }

  async listResources(query: ResourceListQuery): Promise<ResourceRecord[]> {
    const { dialect } = this.#sql;
    const params: (string | number | null)[] = [];
    const p = (value: string | number) => (params.push(value), dialect.param(params.length));
    const where: string[] = [];
    if (query.type !== null) where.push(`type = ${p(query.type)}`);
    if (query.text) {
      const like = p(likePattern(query.text));
      where.push(`(${dialect.like('name', like)} OR ${dialect.like('id', like)})`);
    }
    const key = `type${dialect.collate}, id${dialect.collate}`;
    if (query.after) where.push(`(${key}) > (${p(query.after[0])}, ${p(query.after[1])})`);
    const sql = `SELECT ${RESOURCE_COLUMNS} FROM resources ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${key} LIMIT ${p(query.limit)}`;
    return (await this.#sql.all(sql, params)).map(toResource);
  }

  async putResource(resource: ResourceRecord, audit: AuditEntry): Promise<ResourceRecord> {
    const p = (n: number) => this.#p(n);
    await this.#sql.write(
      `INSERT INTO resources (${RESOURCE_COLUMNS}) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)})
       ON CONFLICT (type, id) DO UPDATE SET name = excluded.name, org_id = excluded.org_id, updated_at = excluded.updated_at`,
      [resource.type, resource.id, resource.name, resource.org_id, resource.created_at, resource.updated_at],
      audit,
    );
    return (await this.getResource(resource.type, resource.id))!;
  }

  async deleteResource(type: string, id: string, audit: AuditEntry): Promise<boolean> {
    return (await this.#sql.write(`DELETE FROM resources WHERE type = ${this.#p(1)} AND id = ${this.#p(2)}`, [type, id], audit)) > 0;
  }

  async getTemplate(id: string): Promise<TemplateRecord | null> {
    const rows = await this.#sql.all(`SELECT ${TEMPLATE_COLUMNS} FROM token_templates WHERE id = ${this.#p(1)}`, [id]);
    return rows[0] ? toTemplate(rows[0]) : null;
  }

  async listTemplates(): Promise<TemplateRecord[]> {
    return (await this.#sql.all(`SELECT ${TEMPLATE_COLUMNS} FROM token_templates ORDER BY lower(name)${this.#sql.dialect.collate}, id${this.#sql.dialect.collate}`, [])).map(toTemplate);
  }

  async createTemplate(template: TemplateRecord, audit: AuditEntry): Promise<TemplateRecord> {
    const values = Array.from({ length: 9 }, (_, i) => this.#p(i + 1)).join(', ');
    await this.#sql.write(`INSERT INTO token_templates (${TEMPLATE_COLUMNS}) VALUES (${values})`, templateValues(template), audit);
    return (await this.getTemplate(template.id))!;
  }

  async updateTemplate(template: TemplateRecord, audit: AuditEntry): Promise<TemplateRecord | null> {
    const p = (n: number) => this.#p(n);
    const changed = await this.#sql.write(
      `UPDATE token_templates SET name = ${p(2)}, description = ${p(3)}, scopes = ${p(4)}, expires_in_days = ${p(5)}, resources = ${p(6)},
         allowed_ips = ${p(7)}, updated_at = ${p(9)} WHERE id = ${p(1)} AND created_at = ${p(8)}`,
      templateValues(template),
      audit,
    );
    return changed > 0 ? this.getTemplate(template.id) : null;
  }

  async deleteTemplate(id: string, audit: AuditEntry): Promise<boolean> {
    return (await this.#sql.write(`DELETE FROM token_templates WHERE id = ${this.#p(1)}`, [id], audit)) > 0;
  }
}
