/**
 * The provider for Mattermost servers (REST API v4): personal access tokens ("user access tokens"),
 * the admin inventory and search, and the three token-related system roles.
 *
 * Calls are written by hand against the official OpenAPI source (`api/v4/source/*.yaml` in
 * mattermost/mattermost) rather than through `@mattermost/client`: its `Client4` is one class with
 * hundreds of methods, which no bundler can tree-shake, so the extension would carry all of it for
 * the dozen calls below. The tests check every request this file sends against the OpenAPI excerpts.
 *
 * What a Mattermost server can do depends on its version and settings, learned in
 * {@link MattermostProvider.refreshCapabilities}:
 * - token expiry (`expires_at`, Unix ms, 0 = never) and rotation exist on 11.x servers only
 *   (`X-Version-Id` header, `GET /api/v4/system/ping`);
 * - `ServiceSettings.EnableUserAccessTokens` (`GET /api/v4/config/client?format=old`, the string
 *   "true") switches the whole feature; while off, listing and creating answer the typed
 *   `feature_disabled` error "Personal access tokens are disabled on this server." instead of a
 *   bare failure.
 */
import { DEFAULT_MESSAGES, ProviderError, UnsupportedOperation, errorFromProblem } from '../errors.ts';
import { capabilities } from './capabilities.ts';
import { HttpClient, errorBodyObject, segment, type ErrorAnswer, type HttpClientOptions, type HttpRequest } from '../http.ts';
import type {
  AuditEvent,
  Confirmation,
  CreatedToken,
  Credentials,
  OwnerRef,
  Page,
  Role,
  ScopeCatalog,
  ServerSettings,
  SignedIn,
  TokenDraft,
  TokenMeta,
  TokenQuery,
  TokenStatus,
  User,
  UserQuery,
} from '../model.ts';
import {
  badShape,
  listParser,
  parseAnyJson,
  readBooleanOrNull,
  readNumberOrNull,
  readObject,
  readString,
  readStringListOrNull,
  readStringOrNull,
  type Parser,
} from '../parse.ts';
import type { CallOptions, ProviderCapabilities, ProviderConfig, ProviderDescriptor, TokenProvider } from '../provider.ts';
import { bearerClientOptions, signInWithCredential } from './bearer-session.ts';

export const mattermostDescriptor: ProviderDescriptor = {
  kind: 'mattermost',
  label: 'Mattermost',
  signIn: ['password', 'token'],
  help: 'A Mattermost server (API v4): sign in with your Mattermost account or paste a personal access token.',
};

const NAME = 'Mattermost';

/** The first major version whose tokens carry `expires_at` and can be rotated. */
export const MATTERMOST_EXPIRY_MAJOR = 11;

/** The system roles patkit's role manager edits; every other role a user holds is kept as is. */
export const MATTERMOST_TOKEN_ROLES = ['system_user_access_token', 'system_post_all', 'system_post_all_public'] as const;
const MANAGED = new Set<string>(MATTERMOST_TOKEN_ROLES);

/** Labels as Mattermost's System Console and docs show them. */
const ROLE_LABELS: Record<string, { name: string; description: string }> = {
  system_user_access_token: {
    name: 'Allow this account to generate personal access tokens',
    description: 'Create, read and revoke its own personal access tokens.',
  },
  system_post_all: {
    name: 'post:all',
    description: 'Post to any channel on the server, including direct messages.',
  },
  system_post_all_public: {
    name: 'post:channels',
    description: 'Post to any public channel on the server.',
  },
};

const DEFAULT_PER_PAGE = 60;
/** Mattermost caps `per_page` at 200. */
const MAX_PER_PAGE = 200;
const MAX_DESCRIPTION = 255;

export interface MattermostVersion {
  major: number;
  minor: number;
  patch: number;
  raw: string;
}

/** `X-Version-Id` looks like `11.1.0.15473.2f6a….true` (version, build, hash, enterprise); config `Version` like `11.1.0`. */
export function parseMattermostVersion(value: string | null | undefined): MattermostVersion | null {
  if (!value) return null;
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(value.trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), raw: value.trim() };
}

// ---------------------------------------------------------------------------------------------
// Shapes: Mattermost's JSON onto the model. Exported for the spec tests.
// ---------------------------------------------------------------------------------------------

/** A Mattermost token (`UserAccessToken` or `UserAccessTokenSanitized`), secret split off. */
export interface MattermostToken {
  id: string;
  user_id: string;
  description: string;
  is_active: boolean;
  /** Unix ms, 0 = never (11.x; absent on older servers). */
  expires_at: number;
  /** Only in the answers to create and rotate. */
  token: string | null;
}

