/**
 * Database rows to records, for both backends. Both keep the same columns with the same text
 * encodings (ISO times, space-separated lists, JSON); a boolean column reads as 0/1 from SQLite and
 * as true/false from PostgreSQL, so `stored` accepts either.
 */
import type { AuditEvent, MemberRole, OwnerKind, RecentUse } from '../../lib/model.ts';
import type { GroupRecord, MembershipRecord, OrgRecord, ScopeKind, UserMembership } from './org-store.ts';
import { DEFAULT_SETTINGS } from './defaults.ts';
import { RECENT_USES_KEPT, type ApprovalRecord, type ApprovalState, type LifetimePolicy, type AuditEntry, type NewToken, type SessionAuthRecord, type TokenAuthRecord, type TokenRecord, type UserRecord, type UserWithPassword } from './records.ts';
import type {
  AttemptRecord,
  ClaimedDelivery,
  DeliveryRecord,
  DeliveryStatus,
  OutboxRow,
  WebhookEvent,
  WebhookRecord,
} from './webhook-store.ts';

/** One result row, column name to value. */
export type Row = Record<string, unknown>;

/** A boolean column as stored: SQLite INTEGER 0/1 or PostgreSQL boolean. */
export function stored(value: unknown): boolean {
  return value === 1 || value === true;
}

function nullable(value: unknown): string | null {
  return (value as string | null) ?? null;
}

/** A space-separated list (token scopes, webhook events) in stored order. */
function words(value: unknown): string[] {
  return (value as string) === '' ? [] : (value as string).split(' ');
}

/** Aggregated role ids (any order in SQL) as a sorted list. */
function sortedWords(value: unknown): string[] {
  return typeof value === 'string' && value !== '' ? value.split(' ').sort() : [];
}

/**
 * The stored `recent_uses` column (a JSON array of `{ ip, at }`) as records, newest first, at most
 * `RECENT_USES_KEPT`; NULL (never used since the column exists) is an empty list.
 */
export function readRecentUses(value: unknown): RecentUse[] {
  if (typeof value !== 'string' || value === '') return [];
  const list = JSON.parse(value) as unknown;
  if (!Array.isArray(list)) return [];
  return list
    .filter((u): u is RecentUse => typeof u?.ip === 'string' && typeof u?.at === 'string')
    .map((u) => ({ ip: u.ip, at: u.at }))
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    .slice(0, RECENT_USES_KEPT);
}

/** A row of the user columns (`userColumns` in query-pieces). */
export function toUser(row: Row): UserRecord {
  return {
    id: row.id as string,
    username: row.username as string,
    display_name: row.display_name as string,
    kind: row.kind as UserRecord['kind'],
    active: stored(row.active),
    roles: sortedWords(row.roles),
    created_at: row.created_at as string,
  };
}

export function toUserWithPassword(row: Row): UserWithPassword {
  return { ...toUser(row), password_hash: nullable(row.password_hash) };
}

/** A row of `TOKEN_SELECT`. */
export function toToken(row: Row): TokenRecord {
  return {
    id: row.id as string,
    owner: {
      kind: row.owner_kind as OwnerKind,
      user_id: row.owner_user_id as string,
      username: row.owner_username as string,
      display_name: row.owner_display_name as string,
      scope_id: nullable(row.owner_scope_id),
      scope_name: nullable(row.owner_scope_name),
    },
    name: row.name as string,
    description: row.description as string,
    created_at: row.created_at as string,
    created_by: row.created_by_id ? { id: row.created_by_id as string, username: (row.created_by_username as string) ?? '' } : null,
    updated_at: row.updated_at as string,
    expires_at: nullable(row.expires_at),
    scopes: words(row.scopes),
    disabled: stored(row.disabled),
    last_used_at: nullable(row.last_used_at),
    last_used_ip: nullable(row.last_used_ip),
    last4: row.last4 as string,
    previous:
      row.previous_valid_until == null
        ? null
        : { last4: (row.previous_last4 as string | null) ?? '', valid_until: row.previous_valid_until as string },
    recent_uses: readRecentUses(row.recent_uses),
    allowed_ips: words(row.allowed_ips ?? ''),
    not_before: nullable(row.not_before),
    issued_at: (row.issued_at as string | null) ?? (row.created_at as string),
    approval: toApproval(row),
    lifetime_policy: toLifetimePolicy(row),
  };
}

