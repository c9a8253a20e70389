/**
 * The domain model every patkit layer shares: providers return it, the cache stores it, the
 * components render it, the reference server serialises it (its JSON uses the same field names).
 *
 * Times are ISO 8601 strings in UTC (`2026-11-23T10:00:00.000Z`), `null` when absent.
 * Nothing in this file may ever carry a token secret except {@link CreatedToken.secret}.
 */

/** Who a token belongs to. `user` now; organisation and group owners come with technical users. */
export type OwnerKind = 'user' | 'organization' | 'group';

export interface OwnerRef {
  kind: OwnerKind;
  /** Server-side id of the owning user (for organisation and group tokens: the technical user). */
  id: string;
  username: string;
  display_name: string;
  /** For organisation / group tokens: the organisation or group the technical user stands for. */
  scope_id?: string | null;
  scope_name?: string | null;
}

export interface UserRef {
  id: string;
  username: string;
}

/**
 * `expired` is derived from `expires_at` by the server; `disabled` is a user's or admin's choice;
 * `pending` waits for an approver and `denied` was refused (neither authenticates anything). When
 * several hold, the server answers the strongest: denied > pending > disabled > expired > active.
 */
export type TokenStatus = 'active' | 'disabled' | 'expired' | 'pending' | 'denied';

/** Something a token is bounded to (a project, an organisation); `name` where the server says. */
export interface ResourceRef {
  type: string;
  id: string;
  name?: string;
}

/** Where an approval request stands. */
export type ApprovalState = 'pending' | 'approved' | 'denied';

/** The approval request of a token created while approval applied. */
export interface TokenApproval {
  state: ApprovalState;
  /** Why the requester wants the token (up to 500 characters). */
  justification: string;
  requested_at: string;
  decided_at: string | null;
  decided_by: UserRef | null;
  /** The approver's reason for a denial; `null` otherwise. */
  reason: string | null;
}

/** Token metadata: everything about a token except its secret. Safe to log, cache and render. */
export interface TokenMeta {
  /** Public, non-secret id (safe in logs and URLs), e.g. `tok_3kTq8v0R1b2n4M5p`. */
  id: string;
  owner: OwnerRef;
  /** Short label. Providers without names (Mattermost, npm) map their description or key here. */
  name: string;
  description: string;
  created_at: string | null;
  created_by: UserRef | null;
  updated_at: string | null;
  /** `null` = never expires. */
  expires_at: string | null;
  /** Scope ids (API methods). Empty for providers without scopes. */
  scopes: string[];
  status: TokenStatus;
  last_used_at: string | null;
  last_used_ip: string | null;
  /** Last characters of the secret, for recognising a token; `null` when the server does not say. */
  last4: string | null;
  /**
   * Set while a regenerate's grace period keeps the previous secret valid (patkit server):
   * until when, and the last characters of that previous secret.
   */
  rotation?: { previous_valid_until: string; previous_last4: string } | null;
  /**
   * The last few distinct client addresses this token was used from, newest first, each with the
   * time of its last use there (patkit server: up to 5). Absent where the server does not say.
   */
  recent_uses?: RecentUse[];
  /** Provider-specific facts that have no common field (npm: readonly, cidr). Never a secret. */
  extra?: Record<string, string | number | boolean | string[] | null>;
  /** What the token is bounded to; empty = everything its owner can reach. Absent where the server has no resources. */
  resources?: ResourceRef[];
  /** IPv4 / IPv6 ranges (CIDR) the token may be used from; empty = any address. */
  allowed_ips?: string[];
  /** The token authenticates nothing before this time; `null` = from creation. */
  not_before?: string | null;
  /** The template the token was created from. */
  template_id?: string | null;
  /** The approval request, for a token created while approval applied; `null` otherwise. */
  approval?: TokenApproval | null;
  /** The token's lifetime exceeds the cap in force now: refused at use until regenerated with a compliant expiry. */
  lifetime_exceeds_policy?: boolean;
}

/** One client address a token was used from, and when last. */
export interface RecentUse {
  ip: string;
  at: string;
}

/** Admins: whose token a pasted value is (`matched`: the current secret, or a previous one still in its grace). */
export interface IdentifiedToken {
  token: TokenMeta;
  owner: User;
  matched: 'current' | 'previous';
}

/**
 * Disable the active tokens not used for `days` days (never used: counted from creation).
 * `dry_run` changes nothing and answers what would be disabled (the preview); `ids` limits the
 * change to tokens of that preview, so a token used since is spared.
 */
export interface DisableUnusedRequest {
  days: number;
  /** `me` (default), `all` (admins), or a user id, as in {@link TokenQuery.owner}. */
  owner?: string;
  ids?: string[];
  dry_run: boolean;
}

