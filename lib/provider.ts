/**
 * The one interface every token server is spoken to through. The rule for its methods: what every
 * server does (sign in, list and read tokens, the scope catalog) is required; every other operation
 * is optional, and a provider leaves out what its server lacks instead of writing a method that
 * only refuses. The UI reads `capabilities` (and checks the method is there) before it offers an
 * operation; a caller that calls anyway goes through `requireOperation` (providers/operations.ts),
 * which throws {@link UnsupportedOperation}. A capability can also be switched off at run time
 * (a server version, a setting, the caller's rights) while the method stays; the provider then
 * throws the same error.
 */
import type {
  AuditEvent,
  AuditQuery,
  Confirmation,
  CreatedToken,
  Credentials,
  DisableUnusedRequest,
  Group,
  IdentifiedToken,
  LeakedSecretResult,
  MemberRole,
  Membership,
  Organization,
  Page,
  Resource,
  ResourceQuery,
  ResourceType,
  Role,
  ScopeCatalog,
  ScopedTokenDraft,
  ServerSettings,
  SignedIn,
  TokenDraft,
  TokenMeta,
  TokenOwnerScope,
  TokenPatch,
  TokenQuery,
  TokenRequestQuery,
  TokenTemplate,
  TokenTemplateDraft,
  User,
  UserQuery,
} from './model.ts';

/** An organisation or a group whose tokens (backed by technical users) are managed. */
export type ScopedOwner = Exclude<TokenOwnerScope, { kind: 'user' }>;

export interface ExpiryCapability {
  /** `none`: tokens never expire; `optional`: a user may pick "never"; `required`: every token expires. */
  mode: 'none' | 'optional' | 'required';
  /** Longest allowed lifetime in days; `null` = no maximum. */
  maxLifetimeDays: number | null;
  /** Lifetime the server uses when none is given; `null` = none / unknown. */
  defaultLifetimeDays: number | null;
}

/**
 * Whether the signed-in user may create tokens of their own on this server, and why not, before a
 * wizard is opened. Organisation and group tokens are governed by membership, not by this.
 */
export interface CreateCapability {
  /** `false` only when the server is known to refuse: the UI then offers no Create and shows `reason`. */
  allowed: boolean;
  /** One sentence for the user when `allowed` is false (what is missing and who can grant it); else `null`. */
  reason: string | null;
}

export interface ProviderCapabilities {
  expiry: ExpiryCapability;
  /** May the signed-in user create tokens (unknown before sign-in: `allowed` true). */
  create: CreateCapability;
  /** `none`: no scopes; `presets`: only named sets; `custom`: presets plus a free list of methods. */
  scopes: 'none' | 'presets' | 'custom';
  /** Tokens carry a name distinct from the description. */
  names: boolean;
  /** Tokens carry a free-text description. */
  description: boolean;
  disable: boolean;
  regenerate: boolean;
  /**
   * Longest grace period (seconds) a regenerate may keep the old secret working for; 0 = the old
   * secret dies at once (no grace on this server). See {@link RegenerateOptions.gracePeriodSeconds}.
   */
  rotationGraceMaxSeconds: number;
  clone: boolean;
  update: boolean;
  bulkDelete: boolean;
  lastUsed: boolean;
  /** Tokens carry `recent_uses` (the last distinct client addresses). */
  recentUses: boolean;
  /** `TokenQuery.unused_days` filters, and `disableUnusedTokens` previews and disables. */
  unused: boolean;
  /** Admins can paste a token value and see whose it is (`identifyToken`). */
  identify: boolean;
  /** Sensitive operations need the caller's password (`Confirmation.password`). */
  passwordConfirmation: 'never' | 'policy' | 'always';
  /** The signed-in admin can list every user's tokens. */
  adminInventory: boolean;
  createForOthers: boolean;
  /** Role catalog and per-user role assignment. */
  roles: boolean;
  /** Users can be deactivated and reactivated. */
  userActivation: boolean;
  /** Server-side text search over tokens. */
  search: boolean;
  /**
   * Organisation and group tokens backed by technical users: the provider implements the optional
   * `listOrganizations`, `listGroups`, `listScopedTokens` and `createScopedToken`. Revoke and delete
   * go through `disableToken` / `deleteToken` like any token.
   */
  orgTokens: boolean;
  audit: boolean;
  settings: boolean;
  /** Tokens can be bounded to resources (`TokenDraft.resources`); `listResourceTypes` and `listResources` feed a picker. */
  resources: boolean;
  /**
   * The server has approval requests: a new token may wait for an approver (`TokenDraft.justification`,
   * status `pending` / `denied`), and `listTokenRequests`, `approveTokenRequest`, `denyTokenRequest`
   * are there; who may approve what, the server decides (others get `forbidden`).
   */
  approval: boolean;
  /**
   * New personal tokens of the signed-in user wait for an approver (the server's `token_approval`
   * setting against the caller's roles), so the wizard asks for a justification. An organisation's
   * own rule may still make a token bounded to its resources wait: the created token's `status` says.
   */
  approvalRequired?: boolean;
  /** Token templates: `listTemplates` and `TokenDraft.template_id` (managing them also needs `settings`). */
  templates: boolean;
  /** Tokens carry an IP allow-list (`TokenDraft.allowed_ips`; npm: its `cidr_whitelist`). */
  allowedIps: boolean;
  /** Tokens carry a not-before time (`TokenDraft.not_before`). */
  notBefore: boolean;
  /** The signed-in token can rotate itself (`rotateSelf`); the new secret replaces the credential. */
  selfRotate: boolean;
  /** Provider-specific create options the wizard should offer (npm: readonly, cidr_whitelist). */
  createOptions: CreateOption[];
}

