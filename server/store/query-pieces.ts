/**
 * SQL that reads the same on SQLite and PostgreSQL once a few dialect words are filled in: the token
 * and user column lists, the keyset-paged listings, and the conditions both stores share. Each
 * backend supplies its `SqlDialect`; nothing here runs a query.
 */
import type { AuditListQuery, TokenListQuery, TokenRecord, TokenRequestQuery } from './records.ts';
import type { ScopeKind } from './org-store.ts';

/** The words in which the two dialects differ. */
export interface SqlDialect {
  /** The n-th bound parameter (1-based): `?n` or `$n`. */
  param(n: number): string;
  /** A boolean column tested true, and tested false. */
  isTrue(column: string): string;
  isFalse(column: string): string;
  /**
   * Appended to text that is compared or sorted: PostgreSQL compares in byte order ("C"), as SQLite
   * and JavaScript do, so cursors mean the same on both stores.
   */
  collate: string;
  /** Case-insensitive match of a `likePattern` (backslash escapes). */
  like(column: string, pattern: string): string;
  /** An aggregate joining text values with a space. */
  joinWords(expression: string): string;
}

/** A statement with its parameters, numbered in the dialect's style. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/** Collects parameters and hands out their placeholders. */
function parameters(dialect: SqlDialect): { params: unknown[]; p: (value: unknown) => string } {
  const params: unknown[] = [];
  return {
    params,
    p: (value) => {
      params.push(value);
      return dialect.param(params.length);
    },
  };
}

/** A user's columns with the roles aggregated (`toUser` reads them), over `users u`. */
export function userColumns(dialect: SqlDialect): string {
  return `u.id, u.username, u.display_name, u.kind, u.active, u.created_at,
  (SELECT ${dialect.joinWords('r.role_id')} FROM user_roles r WHERE r.user_id = u.id) AS roles`;
}

/**
 * The lifetime caps in force now over `tokens t` (`toLifetimePolicy` reads them): the server's, from
 * the settings table, and the smallest of the token's organisations (docs/security.md rule 37).
 */
export const LIFETIME_POLICY_COLUMNS = `(SELECT s.value FROM settings s WHERE s.key = 'max_lifetime_days') AS policy_max_days,
  (SELECT s.value FROM settings s WHERE s.key = 'allow_no_expiry') AS policy_no_expiry,
  (SELECT MIN(po.max_token_lifetime_days) FROM token_policy_orgs pt JOIN organizations po ON po.id = pt.org_id WHERE pt.token_id = t.id) AS policy_org_days`;

/** Every column `toToken` reads, over `tokens t` with its owner `o` and creator `c`. */
export const TOKEN_SELECT = `SELECT t.id, t.last4, t.owner_kind, t.owner_user_id, t.owner_scope_id, t.owner_scope_name,
  t.name, t.description, t.created_at, t.created_by_id, t.updated_at, t.expires_at, t.scopes, t.disabled,
  t.last_used_at, t.last_used_ip, t.previous_last4, t.previous_valid_until, t.recent_uses, o.username AS owner_username, o.display_name AS owner_display_name,
  c.username AS created_by_username, t.allowed_ips, t.not_before, t.issued_at, t.approval_state, t.approval_justification,
  t.approval_requested_at, t.approval_decided_at, t.approval_decided_by_id, t.approval_decided_by_username, t.approval_reason,
  ${LIFETIME_POLICY_COLUMNS}
  FROM tokens t JOIN users o ON o.id = t.owner_user_id LEFT JOIN users c ON c.id = t.created_by_id`;

/**
 * The verification lookup's columns (`toTokenAuth` reads them) over `tokens t JOIN users u`; `digest`
 * is the placeholder of the presented digest, which tells the current secret from the previous one.
 */
export function tokenAuthColumns(dialect: SqlDialect, digest: string): string {
  return `t.id AS token_id, t.created_at AS token_created_at, t.scopes, t.disabled, t.expires_at, t.last_used_at, t.recent_uses, t.owner_kind,
  t.digest = ${digest} AS matched_current, t.previous_valid_until, ${userColumns(dialect)},
  t.allowed_ips, t.not_before, t.issued_at, t.approval_state, ${LIFETIME_POLICY_COLUMNS}`;
}

