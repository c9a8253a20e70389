/**
 * The storage boundary. Route handlers speak only this interface: `SqliteStore` (one process, the
 * embedded default) and `PostgresStore` (several stateless instances on one database) implement it.
 * Every method returns a promise; every write method is one transaction, and audit entries that
 * describe a change are written in the same transaction as the change. Nothing an implementation
 * keeps in process memory may outlive a change made by another process that shares its database.
 * The records it speaks in are in `records.ts` (re-exported here).
 */
import type { AuditEvent } from '../../lib/model.ts';
import type { ServerSettings } from './defaults.ts';
import type { OrgStore } from './org-store.ts';
import type { ResourceStore } from './resource-store.ts';
import type { WebhookStore } from './webhook-store.ts';
import type { CounterKey, FailureCounters } from '../auth/throttle.ts';
import type { QuotaCounters } from '../auth/quota.ts';
import type {
  ApprovalDecision,
  AuditEntry,
  AuditListQuery,
  KeepRole,
  NewSession,
  NewToken,
  NewUser,
  SessionAuthRecord,
  TokenAuthRecord,
  TokenListQuery,
  TokenPatchRecord,
  TokenRecord,
  TokenRequestQuery,
  UserPatch,
  UserRecord,
  UserWithPassword,
  Verification,
} from './records.ts';

// The records and helpers the rest of the server has always imported from here.
export * from './records.ts';
export { ConflictError } from './errors.ts';
export { readRecentUses } from './row-mapping.ts';

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
  /**
   * Deactivation also ends the user's sessions, in the same transaction. With `keep.keep_active_role`
   * (both methods), throws `ConflictError` and changes nothing if no active user would hold that role.
   */
  updateUser(id: string, patch: UserPatch, audit: AuditEntry | null, keep?: KeepRole): Promise<UserRecord | null>;
  setUserRoles(id: string, roles: string[], audit: AuditEntry | null, keep?: KeepRole): Promise<UserRecord | null>;
  countActiveUsersWithRole(role: string): Promise<number>;

  /**
   * Throws `ConflictError` (nothing written) unless the user is still active with the password hash
   * the sign-in checked, read under the user's row lock (docs/security.md rule 27).
   */
  createSession(session: NewSession, audit: AuditEntry | null): Promise<void>;
  findSessionByDigest(digest: Buffer): Promise<SessionAuthRecord | null>;
  deleteSession(id: string, audit: AuditEntry | null): Promise<void>;

  /** Throws `ConflictError` (nothing written) unless the owner is still active, read under its row lock. */
  insertToken(token: NewToken, audit: AuditEntry | null, more?: AuditEntry[]): Promise<TokenRecord>;
  findTokenByDigest(digest: Buffer): Promise<TokenAuthRecord | null>;
  /**
   * The verification path: the token by digest and the wait these throttle counters impose
   * (`FailureCounters.retryAfter`), read together (one round trip on a shared database).
   */
  findTokenForVerification(digest: Buffer, throttle: { keys: CounterKey[]; now: number }): Verification | Promise<Verification>;
  getToken(id: string): Promise<TokenRecord | null>;
  listTokens(query: TokenListQuery): Promise<TokenRecord[]>;
  countTokens(): Promise<number>;
  /** With `patch.unchanged_since`, throws `ConflictError` (nothing written) when the row changed since. */
  updateToken(id: string, patch: TokenPatchRecord, audit: AuditEntry | null): Promise<TokenRecord | null>;
  /**
   * New digest in place of the old one. With `graceUntil` null the old secret is dead when this
   * commits; otherwise the old secret stays valid until then as the token's only previous secret
   * (a grace period still running from an earlier regenerate ends at once: never three secrets).
   * A grace is written only to a token still active at `at`, checked on the row as it is under the
   * write's lock; otherwise `ConflictError` and nothing changes (docs/security.md rule 27).
   */
  replaceTokenSecret(
    id: string,
    digest: Buffer,
    last4: string,
    at: string,
    graceUntil: string | null,
    audit: AuditEntry | null,
    /** A new expiry written with the secret (undefined: unchanged); the lifetime counts from `at` either way. */
    expiresAt?: string | null,
  ): Promise<TokenRecord | null>;
  /** The organisations whose policies govern this token (approval, lifetime cap). */
  tokenPolicyOrgIds(id: string): Promise<string[]>;
  /** Token requests in one state, oldest first (keyset paged). */
  listTokenRequests(query: TokenRequestQuery): Promise<TokenRecord[]>;
  /**
   * Approves or denies a pending request, under the token's row lock; null when there is no such
   * token, `ConflictError` (nothing written) when it is not pending any more.
   */
  decideTokenRequest(id: string, decision: ApprovalDecision, audit: AuditEntry | null): Promise<TokenRecord | null>;
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

  /** The host app's resource registry and the token templates. */
  readonly resources: ResourceStore;

  /** Failure counters for throttling (docs/security.md rule 12), shared by every instance that shares this store. */
  readonly failures: FailureCounters;

  /** Quotas (every use counts, e.g. leak reports per IP), taken atomically and shared like `failures` (docs/security.md rule 28). */
  readonly quotas: QuotaCounters;

  /** Whether the database answers now (readiness); never throws. */
  ping(): Promise<boolean>;

  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(query: AuditListQuery): Promise<AuditEvent[]>;

  close(): Promise<void>;
}