export const parseMattermostToken: Parser<MattermostToken> = (value, path) => {
  const o = readObject(value, path);
  const id = readString(o, 'id', path);
  if (id === '') throw badShape(`${path}.id`, 'a non-empty string', id);
  return {
    id,
    user_id: readString(o, 'user_id', path),
    description: readStringOrNull(o, 'description', path) ?? '',
    // `UserAccessToken` (the create answer) has no `is_active` in the spec: a new token is active.
    is_active: readBooleanOrNull(o, 'is_active', path) ?? true,
    expires_at: readNumberOrNull(o, 'expires_at', path) ?? 0,
    token: readStringOrNull(o, 'token', path),
  };
};

export const parseMattermostTokenList: Parser<MattermostToken[]> = listParser(parseMattermostToken);

export interface MattermostUser {
  id: string;
  username: string;
  first_name: string;
  last_name: string;
  nickname: string;
  /** Space-separated system roles. */
  roles: string;
  create_at: number;
  /** 0 while active; the deactivation time otherwise. */
  delete_at: number;
  is_bot: boolean;
}

export const parseMattermostUser: Parser<MattermostUser> = (value, path) => {
  const o = readObject(value, path);
  return {
    id: readString(o, 'id', path),
    username: readString(o, 'username', path),
    first_name: readStringOrNull(o, 'first_name', path) ?? '',
    last_name: readStringOrNull(o, 'last_name', path) ?? '',
    nickname: readStringOrNull(o, 'nickname', path) ?? '',
    roles: readStringOrNull(o, 'roles', path) ?? '',
    create_at: readNumberOrNull(o, 'create_at', path) ?? 0,
    delete_at: readNumberOrNull(o, 'delete_at', path) ?? 0,
    is_bot: readBooleanOrNull(o, 'is_bot', path) ?? false,
  };
};

export const parseMattermostUserList: Parser<MattermostUser[]> = listParser(parseMattermostUser);

export interface MattermostRole {
  id: string;
  name: string;
  display_name: string;
  description: string;
  permissions: string[];
  scheme_managed: boolean;
  built_in: boolean;
}

export const parseMattermostRole: Parser<MattermostRole> = (value, path) => {
  const o = readObject(value, path);
  const permissions = readStringListOrNull(o, 'permissions', path) ?? [];
  return {
    id: readStringOrNull(o, 'id', path) ?? '',
    name: readString(o, 'name', path),
    display_name: readStringOrNull(o, 'display_name', path) ?? '',
    description: readStringOrNull(o, 'description', path) ?? '',
    permissions,
    scheme_managed: readBooleanOrNull(o, 'scheme_managed', path) ?? false,
    built_in: readBooleanOrNull(o, 'built_in', path) ?? false,
  };
};

export const parseMattermostRoleList: Parser<MattermostRole[]> = listParser(parseMattermostRole);

/** `StatusOK`: `{status: "OK"}`. */
export const parseStatusOk: Parser<void> = (value, path) => {
  const o = readObject(value, path);
  const status = readString(o, 'status', path);
  if (status.toUpperCase() !== 'OK') throw badShape(`${path}.status`, '"OK"', status);
};

/** `GET /api/v4/config/client?format=old`: a flat map of strings. */
export const parseClientConfig: Parser<Record<string, string>> = (value, path) => {
  const o = readObject(value, path);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (typeof v === 'string') out[k] = v;
  return out;
};

function msToIso(ms: number): string | null {
  return ms > 0 ? new Date(ms).toISOString() : null;
}

export function mattermostDisplayName(u: MattermostUser): string {
  const full = `${u.first_name} ${u.last_name}`.trim();
  return full || u.nickname || u.username;
}

export function splitRoles(roles: string): string[] {
  return roles.split(/\s+/).filter((r) => r !== '');
}

/** Token → model. `name` carries the description, since Mattermost tokens have no separate name. */
export function toTokenMeta(t: MattermostToken, owner: OwnerRef, now: number = Date.now()): TokenMeta {
  let status: TokenStatus = 'active';
  if (!t.is_active) status = 'disabled';
  else if (t.expires_at > 0 && t.expires_at <= now) status = 'expired';
  return {
    id: t.id,
    owner,
    name: t.description || t.id,
    description: t.description,
    created_at: null,
    created_by: null,
    updated_at: null,
    expires_at: msToIso(t.expires_at),
    scopes: [],
    status,
    last_used_at: null,
    last_used_ip: null,
    last4: null,
  };
}

export function toUser(u: MattermostUser, permissions: string[]): User {
  return {
    id: u.id,
    username: u.username,
    display_name: mattermostDisplayName(u),
    active: u.delete_at === 0,
    kind: u.is_bot ? 'technical' : 'person',
    roles: splitRoles(u.roles),
    permissions,
    created_at: msToIso(u.create_at),
  };
}