export interface CreateOption {
  key: string;
  label: string;
  type: 'boolean' | 'string-list';
  help: string;
}

/** Per-call options. */
export interface CallOptions {
  signal?: AbortSignal;
}

export interface RegenerateOptions extends CallOptions {
  /** Keep the old secret working this long (seconds; 0 or absent = it dies at once). */
  gracePeriodSeconds?: number;
  /**
   * The new secret's expiry (ISO time; `null` = none), checked against the lifetime policy counting
   * from now: the way out for a token whose lifetime exceeds the policy. Absent = the server's rule
   * (the patkit server keeps the current expiry). Only the patkit reference server takes it; the
   * other providers refuse it (`unsupported_operation`) rather than regenerate with another expiry.
   */
  expiresAt?: string | null;
}

/** Static description of a provider kind, for the options page's picker. */
export interface ProviderDescriptor {
  /** `patkit`, `mattermost`, `npm`. */
  kind: string;
  label: string;
  /** How a user signs in to this kind of server. */
  signIn: Array<'password' | 'token'>;
  /** One line for the options page. */
  help: string;
}

export interface ProviderConfig {
  /** Base URL of the server, e.g. `https://tokens.example.com` (no trailing slash needed). */
  baseUrl: string;
  /** A bearer credential from an earlier sign-in, if any. */
  credential?: string | null;
  /**
   * `bearer` (default): send `credential` as `Authorization: Bearer`. `cookie`: a same-origin admin
   * console that signed in with an HttpOnly session cookie; requests go with `credentials:
   * 'same-origin'` and the server's CSRF header, and no credential is ever visible to script.
   */
  sessionMode?: 'bearer' | 'cookie';
  /** Request timeout in milliseconds (default 15000). */
  timeoutMs?: number;
  /** For tests and non-browser hosts; defaults to `globalThis.fetch`. */
  fetch?: typeof fetch;
}

export interface TokenProvider {
  readonly descriptor: ProviderDescriptor;
  /** The normalised base URL requests go to (no trailing slash), when the provider has one. */
  readonly baseUrl?: string;
  /**
   * What this server can do. Some servers only reveal this after sign-in (settings, version), so
   * call {@link refreshCapabilities} after signing in; the value is always safe to read.
   */
  readonly capabilities: ProviderCapabilities;
  refreshCapabilities(options?: CallOptions): Promise<ProviderCapabilities>;

  signIn(credentials: Credentials, options?: CallOptions): Promise<SignedIn>;
  signOut(options?: CallOptions): Promise<void>;
  currentUser(options?: CallOptions): Promise<User>;
  /** Replace the credential used for requests (e.g. restored from storage.session). */
  setCredential(credential: string | null): void;
  /**
   * The credential in use, for providers where a call can replace it (GitLab rotating the token it
   * signed in with); the caller stores the new value in place of the old.
   */
  readonly credentialValue?: string | null;

  listTokens(query?: TokenQuery, options?: CallOptions): Promise<Page<TokenMeta>>;
  getToken(id: string, options?: CallOptions): Promise<TokenMeta>;
  // Optional operations: each is gated by the capability named in providers/operations.ts.
  /** Where `capabilities.create.allowed`. */
  createToken?(draft: TokenDraft, confirm?: Confirmation, options?: CallOptions): Promise<CreatedToken>;
  updateToken?(id: string, patch: TokenPatch, confirm?: Confirmation, options?: CallOptions): Promise<TokenMeta>;
  regenerateToken?(id: string, confirm?: Confirmation, options?: RegenerateOptions): Promise<CreatedToken>;
  /**
   * The signed-in token replaces itself with a new secret (where `capabilities.selfRotate`); the
   * provider uses the new secret from then on and {@link credentialValue} answers it.
   */
  rotateSelf?(options?: RegenerateOptions): Promise<CreatedToken>;
  /** Ends a running grace period now: only the current secret works afterwards (where `rotationGraceMaxSeconds` > 0). */
  endGrace?(id: string, options?: CallOptions): Promise<TokenMeta>;
  /** Preview (`dry_run`) or disable the tokens not used for N days (where `capabilities.unused`). Returns the tokens affected. */
  disableUnusedTokens?(request: DisableUnusedRequest, options?: CallOptions): Promise<TokenMeta[]>;
  /** Admins: whose token is this value (where `capabilities.identify`). The value is sent to this server only. */
  identifyToken?(secret: string, options?: CallOptions): Promise<IdentifiedToken>;
  /**
   * Revoke a leaked secret that belongs to this server, by the server's own means (patkit: its
   * report endpoint; GitLab: the token revoking itself; npm: when it is among the account's tokens).
   * The secret is sent to this server only and never kept.
   */
  revokeLeakedSecret?(secret: string, options?: CallOptions): Promise<LeakedSecretResult>;
  cloneToken?(id: string, overrides?: Partial<TokenDraft>, confirm?: Confirmation, options?: CallOptions): Promise<CreatedToken>;
  disableToken?(id: string, options?: CallOptions): Promise<TokenMeta>;
  enableToken?(id: string, confirm?: Confirmation, options?: CallOptions): Promise<TokenMeta>;
  deleteToken?(id: string, confirm?: Confirmation, options?: CallOptions): Promise<void>;
  /** All-or-nothing where the server supports it. Returns the ids deleted. */
  bulkDeleteTokens?(ids: string[], confirm?: Confirmation, options?: CallOptions): Promise<string[]>;

