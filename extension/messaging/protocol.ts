/**
 * The one message protocol between the extension's pages (popup, options, role panel) and the
 * background. Every request is `{ patkit: 1, type, payload }`; every answer is
 * `{ ok: true, value }` or `{ ok: false, error }` with a serialised {@link ProviderError}.
 *
 * `ProtocolMap` types both sides; `validation.ts` checks every payload at run time, because a
 * message is untrusted input whatever its sender claims (docs/security.md rule 20).
 */
import type { ProviderError, SerializedProviderError } from '../../lib/errors.ts';
import type {
  ApprovalState,
  Confirmation,
  CreatedToken,
  LeakedSecretResult,
  Page,
  Resource,
  ResourceQuery,
  ResourceType,
  Role,
  ScopeCatalog,
  ServerSettings,
  TokenDraft,
  TokenMeta,
  TokenPatch,
  TokenQuery,
  TokenTemplate,
  User,
  UserQuery,
} from '../../lib/model.ts';
import type { ProviderCapabilities, ProviderDescriptor, ScopedOwner } from '../../lib/provider.ts';
import type { LeakedSecretTarget } from '../../lib/leaked.ts';

/** A configured server as pages see it: never a credential. */
export interface ServerView {
  id: string;
  name: string;
  kind: string;
  baseUrl: string;
  /** `signed_in` / `signed_out`; `offline` when the last call could not reach the server. */
  state: 'signed_in' | 'signed_out' | 'offline';
  user: User | null;
  /** The credential is kept in storage.local ("keep me signed in") rather than storage.session. */
  keepSignedIn: boolean;
}

export interface PanelMapping {
  id: string;
  /** A match pattern (`https://console.example.com/admin/*`). */
  pattern: string;
  serverId: string;
  /** Also show every user's tokens (`<pat-token-list>` in admin inventory mode). */
  inventory: boolean;
}

export interface AlertSettings {
  /** Tokens expiring within this many days count on the badge. */
  expiryWarningDays: number;
  /** A daily notification names the expiring tokens. */
  notify: boolean;
  /** Minutes between background refreshes of token metadata. */
  refreshMinutes: number;
}

export interface TokenListing {
  items: TokenMeta[];
  /** When these items were fetched from the server (ISO), `null` if never. */
  cachedAt: string | null;
  /** The server could not be reached: `items` are the cached copy. */
  offline: boolean;
  /** For a filtered or other-owner query (one page, not cached): the next page's cursor. */
  nextCursor?: string | null;
}

/** The tokens of one organisation or group the user manages (popup: grouped by these). */
export interface ScopedTokenGroup {
  owner: ScopedOwner;
  /** "Org" or "Org / Group", for the group's heading. */
  label: string;
  tokens: TokenMeta[];
}

/** A secret created but not yet confirmed as copied; lives in storage.session only, ≤ 5 minutes. */
export interface PendingSecret {
  serverId: string;
  token: TokenMeta;
  secret: string;
  /** ISO time after which the background wipes it. */
  expiresAt: string;
}

/** What became of a pasted leaked secret (metadata only: never the secret). */
export interface LeakedRevokeAnswer {
  outcome: LeakedSecretResult['outcome'];
  token: TokenMeta | null;
  /** The recognised kind (`github_classic`, `gitlab_pat`, …; lib/leaked.ts). */
  kind: string;
  target: LeakedSecretTarget;
  /** The configured server it went to; `null` for GitHub. */
  serverName: string | null;
}

export type SignInRequest =
  | { serverId: string; kind: 'password'; username: string; password: string; keepSignedIn: boolean; /** Two-factor one-time code, asked after `otp_required`. */ otp?: string }
  | { serverId: string; kind: 'token'; token: string; keepSignedIn: boolean };

interface ServerRef {
  serverId: string;
}
interface TokenRef extends ServerRef {
  tokenId: string;
}