/** Mattermost's `AppError` (`{id, message, detailed_error, request_id, status_code}`) → the typed family. */
export function mattermostError(answer: ErrorAnswer): ProviderError {
  const body = errorBodyObject(answer);
  const id = typeof body?.['id'] === 'string' ? body['id'] : undefined;
  const message = typeof body?.['message'] === 'string' && body['message'].trim() !== '' ? body['message'].trim() : undefined;
  const retryHeader = answer.headers.get('retry-after') ?? answer.headers.get('x-ratelimit-reset');
  const base = errorFromProblem(answer.status, null, retryHeader);
  const opts = { serverCode: id, status: answer.status, retryAfter: base.retryAfter };
  // 501 is how Mattermost says "EnableUserAccessTokens is off" (api.user.create_user_access_token.disabled.app_error).
  if (answer.status === 501 || (id !== undefined && /user_access_token\.disabled\.app_error$/.test(id))) {
    return new ProviderError('feature_disabled', DEFAULT_MESSAGES.feature_disabled, opts);
  }
  const fieldErrors =
    base.code === 'validation_failed' && message ? [{ field: '', message }] : [];
  return new ProviderError(base.code, message ?? `${DEFAULT_MESSAGES[base.code]} (HTTP ${answer.status})`, { ...opts, fieldErrors });
}

function baseCapabilities(): ProviderCapabilities {
  return capabilities({ description: true, disable: true });
}

/** What a Mattermost server of this version and settings lets this user do. */
export interface MissingFeatures {
  expiry: boolean;
  rotate: boolean;
}

export function mattermostCapabilities(
  version: MattermostVersion | null,
  maxLifetimeDays: number | null,
  user: User | null,
  missing: MissingFeatures = { expiry: false, rotate: false },
): ProviderCapabilities {
  const caps = baseCapabilities();
  if (version !== null && version.major >= MATTERMOST_EXPIRY_MAJOR) {
    const max = maxLifetimeDays !== null && maxLifetimeDays > 0 ? maxLifetimeDays : null;
    if (!missing.expiry) caps.expiry = { mode: max === null ? 'optional' : 'required', maxLifetimeDays: max, defaultLifetimeDays: null };
    caps.regenerate = !missing.rotate;
  }
  if (user) {
    const has = (p: string): boolean => user.permissions.includes(p);
    const admin = has('manage_system');
    caps.adminInventory = admin;
    caps.search = admin;
    caps.settings = admin;
    caps.createForOthers = has('edit_other_users');
    caps.roles = has('manage_roles');
    caps.userActivation = admin;
    // Mattermost checks this permission (granted by the "system_user_access_token" role, or held
    // by System Admins) before it creates a token for oneself.
    if (!has('create_user_access_token')) {
      caps.create = {
        allowed: false,
        reason: 'This account may not create personal access tokens on this Mattermost server. A System Admin can give it the personal access token role (System Console → Users → Manage roles).',
      };
    }
  }
  return caps;
}

interface PageCursor {
  page: number;
  perPage: number;
}

function pageOf(query: { cursor?: string | null; limit?: number }): PageCursor {
  let page = 0;
  if (query.cursor !== undefined && query.cursor !== null && query.cursor !== '') {
    if (!/^\d{1,6}$/.test(query.cursor)) {
      throw new ProviderError('validation_failed', 'That page cursor does not belong to a Mattermost list. Start from the first page.', {
        fieldErrors: [{ field: 'cursor', message: 'Not a Mattermost page cursor' }],
      });
    }
    page = Number(query.cursor);
  }
  const perPage = Math.min(MAX_PER_PAGE, Math.max(1, Math.floor(query.limit ?? DEFAULT_PER_PAGE)));
  return { page, perPage };
}

function matchesText(t: TokenMeta, text: string | undefined): boolean {
  if (!text) return true;
  const q = text.toLowerCase();
  return [t.id, t.description, t.owner.username, t.owner.id].some((s) => s.toLowerCase().includes(q));
}

function sortTokens(items: TokenMeta[], query: TokenQuery): TokenMeta[] {
  if (query.sort !== 'name' && query.sort !== 'expires_at') return items;
  const key = query.sort;
  const dir = query.order === 'desc' ? -1 : 1;
  return [...items].sort((a, b) => {
    const av = a[key] ?? '';
    const bv = b[key] ?? '';
    return av < bv ? -dir : av > bv ? dir : 0;
  });
}