/** The token INSERT; `tokenRowValues` (row-mapping) gives its parameters. */
export function tokenInsertSql(dialect: SqlDialect): string {
  const values = Array.from({ length: 19 }, (_, i) => dialect.param(i + 1)).join(', ');
  return `INSERT INTO tokens (id, digest, last4, owner_kind, owner_user_id, owner_scope_id, owner_scope_name, name,
    description, created_at, created_by_id, updated_at, expires_at, scopes, allowed_ips, not_before,
    approval_state, approval_justification, approval_requested_at) VALUES (${values})`;
}

/** One organisation governing a token (`token_policy_orgs`). */
export function tokenPolicyOrgInsertSql(dialect: SqlDialect): string {
  return `INSERT INTO token_policy_orgs (token_id, org_id) VALUES (${dialect.param(1)}, ${dialect.param(2)}) ON CONFLICT DO NOTHING`;
}

/** One page of token requests in a state, oldest first, optionally only those of some organisations. */
export function tokenRequestListSql(dialect: SqlDialect, query: TokenRequestQuery): Statement {
  const { params, p } = parameters(dialect);
  const where = [`t.approval_state = ${p(query.state)}`];
  if (query.org_ids !== null) {
    const ids = query.org_ids.length ? query.org_ids.map((id) => p(id)).join(', ') : 'NULL';
    where.push(`EXISTS (SELECT 1 FROM token_policy_orgs r WHERE r.token_id = t.id AND r.org_id IN (${ids}))`);
  }
  const at = `t.approval_requested_at${dialect.collate}`;
  const id = `t.id${dialect.collate}`;
  if (query.after) where.push(`(${at}, ${id}) > (${p(query.after[0])}, ${p(query.after[1])})`);
  return { sql: `${TOKEN_SELECT} WHERE ${where.join(' AND ')} ORDER BY ${at}, ${id} LIMIT ${p(query.limit)}`, params };
}

/** The session lookup by digest, with the user. */
export function sessionByDigestSql(dialect: SqlDialect): string {
  return `SELECT s.id AS session_id, s.expires_at AS session_expires_at, s.mode, ${userColumns(dialect)}
  FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.digest = ${dialect.param(1)}`;
}

/** The audit INSERT; `auditValues` (row-mapping) gives its parameters. */
export function auditInsertSql(dialect: SqlDialect): string {
  const values = Array.from({ length: 8 }, (_, i) => dialect.param(i + 1)).join(', ');
  return `INSERT INTO audit (at, action, actor_id, actor_username, token_id, owner_id, ip, detail) VALUES (${values})`;
}

/** `text` as a LIKE pattern matching it anywhere, with its wildcards escaped. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const SORT_EXPRESSIONS: Record<TokenListQuery['sort'], string> = {
  created_at: 't.created_at',
  name: 'lower(t.name)',
  expires_at: "COALESCE(t.expires_at, '9999')",
  last_used_at: "COALESCE(t.last_used_at, '')",
};

/** The value the token list is sorted by (as `SORT_EXPRESSIONS` computes it), for building a cursor. */
export function tokenSortValue(token: TokenRecord, sort: TokenListQuery['sort']): string {
  if (sort === 'name') return token.name.toLowerCase();
  if (sort === 'expires_at') return token.expires_at ?? '9999';
  if (sort === 'last_used_at') return token.last_used_at ?? '';
  return token.created_at;
}

/** Active at `now` and unused (last use, or creation if never used) since `before` (placeholders). */
export function unusedCondition(dialect: SqlDialect, now: string, before: string): string {
  return `${dialect.isFalse('t.disabled')} AND (t.expires_at IS NULL OR t.expires_at > ${now}) AND COALESCE(t.last_used_at, t.created_at)${dialect.collate} < ${before}`;
}