export interface ProtocolMap {
  'providers.list': { req: Record<string, never>; res: ProviderDescriptor[] };
  'servers.list': { req: Record<string, never>; res: ServerView[] };
  /** Saving needs the origin granted first (the options page asks from the user's click). */
  'servers.save': { req: { id?: string; name: string; kind: string; baseUrl: string }; res: ServerView };
  'servers.remove': { req: ServerRef; res: null };
  'auth.signIn': { req: SignInRequest; res: ServerView };
  'auth.signOut': { req: ServerRef; res: ServerView };
  'auth.status': { req: ServerRef; res: ServerView };
  'server.capabilities': { req: ServerRef; res: ProviderCapabilities };
  'server.scopes': { req: ServerRef; res: ScopeCatalog };
  'server.settings': { req: ServerRef; res: ServerSettings };
  /** The cached copy when offline; refreshes the cache and the badge when online. */
  'tokens.list': { req: ServerRef & { query?: TokenQuery }; res: TokenListing };
  'tokens.create': { req: ServerRef & { draft: TokenDraft; confirm?: Confirmation }; res: CreatedToken };
  'tokens.update': { req: TokenRef & { patch: TokenPatch; confirm?: Confirmation }; res: TokenMeta };
  /**
   * `gracePeriodSeconds`: the old secret keeps working this long (where `rotationGraceMaxSeconds` > 0).
   * `expiresAt`: the new secret's expiry (ISO; null = none), for a token over the lifetime policy.
   */
  'tokens.regenerate': { req: TokenRef & { confirm?: Confirmation; gracePeriodSeconds?: number; expiresAt?: string | null }; res: CreatedToken };
  /** Ends a rotation's grace period now: only the new secret works afterwards. */
  'tokens.endGrace': { req: TokenRef; res: TokenMeta };
  /**
   * Revoke a pasted leaked secret where it belongs: a configured server (`serverId`, of the kind
   * the prefix names) or, for GitHub tokens, GitHub's public revocation API. The secret is used for
   * that one call and never stored or logged.
   */
  'leaked.revoke': { req: { secret: string; serverId?: string }; res: LeakedRevokeAnswer };
  /** A new token with the same scopes and lifetime as an existing one (the secret is held like create's). */
  'tokens.clone': { req: TokenRef & { overrides?: Partial<TokenDraft>; confirm?: Confirmation }; res: CreatedToken };
  'tokens.disable': { req: TokenRef; res: TokenMeta };
  'tokens.enable': { req: TokenRef & { confirm?: Confirmation }; res: TokenMeta };
  'tokens.delete': { req: TokenRef & { confirm?: Confirmation }; res: null };
  /** Organisation and group tokens the user can manage, grouped; revoke / delete go through tokens.disable / tokens.delete. */
  'orgs.tokens': { req: ServerRef; res: ScopedTokenGroup[] };
  'users.list': { req: ServerRef & { query?: UserQuery }; res: Page<User> };
  'roles.list': { req: ServerRef; res: Role[] };
  'users.setRoles': { req: ServerRef & { userId: string; roles: string[] }; res: User };
  'users.setActive': { req: ServerRef & { userId: string; active: boolean }; res: User };
  /** Token requests the signed-in user may decide (`tokens:approve`); a complete pending list also sets the badge's count. */
  'requests.list': { req: ServerRef & { state?: ApprovalState; cursor?: string }; res: Page<TokenMeta> };
  'requests.approve': { req: TokenRef; res: TokenMeta };
  /** A denial always says why (the requester reads the reason). */
  'requests.deny': { req: TokenRef & { reason: string }; res: TokenMeta };
  /** What the wizard offers where the server can: templates, resource types, resources to bound a token to. */
  'server.templates': { req: ServerRef; res: TokenTemplate[] };
  'server.resourceTypes': { req: ServerRef; res: ResourceType[] };
  'server.resources': { req: ServerRef & { query: ResourceQuery }; res: Page<Resource> };
  'pending.get': { req: Record<string, never>; res: PendingSecret | null };
  'pending.confirm': { req: { tokenId: string }; res: null };
  'alerts.get': { req: Record<string, never>; res: AlertSettings };
  'alerts.save': { req: Partial<AlertSettings>; res: AlertSettings };
  /** Refresh every signed-in server now (what the alarm does). */
  'alerts.refresh': { req: Record<string, never>; res: { expiring: number } };
  'panels.list': { req: Record<string, never>; res: PanelMapping[] };
  'panels.save': { req: { id?: string; pattern: string; serverId: string; inventory: boolean }; res: PanelMapping };
  'panels.remove': { req: { id: string }; res: null };
  /**
   * Asked by the role-panel frame script in a mapped console's top frame: a one-time ticket that
   * the panel it frames presents with `panels.context` (docs/security.md rule 30).
   */
  'panels.ticket': { req: Record<string, never>; res: { ticket: string } };
  /**
   * Asked by the panel page about the console that frames it: its ticket, how many frames are above
   * it and, where the browser lists them (Chromium), every ancestor origin, nearest first.
   */
  'panels.context': { req: { ticket?: string; depth: number; ancestors?: string[] }; res: { mapping: PanelMapping; server: ServerView; capabilities: ProviderCapabilities } };
}

export type MessageType = keyof ProtocolMap;
export type RequestOf<T extends MessageType> = ProtocolMap[T]['req'];
export type ResponseOf<T extends MessageType> = ProtocolMap[T]['res'];

export interface Envelope<T extends MessageType = MessageType> {
  patkit: 1;
  type: T;
  payload: RequestOf<T>;
}

export type Answer<T> = { ok: true; value: T } | { ok: false; error: SerializedProviderError };