export class MattermostProvider implements TokenProvider {
  readonly descriptor: ProviderDescriptor = mattermostDescriptor;
  private caps: ProviderCapabilities = baseCapabilities();
  private credential: string | null;
  /**
   * The session token `signIn` got for a password (ended on sign-out), as opposed to a pasted
   * personal access token, which is not ours to end. Kept by value, so that handing the same
   * credential back through `setCredential` (as the extension's background does) keeps it.
   */
  private passwordSession: string | null = null;
  private readonly http: HttpClient;
  private readonly httpOptions: HttpClientOptions;
  private version: MattermostVersion | null = null;
  private tokensEnabled: boolean | null = null;
  private maxLifetimeDays: number | null = null;
  private me: User | null = null;
  private readonly owners = new Map<string, OwnerRef>();
  /** Features an 11.x server turned out not to have (early 11.x releases). */
  private readonly lacks: MissingFeatures = { expiry: false, rotate: false };

  constructor(config: ProviderConfig) {
    if (config.sessionMode === 'cookie') {
      throw new ProviderError('validation_failed', 'Mattermost servers are reached with a session or personal access token, not a console cookie.', {
        fieldErrors: [{ field: 'sessionMode', message: 'Use bearer mode for Mattermost' }],
      });
    }
    this.credential = config.credential ?? null;
    const baseFetch = config.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
    this.httpOptions = {
      ...bearerClientOptions(config, 'The Mattermost server', () => this.credential, mattermostError),
      // Every answer names the server version; remember it so capabilities follow upgrades.
      fetch: async (input, init) => {
        const response = await baseFetch(input, init);
        const version = parseMattermostVersion(response.headers.get('x-version-id'));
        if (version) this.version = version;
        return response;
      },
    };
    this.http = new HttpClient(this.httpOptions);
  }

  get baseUrl(): string {
    return this.http.baseUrl;
  }

  get capabilities(): ProviderCapabilities {
    return this.caps;
  }

  /** The server version, once any answer has named it. */
  get serverVersion(): MattermostVersion | null {
    return this.version;
  }

  private call<T>(req: HttpRequest<T>): Promise<T> {
    return this.http.request(req);
  }

  private signedInOrThrow(): void {
    if (!this.credential) {
      throw new ProviderError('unauthorized', 'You are signed out. Sign in to this Mattermost server first.', { serverCode: 'no_credential' });
    }
  }

  private get expirySupported(): boolean {
    return this.version !== null && this.version.major >= MATTERMOST_EXPIRY_MAJOR && !this.lacks.expiry;
  }

  private get rotateSupported(): boolean {
    return this.version !== null && this.version.major >= MATTERMOST_EXPIRY_MAJOR && !this.lacks.rotate;
  }

  /** `versioned`: the operation exists on newer servers, so the message names this one's version. */
  private unsupported(operation: string, versioned = false): UnsupportedOperation {
    if (!versioned) return new UnsupportedOperation(operation, NAME);
    const v = this.version;
    return new UnsupportedOperation(operation, v ? `${NAME} ${v.major}.${v.minor}` : `${NAME} (before ${MATTERMOST_EXPIRY_MAJOR}.0)`);
  }

  // --- server facts -------------------------------------------------------------------------

  /** `GET /api/v4/system/ping`: learns the version from `X-Version-Id` (no sign-in needed). */
  async detectVersion(options?: CallOptions): Promise<MattermostVersion | null> {
    await this.call({ method: 'GET', path: '/api/v4/system/ping', signal: options?.signal, parse: parseAnyJson, what: 'ping answer' });
    return this.version;
  }

  private async loadClientConfig(options?: CallOptions): Promise<Record<string, string>> {
    const config = await this.call({
      method: 'GET',
      path: '/api/v4/config/client',
      query: { format: 'old' },
      signal: options?.signal,
      parse: parseClientConfig,
      what: 'client configuration',
    });
    this.tokensEnabled = config['EnableUserAccessTokens'] === 'true';
    const max = Number(config['MaximumPersonalAccessTokenLifetimeDays'] ?? '');
    this.maxLifetimeDays = Number.isFinite(max) && max > 0 ? max : null;
    if (this.version === null) this.version = parseMattermostVersion(config['Version']);
    return config;
  }

  /** Throws `feature_disabled` when the server has personal access tokens switched off. */
  private async ensureTokensEnabled(options?: CallOptions): Promise<void> {
    if (this.tokensEnabled === null) await this.loadClientConfig(options);
    if (this.tokensEnabled === false) {
      throw new ProviderError('feature_disabled', DEFAULT_MESSAGES.feature_disabled, { serverCode: 'EnableUserAccessTokens' });
    }
  }

