/**
 * The one message protocol between the extension's pages (popup, options, console panel) and the
 * background. Every request is `{ patkit: 1, type, payload }`; every answer is
 * `{ ok: true, value }` or `{ ok: false, error }` with a serialised {@link ProviderError}.
 *
 * `ProtocolMap` types both sides; {@link validateRequest} checks every payload at run time, because
 * a message is untrusted input whatever its sender claims (docs/security.md rule 20).
 */
import { ProviderError, type SerializedProviderError } from '../../lib/errors.ts';
import type {
  Confirmation,
  CreatedToken,
  LeakedSecretResult,
  Page,
  Role,
  ScopeCatalog,
  ServerSettings,
  TokenDraft,
  TokenMeta,
  TokenPatch,
  TokenQuery,
  User,
  UserQuery,
} from '../../lib/model.ts';
import type { ProviderCapabilities, ProviderDescriptor, ScopedOwner } from '../../lib/provider.ts';
import { MAX_SECRET_LENGTH, type LeakedSecretTarget } from '../../lib/leaked.ts';

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
  /** `gracePeriodSeconds`: the old secret keeps working this long (where `rotationGraceMaxSeconds` > 0). */
  'tokens.regenerate': { req: TokenRef & { confirm?: Confirmation; gracePeriodSeconds?: number }; res: CreatedToken };
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
  'pending.get': { req: Record<string, never>; res: PendingSecret | null };
  'pending.confirm': { req: { tokenId: string }; res: null };
  'alerts.get': { req: Record<string, never>; res: AlertSettings };
  'alerts.save': { req: Partial<AlertSettings>; res: AlertSettings };
  /** Refresh every signed-in server now (what the alarm does). */
  'alerts.refresh': { req: Record<string, never>; res: { expiring: number } };
  'panels.list': { req: Record<string, never>; res: PanelMapping[] };
  'panels.save': { req: { id?: string; pattern: string; serverId: string; inventory: boolean }; res: PanelMapping };
  'panels.remove': { req: { id: string }; res: null };
  /** Asked by the panel page about the console that frames it. */
  'panels.context': { req: { origin: string }; res: { mapping: PanelMapping; server: ServerView; capabilities: ProviderCapabilities } };
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

/**
 * Messages the console panel page may send. It runs inside a third-party page's frame, so it gets
 * nothing that creates, reveals or holds a secret (docs/security.md rule 20: "never sends a secret to a
 * content script" — the panel is the closest thing to one).
 */
export const PANEL_MESSAGES: ReadonlySet<MessageType> = new Set<MessageType>([
  'panels.context',
  'providers.list',
  'auth.status',
  'server.capabilities',
  'tokens.list',
  'tokens.disable',
  'tokens.delete',
  'users.list',
  'roles.list',
  'users.setRoles',
  'users.setActive',
]);

// ---------------------------------------------------------------------------------------------
// Validation: small, strict, and with messages a person can act on. Unknown fields are refused.

type Shape = Record<string, (v: unknown, path: string) => unknown>;

function bad(path: string, message: string): ProviderError {
  return new ProviderError('validation_failed', `${path}: ${message}`, { fieldErrors: [{ field: path, message }] });
}

const ID_RE = /^[A-Za-z0-9_.:-]{1,128}$/;

function str(max: number, opts: { min?: number; re?: RegExp } = {}) {
  return (v: unknown, path: string): string => {
    if (typeof v !== 'string') throw bad(path, 'must be a string');
    if (v.length < (opts.min ?? 0)) throw bad(path, opts.min === 1 ? 'must not be empty' : `must have at least ${opts.min} characters`);
    if (v.length > max) throw bad(path, `must have at most ${max} characters`);
    if (opts.re && !opts.re.test(v)) throw bad(path, 'has an invalid format');
    return v;
  };
}
const id = str(128, { min: 1, re: ID_RE });
function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw bad(path, 'must be true or false');
  return v;
}
function int(min: number, max: number) {
  return (v: unknown, path: string): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw bad(path, `must be a whole number from ${min} to ${max}`);
    return v;
  };
}
function optional(check: (v: unknown, path: string) => unknown) {
  return (v: unknown, path: string): unknown => (v === undefined ? undefined : check(v, path));
}
function nullable(check: (v: unknown, path: string) => unknown) {
  return (v: unknown, path: string): unknown => (v === null ? null : check(v, path));
}
function list(check: (v: unknown, path: string) => unknown, max: number) {
  return (v: unknown, path: string): unknown[] => {
    if (!Array.isArray(v)) throw bad(path, 'must be a list');
    if (v.length > max) throw bad(path, `must have at most ${max} entries`);
    return v.map((item, i) => check(item, `${path}[${i}]`));
  };
}
function oneOf<T extends string>(...values: T[]) {
  return (v: unknown, path: string): T => {
    if (typeof v !== 'string' || !(values as string[]).includes(v)) throw bad(path, `must be one of ${values.join(', ')}`);
    return v as T;
  };
}
function isoTime(v: unknown, path: string): string {
  const s = str(40, { min: 1 })(v, path);
  if (Number.isNaN(Date.parse(s))) throw bad(path, 'must be an ISO 8601 time');
  return s;
}
function obj(shape: Shape) {
  return (v: unknown, path: string): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(path, 'must be an object');
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      if (!(key in shape)) throw bad(path === '' ? key : `${path}.${key}`, 'is not a known field');
    }
    for (const [key, check] of Object.entries(shape)) {
      const value = check((v as Record<string, unknown>)[key], path === '' ? key : `${path}.${key}`);
      if (value !== undefined) out[key] = value;
    }
    return out;
  };
}
const extraValue = (v: unknown, path: string): unknown => {
  if (v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return v;
  if (typeof v === 'string') return str(2000)(v, path);
  return list(str(200), 100)(v, path);
};
function record(check: (v: unknown, path: string) => unknown, maxKeys: number) {
  return (v: unknown, path: string): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(path, 'must be an object');
    const keys = Object.keys(v);
    if (keys.length > maxKeys) throw bad(path, `must have at most ${maxKeys} fields`);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      str(64, { min: 1, re: /^[A-Za-z0-9_]+$/ })(key, `${path}.${key}`);
      out[key] = check((v as Record<string, unknown>)[key], `${path}.${key}`);
    }
    return out;
  };
}

