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
import { DEFAULT_MESSAGES, ProviderError, UnsupportedOperation } from '../../errors.ts';
import { HttpClient, segment, type HttpClientOptions, type HttpRequest } from '../../http.ts';
import type { Confirmation, CreatedToken, Credentials, Page, Role, ScopeCatalog, ServerSettings, SignedIn, TokenDraft, TokenMeta, TokenQuery, User, UserQuery } from '../../model.ts';
import { parseAnyJson } from '../../parse.ts';
import type { CallOptions, ProviderCapabilities, ProviderConfig, ProviderDescriptor, RegenerateOptions, TokenProvider } from '../../provider.ts';
import { bearerClientOptions, signInWithCredential } from '../bearer-session.ts';
import { MATTERMOST_EXPIRY_MAJOR, mattermostCapabilities, type MissingFeatures } from './capabilities.ts';
import { mattermostDescriptor } from './descriptor.ts';
import { mattermostError } from './errors.ts';
import { matchesText, pageOf, sortTokens } from './listing.ts';
import { MattermostDirectory } from './users.ts';
import {
  parseClientConfig,
  parseMattermostToken,
  parseMattermostTokenList,
  parseMattermostUser,
  parseMattermostVersion,
  parseStatusOk,
  toTokenMeta,
  type MattermostToken,
  type MattermostVersion,
} from './wire.ts';

const NAME = 'Mattermost';
const MAX_DESCRIPTION = 255;

export class MattermostProvider implements TokenProvider {
  readonly descriptor: ProviderDescriptor = mattermostDescriptor;
  private caps: ProviderCapabilities = mattermostCapabilities(null, null, null);
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
  private readonly directory = new MattermostDirectory(<T>(req: HttpRequest<T>) => this.call(req));
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
    this.directory.clear();
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
    const user = await this.directory.withPermissions([raw], options).then((u) => u[0]!);
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

  async currentUser(options?: CallOptions): Promise<User> {
    this.signedInOrThrow();
    const user = await this.directory.fetchUser('me', options);
    this.me = user;
    return user;
  }

  private async meOrFetch(options?: CallOptions): Promise<User> {
    return this.me ?? (await this.currentUser(options));
  }

  // --- tokens ---------------------------------------------------------------------------------

  private async toMetas(tokens: MattermostToken[], options?: CallOptions): Promise<TokenMeta[]> {
    const owners = await this.directory.ownersFor(tokens, options);
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
    const target = draft.owner_id && draft.owner_id !== me.id ? await this.directory.fetchUser(draft.owner_id, options) : me;
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

  async regenerateToken(id: string, _confirm?: Confirmation, options?: RegenerateOptions): Promise<CreatedToken> {
    if (options?.expiresAt !== undefined) throw this.unsupported('choose the new expiry when regenerating a token');
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
    return this.directory.listUsers(query, options);
  }

  /** The three roles patkit manages, as the server describes them. */
  async listRoles(options?: CallOptions): Promise<Role[]> {
    this.signedInOrThrow();
    return this.directory.listRoles(options);
  }

  async setUserRoles(userId: string, roles: string[], options?: CallOptions): Promise<User> {
    this.signedInOrThrow();
    return this.directory.setUserRoles(userId, roles, options);
  }

  async setUserActive(userId: string, active: boolean, options?: CallOptions): Promise<User> {
    this.signedInOrThrow();
    return this.directory.setUserActive(userId, active, options);
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

export function createMattermostProvider(config: ProviderConfig): MattermostProvider {
  return new MattermostProvider(config);
}