  async refreshCapabilities(options?: CallOptions): Promise<ProviderCapabilities> {
    await this.detectVersion(options);
    if (!this.credential) {
      this.caps = mattermostCapabilities(this.version, null, null, this.lacks);
      return this.caps;
    }
    await this.loadClientConfig(options);
    const user = await this.currentUser(options);
    this.caps = mattermostCapabilities(this.version, this.maxLifetimeDays, user, this.lacks);
    return this.caps;
  }

  // --- session --------------------------------------------------------------------------------

  setCredential(credential: string | null): void {
    this.credential = credential;
    if (credential !== this.passwordSession) this.passwordSession = null;
    this.me = null;
    this.tokensEnabled = null;
    this.owners.clear();
    this.caps = mattermostCapabilities(this.version, null, null, this.lacks);
  }

  async signIn(credentials: Credentials, options?: CallOptions): Promise<SignedIn> {
    if (credentials.kind === 'token') return signInWithCredential(this, credentials.token, this.credential, options);
    // The session token comes back in the `Token` response header, so this one call reads headers.
    let sessionToken: string | null = null;
    const login = new HttpClient({
      ...this.httpOptions,
      // No credential on the login call itself, whatever this provider held before.
      headers: () => ({}),
      fetch: async (input, init) => {
        const response = await this.httpOptions.fetch!(input, init);
        sessionToken = response.headers.get('token');
        return response;
      },
    });
    const raw = await login.request({
      method: 'POST',
      path: '/api/v4/users/login',
      body: { login_id: credentials.username, password: credentials.password },
      signal: options?.signal,
      parse: parseMattermostUser,
      what: 'user',
    });
    if (!sessionToken) {
      throw new ProviderError(
        'bad_response',
        'The Mattermost server signed you in but did not show patkit the session token (the Token header). Paste a personal access token instead.',
        { serverCode: 'no_token_header' },
      );
    }
    this.setCredential(sessionToken);
    this.passwordSession = sessionToken;
    const user = await this.withPermissions([raw], options).then((u) => u[0]!);
    this.me = user;
    return { user, credential: sessionToken, expires_at: null };
  }

  async signOut(options?: CallOptions): Promise<void> {
    try {
      // A pasted personal access token is not ours to end; a password session is.
      if (this.credential && this.credential === this.passwordSession) {
        await this.call({ method: 'POST', path: '/api/v4/users/logout', signal: options?.signal, parse: parseAnyJson, what: 'sign-out answer' });
      }
    } catch (error) {
      if (!(error instanceof ProviderError && error.code === 'unauthorized')) throw error;
    } finally {
      this.setCredential(null);
    }
  }

  /** Adds each user's permissions (the union of their roles' permissions), one request per page. */
  private async withPermissions(users: MattermostUser[], options?: CallOptions): Promise<User[]> {
    const names = [...new Set(users.flatMap((u) => splitRoles(u.roles)))];
    let roles: MattermostRole[] = [];
    if (names.length > 0) {
      try {
        roles = await this.call({
          method: 'POST',
          path: '/api/v4/roles/names',
          body: names,
          idempotent: true,
          signal: options?.signal,
          parse: parseMattermostRoleList,
          what: 'role list',
        });
      } catch (error) {
        // Permissions only tune which actions are offered; the server still enforces them.
        if (!(error instanceof ProviderError) || error.code === 'unauthorized' || error.code === 'offline') throw error;
      }
    }
    const byName = new Map(roles.map((r) => [r.name, r.permissions]));
    return users.map((u) => {
      const permissions = new Set<string>();
      for (const role of splitRoles(u.roles)) for (const p of byName.get(role) ?? []) permissions.add(p);
      const user = toUser(u, [...permissions].sort());
      this.owners.set(u.id, { kind: 'user', id: u.id, username: u.username, display_name: user.display_name });
      return user;
    });
  }

  private async fetchUser(userId: string, options?: CallOptions): Promise<User> {
    const raw = await this.call({
      method: 'GET',
      path: `/api/v4/users/${segment(userId)}`,
      signal: options?.signal,
      parse: parseMattermostUser,
      what: 'user',
    });
    const [user] = await this.withPermissions([raw], options);
    return user!;
  }

  async currentUser(options?: CallOptions): Promise<User> {
    this.signedInOrThrow();
    const user = await this.fetchUser('me', options);
    this.me = user;
    return user;
  }

  private async meOrFetch(options?: CallOptions): Promise<User> {
    return this.me ?? (await this.currentUser(options));
  }

  // --- tokens ---------------------------------------------------------------------------------

