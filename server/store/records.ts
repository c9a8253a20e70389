/**
 * The records that cross the storage boundary: what the HTTP layer hands a `Store` to write and what
 * it gets back. Shared by `Store`, `OrgStore` and `WebhookStore`, and by both backends; this module
 * imports no store, so every contract can import it without a circle.
 */
import type { OwnerKind, RecentUse, TokenStatus, TokenSortKey, User } from '../../lib/model.ts';

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

/**
 * A role that must still have an active holder once a change commits (the last System Admin): checked
 * after the change, in its transaction, with every such change serialised (docs/security.md rule 27).
 */
export interface KeepRole {
  keep_active_role?: string;
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
  /** Addresses and CIDR ranges the token may be used from ([] = any address). */
  allowed_ips: string[];
  /** Before this time the token authenticates nothing (null = from creation). */
  not_before: string | null;
  /** When the current secret was issued (creation, or the last regenerate): the lifetime counts from here. */
  issued_at: string;
  /** null: the token never needed approval. */
  approval: ApprovalRecord | null;
  /** The lifetime caps in force now (docs/security.md rule 36). */
  lifetime_policy: LifetimePolicy;
  /** What the token is bounded to (names as at creation); empty = everything its owner can reach. */
  resources: TokenResource[];
  /** The template the token was made from, if any. */
  template_id: string | null;
}

export type ApprovalState = 'pending' | 'approved' | 'denied';

export interface ApprovalRecord {
  state: ApprovalState;
  justification: string;
  requested_at: string;
  decided_at: string | null;
  decided_by: { id: string; username: string } | null;
  reason: string | null;
}

/** The caps on a token's lifetime as they stand now: the server's and those of its organisations. */
export interface LifetimePolicy {
  /** The server's `max_lifetime_days` (0 = no maximum). */
  max_days: number;
  /** The server's `allow_no_expiry`: a token without expiry meets the server's cap only while it is on. */
  allow_no_expiry: boolean;
  /** The smallest `max_token_lifetime_days` of the organisations governing the token (null = none). */
  org_max_days: number | null;
}

/**
 * One resource a token is bounded to, as stored with the token: its name and organisation are taken
 * from the registry (or the organisation) when the token is made.
 */
export interface TokenResource {
  type: string;
  id: string;
  name: string;
  /** The organisation the resource belongs to (for type `organization`: itself); null when none. */
  org_id: string | null;
}

/** A resource a host app registered (`PUT /resources/{type}/{id}`). */
export interface ResourceRecord {
  type: string;
  id: string;
  name: string;
  org_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface ResourceListQuery {
  type: string | null;
  text: string | null;
  /** Keyset cursor: the (type, id) of the last row of the previous page. */
  after: [string, string] | null;
  limit: number;
}

/** A token template: the values a new token starts from, which explicit fields may only narrow. */
export interface TemplateRecord {
  id: string;
  name: string;
  description: string;
  scopes: string[];
  expires_in_days: number | null;
  resources: TokenResource[];
  allowed_ips: string[];
  created_at: string;
  updated_at: string;
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
  /** Normalised CIDR ranges ([] = any address). */
  allowed_ips?: string[];
  not_before?: string | null;
  /** Set when the token waits for approval (state `pending`). */
  approval?: { justification: string; requested_at: string } | null;
  /** Organisations whose approval and lifetime policies govern this token. */
  policy_org_ids?: string[];
  /** Absent or empty: not bounded. */
  resources?: TokenResource[];
  template_id?: string | null;
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
  allowed_ips?: string[];
  not_before?: string | null;
  /**
   * The `updated_at` of the version the caller decided on: when the row has changed since, nothing is
   * written and the store throws `ConflictError` (docs/security.md rule 27).
   */
  unchanged_since?: string;
}

/** The verification path's answer: the token by digest (null: none) and the throttle's wait in seconds. */
export interface Verification {
  record: TokenAuthRecord | null;
  retryAfter: number;
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
  /** The stored allow-list as one string (space-separated ranges; '' = any address): parsed once per distinct list. */
  allowed_ips: string;
  not_before: string | null;
  /** When the current secret was issued (the lifetime counts from here). */
  issued_at: string;
  approval_state: ApprovalState | null;
  /** The lifetime caps in force now, read in the same statement as the token. */
  lifetime_policy: LifetimePolicy;
  /** What the token is bounded to (empty: not bounded); patkit enforces type `organization` itself. */
  resources: TokenResource[];
}

/** A decision on a pending token request. */
export interface ApprovalDecision {
  state: 'approved' | 'denied';
  decided_at: string;
  decided_by: { id: string; username: string };
  reason: string | null;
}

export interface TokenRequestQuery {
  state: ApprovalState;
  /** null = every request; else only those governed by one of these organisations. */
  org_ids: string[] | null;
  /** Keyset cursor: requested_at and id of the last row of the previous page. */
  after: [string, string] | null;
  limit: number;
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
  /**
   * The password hash the sign-in was checked against: the session is written only while the user is
   * active and still has this hash (a password change or deactivation during the check wins).
   */
  password_hash: string | null;
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