/** One page of the token list: filters, then keyset paging on (sort value, id). */
export function tokenListSql(dialect: SqlDialect, query: TokenListQuery): Statement {
  const { params, p } = parameters(dialect);
  const where: string[] = [];
  if (query.owner_user_id !== null) where.push(`t.owner_user_id = ${p(query.owner_user_id)}`);
  if (query.text) {
    const like = likePattern(query.text);
    where.push(`(t.id = ${p(query.text)} OR ${dialect.like('t.name', p(like))} OR ${dialect.like('t.description', p(like))} OR ${dialect.like('o.username', p(like))})`);
  }
  // The approval states come first (`tokenStatus`): a pending or denied token is neither of the others.
  const status = query.status as string | null;
  const decided = `(t.approval_state IS NULL OR t.approval_state = 'approved')`;
  if (status === 'pending' || status === 'denied') where.push(`t.approval_state = ${p(status)}`);
  else if (status === 'expired') where.push(`${decided} AND t.expires_at IS NOT NULL AND t.expires_at <= ${p(query.now)}`);
  else if (status === 'disabled') where.push(`${decided} AND ${dialect.isTrue('t.disabled')} AND (t.expires_at IS NULL OR t.expires_at > ${p(query.now)})`);
  else if (status === 'active') where.push(`${decided} AND ${dialect.isFalse('t.disabled')} AND (t.expires_at IS NULL OR t.expires_at > ${p(query.now)})`);
  if (query.unused_before) where.push(unusedCondition(dialect, p(query.now), p(query.unused_before)));
  const sortExpr = `${SORT_EXPRESSIONS[query.sort]}${dialect.collate}`;
  const id = `t.id${dialect.collate}`;
  const direction = query.order === 'asc' ? 'ASC' : 'DESC';
  if (query.after) where.push(`(${sortExpr}, ${id}) ${query.order === 'asc' ? '>' : '<'} (${p(query.after[0])}, ${p(query.after[1])})`);
  const sql = `${TOKEN_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${sortExpr} ${direction}, ${id} ${direction} LIMIT ${p(query.limit)}`;
  return { sql, params };
}

/** One page of users by lower-cased username, optionally matching `text`. */
export function userListSql(dialect: SqlDialect, query: { text: string | null; after: string | null; limit: number }): Statement {
  const { params, p } = parameters(dialect);
  const where: string[] = [];
  if (query.text) {
    const like = likePattern(query.text);
    where.push(`(${dialect.like('u.username', p(like))} OR ${dialect.like('u.display_name', p(like))} OR u.id = ${p(query.text)})`);
  }
  const username = `lower(u.username)${dialect.collate}`;
  if (query.after !== null) where.push(`${username} > ${p(query.after)}`);
  const sql = `SELECT ${userColumns(dialect)} FROM users u ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${username} LIMIT ${p(query.limit)}`;
  return { sql, params };
}

/** One page of the audit log, newest first. */
export function auditListSql(dialect: SqlDialect, query: AuditListQuery): Statement {
  const { params, p } = parameters(dialect);
  const where: string[] = [];
  if (query.token_id) where.push(`token_id = ${p(query.token_id)}`);
  if (query.user_id) {
    const user = p(query.user_id);
    where.push(`(owner_id = ${user} OR actor_id = ${user})`);
  }
  if (query.action) where.push(`action = ${p(query.action)}`);
  if (query.before !== null) where.push(`seq < ${p(query.before)}`);
  const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${p(query.limit)}`;
  return { sql, params };
}

/** Active tokens expiring after the first parameter and at or before the second (webhook notices). */
export function expiringTokensWhere(dialect: SqlDialect): string {
  const at = `t.expires_at${dialect.collate}`;
  return `${dialect.isFalse('t.disabled')} AND t.expires_at IS NOT NULL AND ${at} > ${dialect.param(1)} AND ${at} <= ${dialect.param(2)} ORDER BY ${at} LIMIT 1000`;
}

/** Tokens whose previous secret's grace ends after the first parameter and at or before the second. */
export function gracesEndingWhere(dialect: SqlDialect): string {
  const until = `t.previous_valid_until${dialect.collate}`;
  return `t.previous_valid_until IS NOT NULL AND ${until} > ${dialect.param(1)} AND ${until} <= ${dialect.param(2)} ORDER BY ${until} LIMIT 1000`;
}

/** The membership table of an organisation or a group, and its scope column. */
export const MEMBER_TABLE: Record<ScopeKind, { table: string; column: string }> = {
  organization: { table: 'org_members', column: 'org_id' },
  group: { table: 'group_members', column: 'group_id' },
};