  /** Owner refs for token lists; unknown owners are looked up in one `POST /users/ids`. */
  private async ownersFor(tokens: MattermostToken[], options?: CallOptions): Promise<Map<string, OwnerRef>> {
    const missing = [...new Set(tokens.map((t) => t.user_id))].filter((id) => !this.owners.has(id));
    if (missing.length > 0) {
      try {
        const users = await this.call({
          method: 'POST',
          path: '/api/v4/users/ids',
          body: missing,
          idempotent: true,
          signal: options?.signal,
          parse: parseMattermostUserList,
          what: 'user list',
        });
        for (const u of users) this.owners.set(u.id, { kind: 'user', id: u.id, username: u.username, display_name: mattermostDisplayName(u) });
      } catch (error) {
        if (!(error instanceof ProviderError) || error.code === 'unauthorized' || error.code === 'offline') throw error;
      }
    }
    const out = new Map<string, OwnerRef>();
    for (const t of tokens) {
      out.set(t.user_id, this.owners.get(t.user_id) ?? { kind: 'user', id: t.user_id, username: t.user_id, display_name: '' });
    }
    return out;
  }

  private async toMetas(tokens: MattermostToken[], options?: CallOptions): Promise<TokenMeta[]> {
    const owners = await this.ownersFor(tokens, options);
    return tokens.map((t) => toTokenMeta({ ...t, token: null }, owners.get(t.user_id)!));
  }

  async listTokens(query: TokenQuery = {}, options?: CallOptions): Promise<Page<TokenMeta>> {
    this.signedInOrThrow();
    await this.ensureTokensEnabled(options);
    const owner = query.owner ?? 'me';
    let raw: MattermostToken[];
    let next: string | null = null;
    if (owner === 'all' && query.text) {
      // Server-side search over token id, user id and username; one unpaged answer.
      raw = await this.call({
        method: 'POST',
        path: '/api/v4/users/tokens/search',
        body: { term: query.text },
        idempotent: true,
        signal: options?.signal,
        parse: parseMattermostTokenList,
        what: 'token search answer',
      });
    } else {
      const { page, perPage } = pageOf(query);
      const userId = owner === 'me' ? (await this.meOrFetch(options)).id : owner;
      raw = await this.call({
        method: 'GET',
        path: owner === 'all' ? '/api/v4/users/tokens' : `/api/v4/users/${segment(userId)}/tokens`,
        query: { page, per_page: perPage },
        signal: options?.signal,
        parse: parseMattermostTokenList,
        what: 'token list',
      });
      // Mattermost pages by number and says nothing about more: a full page means "ask for the next".
      if (raw.length >= perPage) next = String(page + 1);
    }
    let items = await this.toMetas(raw, options);
    // The per-user lists cannot filter on the server; the search already did for `all`.
    if (owner !== 'all') items = items.filter((t) => matchesText(t, query.text));
    if (query.status) items = items.filter((t) => t.status === query.status);
    return { items: sortTokens(items, query), next_cursor: next };
  }

  async getToken(id: string, options?: CallOptions): Promise<TokenMeta> {
    this.signedInOrThrow();
    const raw = await this.call({
      method: 'GET',
      path: `/api/v4/users/tokens/${segment(id)}`,
      signal: options?.signal,
      parse: parseMattermostToken,
      what: 'token',
    });
    const [meta] = await this.toMetas([raw], options);
    return meta!;
  }

  async createToken(draft: TokenDraft, confirm?: Confirmation, options?: CallOptions): Promise<CreatedToken> {
    this.signedInOrThrow();
    const description = (draft.description?.trim() || draft.name?.trim() || '').trim();
    if (description === '') {
      throw new ProviderError('validation_failed', 'Enter a description, so you remember what the token is for.', {
        fieldErrors: [{ field: 'description', message: 'Required' }],
      });
    }
    if (description.length > MAX_DESCRIPTION) {
      throw new ProviderError('validation_failed', `Mattermost token descriptions are at most ${MAX_DESCRIPTION} characters.`, {
        fieldErrors: [{ field: 'description', message: `At most ${MAX_DESCRIPTION} characters` }],
      });
    }
    // A narrower token than the server can make is refused, never silently widened.
    if (draft.scopes && draft.scopes.length > 0) throw this.unsupported('limit a token to scopes');
    await this.ensureTokensEnabled(options);
    if (this.version === null) await this.detectVersion(options);
    const body: { description: string; expires_at?: number } = { description };
    if (typeof draft.expires_at === 'string') {
      if (!this.expirySupported) throw this.unsupported('give tokens an expiry date', true);
      const ms = Date.parse(draft.expires_at);
      if (!Number.isFinite(ms) || ms <= Date.now()) {
        throw new ProviderError('validation_failed', 'The expiry date must be in the future.', {
          fieldErrors: [{ field: 'expires_at', message: 'Must be in the future' }],
        });
      }
      body.expires_at = ms;
    }
    const me = await this.meOrFetch(options);
    const target = draft.owner_id && draft.owner_id !== me.id ? await this.fetchUser(draft.owner_id, options) : me;
    // Mattermost's own UI asks before minting a token that carries System Admin rights (MM-T1151).
    if (target.roles.includes('system_admin') && confirm?.acknowledge_admin_token !== true) {
      throw new ProviderError('admin_token_acknowledgement_required', DEFAULT_MESSAGES.admin_token_acknowledgement_required, {
        serverCode: 'system_admin_token',
      });
    }
    const raw = await this.call({
      method: 'POST',
      path: `/api/v4/users/${segment(target.id)}/tokens`,
      body,
      signal: options?.signal,
      parse: parseMattermostToken,
      what: 'new token',
    });
    // Servers that predate token expiry ignore an unknown `expires_at` and mint a token that never
    // expires. Such a token is not what was asked for: take it back and say so.
    if (body.expires_at !== undefined && raw.expires_at !== body.expires_at) {
      await this.tokenAction('revoke', raw.id, options).catch(() => undefined);
      this.lacks.expiry = true;
      this.caps = { ...this.caps, expiry: { mode: 'none', maxLifetimeDays: null, defaultLifetimeDays: null } };
      throw this.unsupported('give tokens an expiry date', true);
    }
    return this.created(raw, 'new token', options);
  }