const empty = obj({});
const serverRef = { serverId: id };
const tokenRef = { serverId: id, tokenId: id };
/** A one-time code (TOTP): digits only, 4 to 10 of them. */
const otp = optional(str(10, { min: 4, re: /^[0-9]+$/ }));
const confirmation = optional(obj({ password: optional(str(1024, { min: 1 })), otp, acknowledge_admin_token: optional(bool) }));
const scopes = list(str(200, { min: 1 }), 500);
const tokenQuery = optional(
  obj({
    owner: optional(str(128, { min: 1 })),
    text: optional(str(200)),
    status: optional(oneOf('active', 'disabled', 'expired')),
    sort: optional(oneOf('created_at', 'name', 'expires_at', 'last_used_at')),
    order: optional(oneOf('asc', 'desc')),
    cursor: optional(nullable(str(1000))),
    limit: optional(int(1, 1000)),
  }),
);

/** A base URL: https, or http on a loopback host only (README, options page). */
export function checkBaseUrl(v: unknown, path = 'baseUrl'): string {
  const s = str(2000, { min: 1 })(v, path);
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    throw bad(path, 'must be a full URL such as https://tokens.example.com');
  }
  if (url.username || url.password) throw bad(path, 'must not contain a user name or password');
  if (url.search || url.hash) throw bad(path, 'must not contain a query or fragment');
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw bad(path, 'must use https (plain http is allowed only for 127.0.0.1 and localhost)');
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/**
 * The host permission patkit asks for to contact a server or run on a console: scheme and host,
 * no port, any path. A match pattern without a port matches every port in Chrome and Firefox,
 * while Firefox refuses to request a pattern with a port ("not declared in the manifest": it
 * is not a subset of `http://127.0.0.1/*` there), so `http://127.0.0.1:8811` asks for
 * `http://127.0.0.1/*`.
 */
export function originPermission(urlOrPattern: string): string {
  const m = /^(https?):\/\/([^/:]+|\[[^\]]+\])(?::\d+)?(?:\/|$)/.exec(urlOrPattern);
  if (!m) throw bad('url', 'must start with http:// or https:// and a host');
  return `${m[1]}://${m[2]}/*`;
}

/**
 * The content-script match pattern for a console mapping: the pattern without its port, since
 * Firefox's match patterns have no ports (one with a port never matches there). The port is
 * checked instead by {@link panelPatternMatches}, in the content script and the background.
 */
export function panelScriptMatch(pattern: string): string {
  return pattern.replace(/^(https?:\/\/[^/:]+|https?:\/\/\[[^\]]+\]):\d+\//, '$1/');
}

/** Does a console mapping's pattern cover this page origin (scheme, host or `*.host`, and port)? */
export function panelPatternMatches(pattern: string, origin: string): boolean {
  const m = /^(https?):\/\/(\*\.)?([^/:]+|\[[^\]]+\])(?::(\d+))?\//.exec(pattern);
  if (!m) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const host = m[3]!.toLowerCase();
  const defaultPort = m[1] === 'https' ? '443' : '80';
  const hostOk = m[2] ? url.hostname === host || url.hostname.endsWith(`.${host}`) : url.hostname === host;
  return url.protocol === `${m[1]}:` && hostOk && (url.port || defaultPort) === (m[4] ?? defaultPort);
}

