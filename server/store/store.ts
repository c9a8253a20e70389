/**
 * The storage boundary. Route handlers speak only this interface: `SqliteStore` (one process, the
 * embedded default) and `PostgresStore` (several stateless instances on one database) implement it.
 * Every method returns a promise; every write method is one transaction, and audit entries that
 * describe a change are written in the same transaction as the change. Nothing an implementation
 * keeps in process memory may outlive a change made by another process that shares its database.
 */
import type { AuditEvent, OwnerKind, RecentUse, ServerSettings, TokenSortKey, TokenStatus, User } from '../../lib/model.ts';
import type { OrgStore } from './org-store.ts';
import type { WebhookStore } from './webhook-store.ts';
import type { CounterKey, FailureCounters } from '../auth/throttle.ts';

export interface UserRecord {
  id: string;
  username: string;
  display_name: string;
  kind: User['kind'];
  active: boolean;
  roles: string[];
  created_at: string;
}

export interface UserWithPassword extends UserRecord {
  password_hash: string | null;
}

export interface NewUser {
  id: string;
  username: string;
  display_name: string;
  kind: User['kind'];
  password_hash: string | null;
  roles: string[];
  created_at: string;
}

export interface UserPatch {
  display_name?: string;
  active?: boolean;
  password_hash?: string;
}

/** Who a token belongs to: a user now; a technical user of an organisation or group later. */
export interface TokenOwnerRecord {
  kind: OwnerKind;
  user_id: string;
  username: string;
  display_name: string;
  scope_id: string | null;
  scope_name: string | null;
}

export interface TokenRecord {
  id: string;
  owner: TokenOwnerRecord;
  name: string;
  description: string;
  created_at: string;
  created_by: { id: string; username: string } | null;
  updated_at: string;
  expires_at: string | null;
  scopes: string[];
  disabled: boolean;
  last_used_at: string | null;
  last_used_ip: string | null;
  last4: string;
  /**
   * The previous secret kept valid by a regenerate with a grace period, as stored: it may already
   * have lapsed (compare with the clock); null when no grace was given or it was ended.
   */
  previous: { last4: string; valid_until: string } | null;
  /** The last distinct client IPs (at most `RECENT_USES_KEPT`), newest first, each with its last time. */
  recent_uses: RecentUse[];
}

/** How many distinct client IPs a token remembers. */
export const RECENT_USES_KEPT = 5;

export interface NewToken {
  id: string;
  digest: Buffer;
  last4: string;
  owner_kind: OwnerKind;
  owner_user_id: string;
  owner_scope_id: string | null;
  owner_scope_name: string | null;
  name: string;
  description: string;
  created_at: string;
  created_by_id: string | null;
  expires_at: string | null;
  scopes: string[];
}

export interface TokenPatchRecord {
  name?: string;
  description?: string;
  expires_at?: string | null;
  scopes?: string[];
  /** Disabling also ends a running grace period (the previous secret dies in the same transaction). */
  disabled?: boolean;
  /** Ends a running grace period: only the current secret works afterwards. */
  end_grace?: true;
}

/** What one indexed lookup by digest returns on the verification path. */
export interface TokenAuthRecord {
  id: string;
  created_at: string;
  scopes: string[];
  disabled: boolean;
  expires_at: string | null;
  last_used_at: string | null;
  /** As in `TokenRecord` (lets the caller skip a write when this IP was recorded within the minute). */
  recent_uses: RecentUse[];
  owner_kind: OwnerKind;
  /** Which secret of the token the digest matched: the current one, or the one in its grace period. */
  matched: 'current' | 'previous';
  /** End of the grace period of the previous secret (null when there is none). */
  previous_valid_until: string | null;
  user: UserRecord;
  /** The `enable_personal_access_tokens` setting, read in the same statement as the token. */
  personal_access_tokens_enabled: boolean;
}

export interface SessionAuthRecord {
  id: string;
  expires_at: string;
  mode: 'bearer' | 'cookie';
  user: UserRecord;
}

export interface NewSession {
  id: string;
  digest: Buffer;
  user_id: string;
  mode: 'bearer' | 'cookie';
  created_at: string;
  expires_at: string;
}

export interface TokenListQuery {
  /** null = every owner. */
  owner_user_id: string | null;
  text: string | null;
  status: TokenStatus | null;
  sort: TokenSortKey;
  order: 'asc' | 'desc';
  /** Decoded keyset cursor: the sort value and id of the last row of the previous page. */
  after: [string, string] | null;
  limit: number;
  now: string;
  /** Only active tokens whose last use (or creation, if never used) is before this time; null = no such filter. */
  unused_before?: string | null;
}

export interface AuditEntry {
  action: string;
  actor: { id: string; username: string } | null;
  token_id: string | null;
  owner_id: string | null;
  ip: string | null;
  at: string;
  detail: Record<string, string | number | boolean | null>;
}