  private async created(raw: MattermostToken, what: string, options?: CallOptions): Promise<CreatedToken> {
    if (!raw.token) throw new ProviderError('bad_response', `The Mattermost server sent a ${what} without its secret.`, { serverCode: 'bad_shape' });
    const secret = raw.token;
    const [meta] = await this.toMetas([{ ...raw, token: null }], options);
    return { token: meta!, secret };
  }

  async regenerateToken(id: string, _confirm?: Confirmation, options?: CallOptions): Promise<CreatedToken> {
    this.signedInOrThrow();
    if (this.version === null) await this.detectVersion(options);
    if (!this.rotateSupported) throw this.unsupported('rotate tokens', true);
    let raw: MattermostToken;
    try {
      raw = await this.call({
        method: 'POST',
        path: '/api/v4/users/tokens/rotate',
        body: { token_id: id },
        signal: options?.signal,
        parse: parseMattermostToken,
        what: 'rotated token',
      });
    } catch (error) {
      // An unknown route (api.context.404.app_error), not an unknown token: this server has no rotation.
      if (error instanceof ProviderError && error.status === 404 && error.serverCode === 'api.context.404.app_error') {
        this.lacks.rotate = true;
        this.caps = { ...this.caps, regenerate: false };
        throw this.unsupported('rotate tokens', true);
      }
      throw error;
    }
    return this.created(raw, 'rotated token', options);
  }

  private async tokenAction(action: 'disable' | 'enable' | 'revoke', id: string, options?: CallOptions): Promise<void> {
    this.signedInOrThrow();
    await this.call({
      method: 'POST',
      path: `/api/v4/users/tokens/${action}`,
      body: { token_id: id },
      signal: options?.signal,
      parse: parseStatusOk,
      what: `${action} answer`,
    });
  }

  async disableToken(id: string, options?: CallOptions): Promise<TokenMeta> {
    await this.tokenAction('disable', id, options);
    return this.getToken(id, options);
  }

  async enableToken(id: string, _confirm?: Confirmation, options?: CallOptions): Promise<TokenMeta> {
    await this.tokenAction('enable', id, options);
    return this.getToken(id, options);
  }

  async deleteToken(id: string, _confirm?: Confirmation, options?: CallOptions): Promise<void> {
    await this.tokenAction('revoke', id, options);
  }

  // --- users and roles ------------------------------------------------------------------------

  async listUsers(query: UserQuery = {}, options?: CallOptions): Promise<Page<User>> {
    this.signedInOrThrow();
    if (query.text) {
      const { perPage } = pageOf({ limit: query.limit ?? 100 });
      const raw = await this.call({
        method: 'POST',
        path: '/api/v4/users/search',
        body: { term: query.text, allow_inactive: true, limit: perPage },
        idempotent: true,
        signal: options?.signal,
        parse: parseMattermostUserList,
        what: 'user search answer',
      });
      return { items: await this.withPermissions(raw, options), next_cursor: null };
    }
    const { page, perPage } = pageOf(query);
    const raw = await this.call({
      method: 'GET',
      path: '/api/v4/users',
      query: { page, per_page: perPage },
      signal: options?.signal,
      parse: parseMattermostUserList,
      what: 'user list',
    });
    return { items: await this.withPermissions(raw, options), next_cursor: raw.length >= perPage ? String(page + 1) : null };
  }