  listUsers?(query?: UserQuery, options?: CallOptions): Promise<Page<User>>;
  listRoles?(options?: CallOptions): Promise<Role[]>;
  /** Sets exactly these roles (the provider keeps roles it does not manage, where the server has them). */
  setUserRoles?(userId: string, roles: string[], options?: CallOptions): Promise<User>;
  setUserActive?(userId: string, active: boolean, options?: CallOptions): Promise<User>;
  scopeCatalog(options?: CallOptions): Promise<ScopeCatalog>;
  getSettings?(options?: CallOptions): Promise<ServerSettings>;
  updateSettings?(patch: Partial<ServerSettings>, options?: CallOptions): Promise<ServerSettings>;
  listAudit?(query?: AuditQuery, options?: CallOptions): Promise<Page<AuditEvent>>;

  // Fine-grained tokens: resources, templates and approval requests, each gated by its capability.
  /** What tokens may be bounded to (where `capabilities.resources`). */
  listResourceTypes?(options?: CallOptions): Promise<ResourceType[]>;
  /** Registered resources, searched and paged, for a picker (where `capabilities.resources`). */
  listResources?(query?: ResourceQuery, options?: CallOptions): Promise<Page<Resource>>;
  /** Templates to start a token from (where `capabilities.templates`). */
  listTemplates?(options?: CallOptions): Promise<TokenTemplate[]>;
  /** Admins (`capabilities.templates` and `settings`). */
  createTemplate?(draft: TokenTemplateDraft, options?: CallOptions): Promise<TokenTemplate>;
  updateTemplate?(id: string, patch: Partial<TokenTemplateDraft>, options?: CallOptions): Promise<TokenTemplate>;
  deleteTemplate?(id: string, options?: CallOptions): Promise<void>;
  /** Approvers: token requests by state, pending first when no state is given (where `capabilities.approval`). */
  listTokenRequests?(query?: TokenRequestQuery, options?: CallOptions): Promise<Page<TokenMeta>>;
  /** Approves a pending request: the token works from now on (`conflict` when it is not pending). */
  approveTokenRequest?(id: string, options?: CallOptions): Promise<TokenMeta>;
  /** Denies a pending request with a reason the requester sees; the token never works. */
  denyTokenRequest?(id: string, reason: string, options?: CallOptions): Promise<TokenMeta>;

  // Organisation and group tokens: optional, present when `capabilities.orgTokens` can be true.
  /** Organisations the caller belongs to (System Admins: all), with the caller's role. */
  listOrganizations?(options?: CallOptions): Promise<Organization[]>;
  /** The organisation's groups the caller can see. */
  listGroups?(orgId: string, options?: CallOptions): Promise<Group[]>;
  /** The tokens of an organisation or group (its admins only). */
  listScopedTokens?(owner: ScopedOwner, options?: CallOptions): Promise<TokenMeta[]>;
  /** Creates the technical user and its token in one step; the secret is in the answer only. */
  createScopedToken?(owner: ScopedOwner, draft: ScopedTokenDraft, confirm?: Confirmation, options?: CallOptions): Promise<CreatedToken>;

  // Organisation administration (System Admins: `users:write`): optional, patkit only.
  /** Creates an organisation (`conflict` when the name is taken). */
  createOrganization?(name: string, options?: CallOptions): Promise<Organization>;
  /** Creates a group in an organisation (`conflict` when the name is taken there). */
  createGroup?(orgId: string, name: string, options?: CallOptions): Promise<Group>;
  /** Members of an organisation or group, technical users included (its admins and System Admins). */
  listMembers?(level: ScopedOwner, options?: CallOptions): Promise<Membership[]>;
  /** Adds a member or changes their role. */
  setMember?(level: ScopedOwner, userId: string, role: MemberRole, options?: CallOptions): Promise<Membership>;
  /** Removes a member; a technical user's token stops working at its next request. */
  removeMember?(level: ScopedOwner, userId: string, options?: CallOptions): Promise<void>;
}

export type ProviderFactory = (config: ProviderConfig) => TokenProvider;