export interface AuditListQuery {
  token_id: string | null;
  user_id: string | null;
  action: string | null;
  /** Return events older than this sequence number. */
  before: number | null;
  limit: number;
}

export interface Store {
  getSettings(): Promise<ServerSettings>;
  updateSettings(patch: Partial<ServerSettings>, audit: AuditEntry | null): Promise<ServerSettings>;
  /** Small internal flags (e.g. "demo data seeded"). */
  getFlag(key: string): Promise<string | null>;
  setFlag(key: string, value: string): Promise<void>;
  /** Sets the flag unless it is set (atomically, across instances); returns the value that holds. */
  claimFlag(key: string, value: string): Promise<string>;

  createUser(user: NewUser, audit: AuditEntry | null): Promise<UserRecord>;
  getUser(id: string): Promise<UserWithPassword | null>;
  getUserByUsername(username: string): Promise<UserWithPassword | null>;
  listUsers(query: { text: string | null; after: string | null; limit: number }): Promise<UserRecord[]>;
  /** Deactivation also ends the user's sessions, in the same transaction. */
  updateUser(id: string, patch: UserPatch, audit: AuditEntry | null): Promise<UserRecord | null>;
  setUserRoles(id: string, roles: string[], audit: AuditEntry | null): Promise<UserRecord | null>;
  countActiveUsersWithRole(role: string): Promise<number>;

  createSession(session: NewSession, audit: AuditEntry | null): Promise<void>;
  findSessionByDigest(digest: Buffer): Promise<SessionAuthRecord | null>;
  deleteSession(id: string, audit: AuditEntry | null): Promise<void>;

  insertToken(token: NewToken, audit: AuditEntry | null): Promise<TokenRecord>;
  findTokenByDigest(digest: Buffer): Promise<TokenAuthRecord | null>;
  /**
   * The verification path: the token by digest and the wait these throttle counters impose
   * (`FailureCounters.retryAfter`), read together (one round trip on a shared database).
   */
  findTokenForVerification(digest: Buffer, throttle: { keys: CounterKey[]; now: number }): Promise<{ record: TokenAuthRecord | null; retryAfter: number }>;
  getToken(id: string): Promise<TokenRecord | null>;
  listTokens(query: TokenListQuery): Promise<TokenRecord[]>;
  countTokens(): Promise<number>;
  updateToken(id: string, patch: TokenPatchRecord, audit: AuditEntry | null): Promise<TokenRecord | null>;
  /**
   * New digest in place of the old one. With `graceUntil` null the old secret is dead when this
   * commits; otherwise the old secret stays valid until then as the token's only previous secret
   * (a grace period still running from an earlier regenerate ends at once: never three secrets).
   */
  replaceTokenSecret(id: string, digest: Buffer, last4: string, at: string, graceUntil: string | null, audit: AuditEntry | null): Promise<TokenRecord | null>;
  /**
   * All or nothing: returns null (and changes nothing) when any id is missing. Deleting an
   * organisation or group token also deletes its technical user (audited as `user.deleted`).
   */
  deleteTokens(ids: string[], audits: AuditEntry[]): Promise<string[] | null>;
  /**
   * A leaked-token report: every token whose current secret, or previous secret still in its grace
   * period at `at`, has one of these digests is disabled (its grace ended) and audited
   * `token.reported_leaked` with the reporter's IP, in one transaction. Returns the ids disabled.
   */
  reportLeakedTokens(digests: Buffer[], at: string, ip: string | null): Promise<string[]>;
  /**
   * Disables, in one transaction, those of `ids` that are still active at `now` and still unused
   * since `unusedBefore` (checked again under the row lock: a token used since the caller's preview
   * is spared), writing the audit entry of `audits` whose `token_id` names each one disabled.
   * Returns the tokens disabled, in the order of `ids`.
   */
  disableUnusedTokens(ids: string[], unusedBefore: string, now: string, audits: AuditEntry[]): Promise<TokenRecord[]>;
  /**
   * Last use, debounced by the caller (at most once a minute per token and IP). Never moves
   * `last_used_at` backwards; merges `ip` into `recent_uses` in SQL (newest `RECENT_USES_KEPT`
   * distinct IPs), so instances writing at once on a shared database lose none of each other's entries.
   */
  touchToken(id: string, at: string, ip: string | null): Promise<void>;

  /** Organisations, groups, memberships and the technical users behind their tokens. */
  readonly orgs: OrgStore;

  /** Webhooks, their durable delivery queue and the outbox over the audit log. */
  readonly webhooks: WebhookStore;

  /** Failure counters for throttling (rule 12), shared by every instance that shares this store. */
  readonly failures: FailureCounters;

  /** Whether the database answers now (readiness); never throws. */
  ping(): Promise<boolean>;

  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(query: AuditListQuery): Promise<AuditEvent[]>;

  close(): Promise<void>;
}

export class ConflictError extends Error {
  readonly field: string;
  constructor(message: string, field: string) {
    super(message);
    this.name = 'ConflictError';
    this.field = field;
  }
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