  /** The three roles patkit manages, as the server describes them. */
  async listRoles(options?: CallOptions): Promise<Role[]> {
    this.signedInOrThrow();
    const roles = await this.call({
      method: 'POST',
      path: '/api/v4/roles/names',
      body: [...MATTERMOST_TOKEN_ROLES],
      idempotent: true,
      signal: options?.signal,
      parse: parseMattermostRoleList,
      what: 'role list',
    });
    const byName = new Map(roles.map((r) => [r.name, r]));
    return MATTERMOST_TOKEN_ROLES.filter((name) => byName.has(name)).map((name) => {
      const r = byName.get(name)!;
      const label = ROLE_LABELS[name]!;
      return { id: name, name: label.name, description: r.description || label.description, permissions: r.permissions, built_in: true };
    });
  }

  /**
   * Sets the managed roles of a user to exactly those in `roles` and keeps every other role the
   * user holds: Mattermost's `PUT /users/{id}/roles` replaces the whole space-separated list.
   */
  async setUserRoles(userId: string, roles: string[], options?: CallOptions): Promise<User> {
    this.signedInOrThrow();
    const user = await this.fetchUser(userId, options);
    const current = user.roles;
    const unmanaged = roles.filter((r) => !MANAGED.has(r) && !current.includes(r));
    if (unmanaged.length > 0) {
      throw new ProviderError(
        'validation_failed',
        `patkit only grants ${MATTERMOST_TOKEN_ROLES.join(', ')}; change ${unmanaged.join(', ')} in Mattermost's System Console.`,
        { fieldErrors: [{ field: 'roles', message: `Not managed here: ${unmanaged.join(', ')}` }] },
      );
    }
    const wanted = new Set(roles);
    const next = [...current.filter((r) => !MANAGED.has(r)), ...MATTERMOST_TOKEN_ROLES.filter((r) => wanted.has(r))];
    await this.call({
      method: 'PUT',
      path: `/api/v4/users/${segment(userId)}/roles`,
      body: { roles: next.join(' ') },
      signal: options?.signal,
      parse: parseStatusOk,
      what: 'role update answer',
    });
    return this.fetchUser(userId, options);
  }

  async setUserActive(userId: string, active: boolean, options?: CallOptions): Promise<User> {
    this.signedInOrThrow();
    await this.call({
      method: 'PUT',
      path: `/api/v4/users/${segment(userId)}/active`,
      body: { active },
      signal: options?.signal,
      parse: parseStatusOk,
      what: 'activation answer',
    });
    return this.fetchUser(userId, options);
  }

  // --- the rest -------------------------------------------------------------------------------

  /** Mattermost tokens carry every right of their owner: there are no scopes to pick. */
  scopeCatalog(): Promise<ScopeCatalog> {
    return Promise.resolve({ scopes: [], presets: [] });
  }

  async getSettings(options?: CallOptions): Promise<ServerSettings> {
    this.signedInOrThrow();
    await this.loadClientConfig(options);
    const max = this.maxLifetimeDays ?? 0;
    return {
      enable_personal_access_tokens: this.tokensEnabled === true,
      require_password_confirmation: false,
      default_lifetime_days: 0,
      max_lifetime_days: max,
      allow_no_expiry: max === 0,
    };
  }

  /** System admins can switch the feature on or off (`PUT /api/v4/config/patch`). */
  async updateSettings(patch: Partial<ServerSettings>, options?: CallOptions): Promise<ServerSettings> {
    this.signedInOrThrow();
    const service: Record<string, boolean | number> = {};
    if (patch.enable_personal_access_tokens !== undefined) service['EnableUserAccessTokens'] = patch.enable_personal_access_tokens;
    if (patch.max_lifetime_days !== undefined) {
      if (!this.expirySupported) throw this.unsupported('limit token lifetimes', true);
      service['MaximumPersonalAccessTokenLifetimeDays'] = patch.max_lifetime_days;
    }
    if (patch.require_password_confirmation === true) throw this.unsupported('ask for a password before token changes');
    if (patch.default_lifetime_days !== undefined && patch.default_lifetime_days !== 0) throw this.unsupported('set a default token lifetime');
    if (Object.keys(service).length > 0) {
      await this.call({
        method: 'PUT',
        path: '/api/v4/config/patch',
        body: { ServiceSettings: service },
        signal: options?.signal,
        parse: parseAnyJson,
        what: 'configuration',
      });
    }
    return this.getSettings(options);
  }

}

export function createMattermostProvider(config: ProviderConfig): TokenProvider {
  return new MattermostProvider(config);
}