/** A row of `tokenAuthColumns`; the PAT switch comes from wherever the backend reads settings. */
export function toTokenAuth(row: Row, personalAccessTokensEnabled: boolean): TokenAuthRecord {
  return {
    id: row.token_id as string,
    created_at: row.token_created_at as string,
    scopes: words(row.scopes),
    disabled: stored(row.disabled),
    expires_at: nullable(row.expires_at),
    last_used_at: nullable(row.last_used_at),
    recent_uses: readRecentUses(row.recent_uses),
    owner_kind: row.owner_kind as OwnerKind,
    matched: stored(row.matched_current) ? 'current' : 'previous',
    previous_valid_until: nullable(row.previous_valid_until),
    user: toUser(row),
    personal_access_tokens_enabled: personalAccessTokensEnabled,
    allowed_ips: (row.allowed_ips as string | null) ?? '',
    not_before: nullable(row.not_before),
    issued_at: (row.issued_at as string | null) ?? (row.token_created_at as string),
    approval_state: (row.approval_state as ApprovalState | null) ?? null,
    lifetime_policy: toLifetimePolicy(row),
  };
}

/** A row of the session lookup (session columns prefixed, then the user columns). */
export function toSessionAuth(row: Row): SessionAuthRecord {
  return { id: row.session_id as string, expires_at: row.session_expires_at as string, mode: row.mode as 'bearer' | 'cookie', user: toUser(row) };
}

export function toAuditEvent(row: Row): AuditEvent {
  return {
    id: String(row.seq),
    at: row.at as string,
    action: row.action as string,
    actor: row.actor_id ? { id: row.actor_id as string, username: (row.actor_username as string) ?? '' } : null,
    token_id: nullable(row.token_id),
    owner_id: nullable(row.owner_id),
    ip: nullable(row.ip),
    detail: JSON.parse(row.detail as string) as AuditEvent['detail'],
  };
}

/** The parameters of the audit INSERT (`AUDIT_INSERT_COLUMNS` order). */
export function auditValues(entry: AuditEntry): (string | null)[] {
  return [entry.at, entry.action, entry.actor?.id ?? null, entry.actor?.username ?? null, entry.token_id, entry.owner_id, entry.ip, JSON.stringify(entry.detail)];
}

/** The parameters of the token INSERT (`tokenInsertSql` order); a new token was last updated when created. */
export function tokenRowValues(token: NewToken): (string | Buffer | null)[] {
  return [
    token.id,
    token.digest,
    token.last4,
    token.owner_kind,
    token.owner_user_id,
    token.owner_scope_id,
    token.owner_scope_name,
    token.name,
    token.description,
    token.created_at,
    token.created_by_id,
    token.created_at,
    token.expires_at,
    token.scopes.join(' '),
    (token.allowed_ips ?? []).join(' '),
    token.not_before ?? null,
    token.approval ? 'pending' : null,
    token.approval?.justification ?? null,
    token.approval?.requested_at ?? null,
  ];
}

/** The lifetime caps read by `LIFETIME_POLICY_COLUMNS` (settings values are stored as JSON). */
export function toLifetimePolicy(row: Row): LifetimePolicy {
  return {
    max_days: row.policy_max_days == null ? DEFAULT_SETTINGS.max_lifetime_days : Number(JSON.parse(row.policy_max_days as string)),
    allow_no_expiry: row.policy_no_expiry == null ? DEFAULT_SETTINGS.allow_no_expiry : JSON.parse(row.policy_no_expiry as string) === true,
    org_max_days: row.policy_org_days == null ? null : Number(row.policy_org_days),
  };
}