/**
 * What became of a pasted leaked secret on the server it belongs to: `revoked` (it no longer
 * works), `reported` (handed to a report endpoint that answers the same whether it matched, so the
 * outcome is unknown to the reporter), `not_found` (not among the tokens this account can see).
 */
export interface LeakedSecretResult {
  outcome: 'revoked' | 'reported' | 'not_found';
  token: TokenMeta | null;
}

/** The only shape that carries a secret. Never store it; show it once. */
export interface CreatedToken {
  token: TokenMeta;
  secret: string;
}

export interface User {
  id: string;
  username: string;
  display_name: string;
  active: boolean;
  /** `technical` users back organisation and group tokens and cannot sign in. */
  kind: 'person' | 'technical';
  roles: string[];
  /** Union of the permissions of the user's roles (scope ids). */
  permissions: string[];
  created_at: string | null;
}

export interface Role {
  id: string;
  /** Human label, e.g. "Allow this account to generate personal access tokens". */
  name: string;
  description: string;
  permissions: string[];
  built_in: boolean;
}

export interface Scope {
  /** e.g. `tokens:read`. */
  id: string;
  group: string;
  description: string;
  /** http(s) link to the method's documentation, or null. */
  docs_url: string | null;
}

export interface ScopePreset {
  id: string;
  name: string;
  description: string;
  scopes: string[];
}

export interface ScopeCatalog {
  scopes: Scope[];
  presets: ScopePreset[];
}

export interface ServerSettings {
  enable_personal_access_tokens: boolean;
  require_password_confirmation: boolean;
  /** Lifetime used when a create request names no expiry. */
  default_lifetime_days: number;
  /** 0 = no maximum. */
  max_lifetime_days: number;
  allow_no_expiry: boolean;
  /** Longest grace period a regenerate may keep the old secret valid for (patkit server). */
  max_grace_period_seconds?: number;
  /** Webhook targets may be http or private/loopback addresses (off by default: SSRF). */
  allow_private_webhook_targets?: boolean;
  /** Whose new tokens wait for an approver (patkit server; absent = the server has no approval). */
  token_approval?: TokenApprovalPolicy;
}

/** `off`: nobody's; `non_admins`: everyone's but System Admins'; `all`: everyone's. */
export type TokenApprovalPolicy = 'off' | 'non_admins' | 'all';

export type TokenSortKey = 'created_at' | 'name' | 'expires_at' | 'last_used_at';

export interface TokenQuery {
  /** `me` (default), `all` (admins), or a user id. */
  owner?: string;
  /** Matches token id, name, description or owner username. */
  text?: string;
  status?: TokenStatus;
  /** Only active tokens not used for this many days (never used: counted from creation). */
  unused_days?: number;
  sort?: TokenSortKey;
  order?: 'asc' | 'desc';
  cursor?: string | null;
  limit?: number;
}

export interface Page<T> {
  items: T[];
  /** Opaque; `null` when this is the last page. */
  next_cursor: string | null;
}

export interface UserQuery {
  text?: string;
  cursor?: string | null;
  limit?: number;
}

/** What a user fills in to create a token. Fields a provider cannot use are ignored (see capabilities). */
export interface TokenDraft {
  name: string;
  description?: string;
  /** ISO time, `null` for no expiry, `undefined` for the server's default lifetime. */
  expires_at?: string | null;
  scopes?: string[];
  /** Create for another user (admins, `capabilities.createForOthers`). */
  owner_id?: string;
  /** Provider-specific create options (npm: `readonly`, `cidr_whitelist`). */
  extra?: Record<string, string | number | boolean | string[] | null>;
  /** Bound the token to these (`capabilities.resources`, at most 50); absent or empty = everything the owner can reach. */
  resources?: ResourceRef[];
  /** IPv4 / IPv6 ranges or bare addresses (`capabilities.allowedIps`, at most 50); absent or empty = any address. */
  allowed_ips?: string[];
  /** ISO time before which the token works nowhere (`capabilities.notBefore`); must be before `expires_at`. */
  not_before?: string | null;
  /** Start from this template (`capabilities.templates`): explicit fields may only narrow it. */
  template_id?: string;
  /** Why the token is needed, for the approver (`capabilities.approval`, at most 500 characters). */
  justification?: string;
}

export interface TokenPatch {
  name?: string;
  description?: string;
  expires_at?: string | null;
  scopes?: string[];
  allowed_ips?: string[];
  not_before?: string | null;
}

/** A kind of thing tokens may be bounded to (`organization` is built in on the patkit server). */
export interface ResourceType {
  id: string;
  name: string;
}

/** A registered resource a token may be bounded to. */
export interface Resource {
  type: string;
  id: string;
  name: string;
  /** The organisation it belongs to, if any. */
  org_id: string | null;
  created_at: string | null;
  updated_at: string | null;
}