/** A Chrome match pattern limited to http(s) schemes and a concrete host. */
export function checkMatchPattern(v: unknown, path = 'pattern'): string {
  const s = str(2000, { min: 1 })(v, path);
  const m = /^(https?):\/\/(\*|\*\.[^/*]+|[^/*]+)(\/.*)$/.exec(s);
  if (!m || m[2] === '*') throw bad(path, 'must look like https://console.example.com/admin/* (one host, http or https)');
  return s;
}

const VALIDATORS: { [T in MessageType]: (v: unknown, path: string) => unknown } = {
  'providers.list': empty,
  'servers.list': empty,
  'servers.save': obj({ id: optional(id), name: str(100, { min: 1 }), kind: str(40, { min: 1, re: /^[a-z0-9-]+$/ }), baseUrl: checkBaseUrl }),
  'servers.remove': obj(serverRef),
  'auth.signIn': (v, path) => {
    const kind = (v as { kind?: unknown } | null)?.kind;
    if (kind === 'token') return obj({ serverId: id, kind: oneOf('token'), token: str(4096, { min: 1 }), keepSignedIn: bool })(v, path);
    return obj({ serverId: id, kind: oneOf('password'), username: str(200, { min: 1 }), password: str(1024, { min: 1 }), keepSignedIn: bool, otp })(v, path);
  },
  'auth.signOut': obj(serverRef),
  'auth.status': obj(serverRef),
  'server.capabilities': obj(serverRef),
  'server.scopes': obj(serverRef),
  'server.settings': obj(serverRef),
  'tokens.list': obj({ ...serverRef, query: tokenQuery }),
  'tokens.create': obj({
    ...serverRef,
    draft: obj({
      name: str(200, { min: 1 }),
      description: optional(str(2000)),
      expires_at: optional(nullable(isoTime)),
      scopes: optional(scopes),
      owner_id: optional(id),
      extra: optional(record(extraValue, 20)),
    }),
    confirm: confirmation,
  }),
  'tokens.clone': obj({
    ...tokenRef,
    overrides: optional(
      obj({ name: optional(str(200, { min: 1 })), description: optional(str(2000)), expires_at: optional(nullable(isoTime)), scopes: optional(scopes) }),
    ),
    confirm: confirmation,
  }),
  'tokens.update': obj({
    ...tokenRef,
    patch: obj({ name: optional(str(200, { min: 1 })), description: optional(str(2000)), expires_at: optional(nullable(isoTime)), scopes: optional(scopes) }),
    confirm: confirmation,
  }),
  'tokens.regenerate': obj({ ...tokenRef, confirm: confirmation, gracePeriodSeconds: optional(int(0, 31_536_000)) }),
  'tokens.endGrace': obj(tokenRef),
  // Whitespace around a paste is trimmed later; the kind is recognised by the handler.
  'leaked.revoke': obj({ secret: str(MAX_SECRET_LENGTH + 64, { min: 1 }), serverId: optional(id) }),
  'tokens.disable': obj(tokenRef),
  'tokens.enable': obj({ ...tokenRef, confirm: confirmation }),
  'tokens.delete': obj({ ...tokenRef, confirm: confirmation }),
  'orgs.tokens': obj(serverRef),
  'users.list': obj({ ...serverRef, query: optional(obj({ text: optional(str(200)), cursor: optional(nullable(str(1000))), limit: optional(int(1, 1000)) })) }),
  'roles.list': obj(serverRef),
  'users.setRoles': obj({ ...serverRef, userId: id, roles: list(str(100, { min: 1 }), 100) }),
  'users.setActive': obj({ ...serverRef, userId: id, active: bool }),
  'pending.get': empty,
  'pending.confirm': obj({ tokenId: id }),
  'alerts.get': empty,
  'alerts.save': obj({ expiryWarningDays: optional(int(1, 365)), notify: optional(bool), refreshMinutes: optional(int(1, 1440)) }),
  'alerts.refresh': empty,
  'panels.list': empty,
  'panels.save': obj({ id: optional(id), pattern: checkMatchPattern, serverId: id, inventory: bool }),
  'panels.remove': obj({ id }),
  'panels.context': obj({ origin: str(2000, { min: 1 }) }),
};

export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && Object.hasOwn(VALIDATORS, value);
}

/** Checks an envelope and returns its type and a clean copy of its payload, or throws `validation_failed`. */
export function validateRequest(message: unknown): { type: MessageType; payload: unknown } {
  if (typeof message !== 'object' || message === null || (message as { patkit?: unknown }).patkit !== 1) {
    throw bad('message', 'is not a patkit message');
  }
  const { type, payload } = message as { type?: unknown; payload?: unknown };
  if (!isMessageType(type)) throw bad('type', `is not a known message type (${String(type).slice(0, 40)})`);
  return { type, payload: VALIDATORS[type](payload ?? {}, '') };
}