/** The approval columns of a token row (null when the token never needed approval). */
function toApproval(row: Row): ApprovalRecord | null {
  if (row.approval_state == null) return null;
  return {
    state: row.approval_state as ApprovalState,
    justification: (row.approval_justification as string | null) ?? '',
    requested_at: row.approval_requested_at as string,
    decided_at: nullable(row.approval_decided_at),
    decided_by: row.approval_decided_by_id ? { id: row.approval_decided_by_id as string, username: (row.approval_decided_by_username as string | null) ?? '' } : null,
    reason: nullable(row.approval_reason),
  };
}

// ---- organisations ---------------------------------------------------------------------------

export function toOrg(row: Row): OrgRecord {
  return {
    id: row.id as string,
    name: row.name as string,
    created_at: row.created_at as string,
    require_token_approval: stored(row.require_token_approval),
    max_token_lifetime_days: row.max_token_lifetime_days == null ? null : Number(row.max_token_lifetime_days),
  };
}

export function toGroup(row: Row): GroupRecord {
  return { id: row.id as string, org_id: row.org_id as string, name: row.name as string, created_at: row.created_at as string };
}

export function toMembership(row: Row): MembershipRecord {
  return {
    user: { id: row.id as string, username: row.username as string, display_name: row.display_name as string, kind: row.kind as 'person' | 'technical' },
    role: row.role as MemberRole,
    created_at: row.created_at as string,
  };
}

export function toUserMembership(row: Row): UserMembership {
  return { kind: row.kind as ScopeKind, scope_id: row.scope_id as string, org_id: row.org_id as string, role: row.role as MemberRole };
}

// ---- webhooks --------------------------------------------------------------------------------

export function toWebhook(row: Row): WebhookRecord {
  return {
    id: row.id as string,
    url: row.url as string,
    events: words(row.events) as WebhookEvent[],
    active: stored(row.active),
    description: row.description as string,
    created_at: row.created_at as string,
    updated_at: row.updated_at as string,
  };
}

export function toAttempt(row: Row): AttemptRecord {
  return {
    attempt: Number(row.attempt),
    at: row.at as string,
    status_code: row.status_code == null ? null : Number(row.status_code),
    duration_ms: Number(row.duration_ms),
    error: nullable(row.error),
    next_retry_at: nullable(row.next_retry_at),
  };
}

export function toDelivery(row: Row, attempts: AttemptRecord[]): DeliveryRecord {
  return {
    seq: Number(row.seq),
    id: row.id as string,
    webhook_id: row.webhook_id as string,
    event_type: row.event_type as WebhookEvent,
    status: row.status as DeliveryStatus,
    created_at: row.created_at as string,
    attempt_count: Number(row.attempt_count),
    next_attempt_at: row.status === 'pending' && row.next_attempt_at != null ? new Date(Number(row.next_attempt_at)).toISOString() : null,
    attempts,
  };
}

export function toClaimedDelivery(row: Row): ClaimedDelivery {
  return {
    seq: Number(row.seq),
    id: row.id as string,
    webhook_id: row.webhook_id as string,
    url: row.url as string,
    // SQLite hands a Uint8Array, PostgreSQL a Buffer: the caller gets a Buffer either way.
    secret_sealed: Buffer.isBuffer(row.secret_sealed) ? row.secret_sealed : Buffer.from(row.secret_sealed as Uint8Array),
    event_type: row.event_type as WebhookEvent,
    payload: row.payload as string,
    attempt_count: Number(row.attempt_count),
  };
}

export function toOutboxRow(row: Row): OutboxRow {
  return {
    seq: Number(row.seq),
    action: row.action as string,
    token_id: nullable(row.token_id),
    owner_id: nullable(row.owner_id),
    actor: row.actor_id ? { id: row.actor_id as string, username: (row.actor_username as string) ?? '' } : null,
    at: row.at as string,
    detail: JSON.parse(row.detail as string) as AuditEntry['detail'],
  };
}