export interface ResourceQuery {
  type?: string;
  /** Matches id or name. */
  q?: string;
  cursor?: string | null;
  limit?: number;
}

/** A named starting point for new tokens; a token made from it may only narrow its values. */
export interface TokenTemplate {
  id: string;
  name: string;
  description: string;
  scopes: string[];
  /** `null` = the server's default lifetime rules. */
  expires_in_days: number | null;
  resources: ResourceRef[];
  allowed_ips: string[];
  created_at: string | null;
  updated_at: string | null;
}

/** What an admin fills in to create or change a template. */
export interface TokenTemplateDraft {
  name: string;
  description?: string;
  scopes?: string[];
  expires_in_days?: number | null;
  resources?: ResourceRef[];
  allowed_ips?: string[];
}

export interface TokenRequestQuery {
  /** `pending` when absent. */
  state?: ApprovalState;
  cursor?: string | null;
  limit?: number;
}

/**
 * Proof of intent a sensitive operation may need: the caller's password when the server's policy
 * asks for it, and the explicit acknowledgement for a token that carries System Admin rights.
 */
export interface Confirmation {
  password?: string;
  /**
   * The current one-time code (TOTP) of an account with two-factor authentication, for servers
   * that want it with the password (Gitea / Forgejo `X-Gitea-OTP`); asked after an `otp_required`.
   */
  otp?: string;
  acknowledge_admin_token?: boolean;
}

export interface AuditEvent {
  id: string;
  at: string;
  action: string;
  actor: UserRef | null;
  token_id: string | null;
  owner_id: string | null;
  ip: string | null;
  detail: Record<string, string | number | boolean | null>;
}

export interface AuditQuery {
  token_id?: string;
  user_id?: string;
  action?: string;
  cursor?: string | null;
  limit?: number;
}

/** How a provider signs in. */
export type Credentials =
  | { kind: 'password'; username: string; password: string; remember?: boolean; /** One-time code (2FA), where the server takes one. */ otp?: string }
  | { kind: 'token'; token: string };

/** What a provider hands back after signing in: store `credential` in memory / storage.session only. */
export interface SignedIn {
  user: User;
  /**
   * A bearer credential for later requests (session or pasted token). Secret: never persist
   * unencrypted. Empty in cookie session mode, where the credential is an HttpOnly cookie that
   * script never sees.
   */
  credential: string;
  /** When the credential stops working, if known. */
  expires_at: string | null;
}

/** The public token format of the patkit server (docs/security.md rule 1), for secret scanners. */
export const PATKIT_TOKEN_PATTERN = /^pat_[0-9A-Za-z]{36}$/;

// ---- organisations and groups (tokens backed by technical users) ---------------------------

/** A member's role in an organisation or a group. */
export type MemberRole = 'admin' | 'user';

/** An organisation as the caller sees it. */
export interface Organization {
  id: string;
  name: string;
  created_at: string | null;
  /** The caller's role in this organisation; `null` when the caller is not a member. */
  role: MemberRole | null;
  /** The caller may list, create, revoke and delete this organisation's tokens. */
  can_manage_tokens: boolean;
  /** Tokens bounded to this organisation's resources wait for an approver (patkit server, where it says). */
  require_token_approval?: boolean;
  /** This organisation's cap on token lifetimes (stricter than the server's); `null` = none. */
  max_token_lifetime_days?: number | null;
}

/** A group within an organisation, as the caller sees it. */
export interface Group {
  id: string;
  org_id: string;
  name: string;
  created_at: string | null;
  /** The caller's role in this group; `null` when the caller is not a member of it. */
  role: MemberRole | null;
  /** Group admins and the organisation's admins manage the group's tokens. */
  can_manage_tokens: boolean;
}

/** One member of an organisation or group: a person, or the technical user behind a token. */
export interface Membership {
  user: { id: string; username: string; display_name: string; kind: User['kind'] };
  role: MemberRole;
  created_at: string | null;
}

/**
 * What an organisation or group admin fills in to create a token at that level (the "Create Access
 * Token" dialog): the server creates the technical user and the token together.
 */
export interface ScopedTokenDraft {
  name: string;
  description?: string;
  /** ISO time, `null` for no expiry, `undefined` for the server's default lifetime. */
  expires_at?: string | null;
  /** Assign the level's admin role (organisation admin / group admin); otherwise its user role. */
  admin_role: boolean;
  /** Scopes for servers whose level tokens carry them (GitLab group / project tokens); the provider's default when absent. */
  scopes?: string[];
  /** A server's own role number for the token (GitLab access level 10–50); overrides `admin_role` where given. */
  access_level?: number;
}

/** The owner a token list, wizard or manager works for: the caller, an organisation or a group. */
export type TokenOwnerScope =
  | { kind: 'user' }
  | { kind: 'organization'; id: string; name: string }
  | { kind: 'group'; id: string; org_id: string; name: string };
