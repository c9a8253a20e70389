/**
 * The provider for npm registries: the npm token API (`/-/npm/v1/tokens`) that the npm CLI's
 * `npm token list | create | revoke` speaks, as served by registry.npmjs.org, Verdaccio and others.
 *
 * npm tokens have no name, description, expiry, scopes or disabled state; what they do have is a
 * read-only flag and a list of CIDR ranges they may be used from. Creating one always needs the
 * account password, and registries answer a wrong password with a plain 401 — the same status as a
 * dead credential — so a 401 on create is told apart by asking `/-/whoami` who we are.
 *
 * Sign-in is the legacy `npm login` exchange (`PUT /-/user/org.couchdb.user:NAME` with Basic
 * auth), or a pasted token. Registries that allow self sign-up (Verdaccio's default) create an
 * account for an unknown user name on that call, exactly as `npm login` does.
 */
import { DEFAULT_MESSAGES, ProviderError, UnsupportedOperation } from '../../errors.ts';
import { HttpClient, segment, type HttpClientOptions, type HttpRequest } from '../../http.ts';
import type { Confirmation, CreatedToken, Credentials, LeakedSecretResult, OwnerRef, Page, ScopeCatalog, SignedIn, TokenDraft, TokenMeta, TokenQuery, User } from '../../model.ts';
import { parseAnyJson } from '../../parse.ts';
import type { CallOptions, ProviderCapabilities, ProviderConfig, ProviderDescriptor, TokenProvider } from '../../provider.ts';
import { basicAuth } from '../basic-auth.ts';
import { bearerClientOptions, signInWithCredential } from '../bearer-session.ts';
import { npmRegistryCapabilities } from './capabilities.ts';
import { draftCidrList } from './cidr.ts';
import { npmRegistryDescriptor } from './descriptor.ts';
import { npmError } from './errors.ts';
import { npmTokenToMeta, parseLogin, parseNpmToken, parseNpmTokenPage, parseWhoami, previewMatches, sha512Hex, type NpmToken, type NpmTokenPage } from './wire.ts';

const NAME = 'npm registry';
const TOKENS_PATH = '/-/npm/v1/tokens';
/** Safety stop when `getToken` walks the pages looking for one key. */
const MAX_PAGES_SCANNED = 50;

export class NpmRegistryProvider implements TokenProvider {
  readonly descriptor: ProviderDescriptor = npmRegistryDescriptor;
  readonly capabilities: ProviderCapabilities = npmRegistryCapabilities();
  private credential: string | null;
  private username: string | null = null;
  private readonly http: HttpClient;
  private readonly httpOptions: HttpClientOptions;

  constructor(config: ProviderConfig) {
    if (config.sessionMode === 'cookie') {
      throw new ProviderError('validation_failed', 'npm registries are reached with an auth token, not a console cookie.', {
        fieldErrors: [{ field: 'sessionMode', message: 'Use bearer mode for npm registries' }],
      });
    }
    this.credential = config.credential ?? null;
    this.httpOptions = bearerClientOptions(config, 'The npm registry', () => this.credential, npmError);
    this.http = new HttpClient(this.httpOptions);
  }

  get baseUrl(): string {
    return this.http.baseUrl;
  }

  private call<T>(req: HttpRequest<T>): Promise<T> {
    return this.http.request(req);
  }

  private signedInOrThrow(): void {
    if (!this.credential) {
      throw new ProviderError('unauthorized', 'You are signed out. Sign in to this registry first.', { serverCode: 'no_credential' });
    }
  }

  private unsupported(operation: string): UnsupportedOperation {
    return new UnsupportedOperation(operation, NAME);
  }

  refreshCapabilities(): Promise<ProviderCapabilities> {
    return Promise.resolve(this.capabilities);
  }

  setCredential(credential: string | null): void {
    this.credential = credential;
    this.username = null;
  }

  async signIn(credentials: Credentials, options?: CallOptions): Promise<SignedIn> {
    const previous = this.credential;
    if (credentials.kind === 'token') return signInWithCredential(this, credentials.token, previous, options);
    const { username, password } = credentials;
    if (username.trim() === '' || password === '') {
      throw new ProviderError('validation_failed', 'Enter your registry user name and password.', {
        fieldErrors: [
          ...(username.trim() === '' ? [{ field: 'username', message: 'Required' }] : []),
          ...(password === '' ? [{ field: 'password', message: 'Required' }] : []),
        ],
      });
    }
    // The npm CLI's legacy login: Basic auth on the user document answers a fresh auth token.
    const login = new HttpClient({ ...this.httpOptions, headers: () => ({ authorization: basicAuth(username, password) }) });
    let token: string;
    try {
      token = await login.request({
        method: 'PUT',
        path: `/-/user/org.couchdb.user:${segment(username)}`,
        body: { _id: `org.couchdb.user:${username}`, name: username, password, type: 'user', roles: [], date: new Date().toISOString() },
        signal: options?.signal,
        parse: parseLogin,
        what: 'sign-in answer',
      });
    } catch (error) {
      if (error instanceof ProviderError && error.status === 401 && error.serverCode !== 'otp_required') {
        throw new ProviderError('unauthorized', 'That user name or password is not correct.', { status: 401, serverCode: 'invalid_credentials' });
      }
      throw error;
    }
    return signInWithCredential(this, token, previous, options);
  }

  /**
   * Forgets the credential. npm's logout (`DELETE /-/user/token/TOKEN`) would put the credential in
   * a URL, which patkit never does; a pasted token is revoked from the token list instead.
   */
  signOut(): Promise<void> {
    this.setCredential(null);
    return Promise.resolve();
  }

  async currentUser(options?: CallOptions): Promise<User> {
    this.signedInOrThrow();
    const username = await this.call({ method: 'GET', path: '/-/whoami', signal: options?.signal, parse: parseWhoami, what: 'whoami answer' });
    // Registries answer an unknown token with an anonymous `{}` rather than a 401.
    if (!username) {
      throw new ProviderError('unauthorized', 'The registry does not recognise this credential. Sign in again.', { serverCode: 'anonymous' });
    }
    this.username = username;
    return { id: username, username, display_name: username, active: true, kind: 'person', roles: [], permissions: [], created_at: null };
  }

  private async owner(options?: CallOptions): Promise<OwnerRef> {
    const username = this.username ?? (await this.currentUser(options)).username;
    return { kind: 'user', id: username, username, display_name: username };
  }

  private ownerOf(t: NpmToken, me: OwnerRef): OwnerRef {
    return t.user && t.user !== me.username ? { kind: 'user', id: t.user, username: t.user, display_name: t.user } : me;
  }

  /** A `urls.next` link becomes a cursor only if it stays on this registry's token list. */
  private cursorFor(next: string | null): string | null {
    if (!next) return null;
    const base = new URL(`${this.http.baseUrl}/`);
    let url: URL;
    try {
      url = new URL(next, base);
    } catch {
      throw new ProviderError('bad_response', 'The registry sent a next-page link patkit cannot read.', { serverCode: 'bad_next_url' });
    }
    const basePath = base.pathname.replace(/\/$/, '');
    const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : '';
    if (url.origin !== base.origin || path !== TOKENS_PATH) {
      // Following it would send our credential somewhere else.
      throw new ProviderError('bad_response', 'The registry sent a next-page link that leaves its token list; patkit did not follow it.', {
        serverCode: 'foreign_next_url',
      });
    }
    return `${path}${url.search}`;
  }

  private pagePath(cursor: string | null | undefined): string {
    if (cursor === undefined || cursor === null || cursor === '') return TOKENS_PATH;
    if (!cursor.startsWith(`${TOKENS_PATH}?`) || /[#\s]/.test(cursor)) {
      throw new ProviderError('validation_failed', 'That page cursor does not belong to this registry. Start from the first page.', {
        fieldErrors: [{ field: 'cursor', message: 'Not a token list cursor' }],
      });
    }
    return cursor;
  }

  private async fetchPage(cursor: string | null | undefined, options?: CallOptions): Promise<NpmTokenPage> {
    return this.call({ method: 'GET', path: this.pagePath(cursor), signal: options?.signal, parse: parseNpmTokenPage, what: 'token list' });
  }

  async listTokens(query: TokenQuery = {}, options?: CallOptions): Promise<Page<TokenMeta>> {
    this.signedInOrThrow();
    const owner = query.owner ?? 'me';
    if (owner !== 'me' && owner !== this.username) throw this.unsupported("list other users' tokens");
    const me = await this.owner(options);
    const page = await this.fetchPage(query.cursor, options);
    let items = page.objects.map((t) => npmTokenToMeta(t, this.ownerOf(t, me)));
    if (query.text) {
      const q = query.text.toLowerCase();
      items = items.filter((t) => t.id.toLowerCase().includes(q) || t.name.toLowerCase().includes(q));
    }
    if (query.status && query.status !== 'active') items = [];
    return { items, next_cursor: this.cursorFor(page.next) };
  }

  async getToken(id: string, options?: CallOptions): Promise<TokenMeta> {
    this.signedInOrThrow();
    const me = await this.owner(options);
    let cursor: string | null = null;
    for (let i = 0; i < MAX_PAGES_SCANNED; i++) {
      const page = await this.fetchPage(cursor, options);
      const hit = page.objects.find((t) => t.key === id);
      if (hit) return npmTokenToMeta(hit, this.ownerOf(hit, me));
      cursor = this.cursorFor(page.next);
      if (cursor === null) break;
    }
    throw new ProviderError('not_found', DEFAULT_MESSAGES.not_found, { serverCode: 'token_not_found' });
  }

  async createToken(draft: TokenDraft, confirm?: Confirmation, options?: CallOptions): Promise<CreatedToken> {
    this.signedInOrThrow();
    // A narrower token than the registry can make is refused, never silently widened.
    if (typeof draft.expires_at === 'string') throw this.unsupported('give tokens an expiry date');
    if (draft.scopes && draft.scopes.length > 0) throw this.unsupported('limit a token to scopes');
    if (draft.owner_id && draft.owner_id !== this.username) throw this.unsupported('create tokens for other users');
    const readonly = draft.extra?.['readonly'];
    if (readonly !== undefined && readonly !== null && typeof readonly !== 'boolean') {
      throw new ProviderError('validation_failed', 'Read-only must be yes or no.', { fieldErrors: [{ field: 'readonly', message: 'Yes or no' }] });
    }
    const cidr = draftCidrList(draft.allowed_ips, draft.extra?.['cidr_whitelist']);
    const password = confirm?.password;
    if (!password) {
      throw new ProviderError('password_confirmation_required', 'Enter your registry password to create a token.', {
        fieldErrors: [{ field: 'password', message: 'Required' }],
      });
    }
    let raw: NpmToken;
    try {
      raw = await this.call({
        method: 'POST',
        path: TOKENS_PATH,
        body: { password, readonly: readonly === true, cidr_whitelist: cidr },
        signal: options?.signal,
        parse: parseNpmToken,
        what: 'new token',
      });
    } catch (error) {
      throw await this.explainCreate401(error, options);
    }
    if (raw.token === '') throw new ProviderError('bad_response', 'The registry sent a new token without its secret.', { serverCode: 'bad_shape' });
    const secret = raw.token;
    const me = await this.owner(options);
    return { token: npmTokenToMeta({ ...raw, token: `${secret.slice(0, 5)}...${secret.slice(-5)}` }, this.ownerOf(raw, me)), secret };
  }

  /**
   * A 401 on create means "wrong password" or "signed out": registries say both the same way.
   * If `/-/whoami` still knows us, the password was wrong.
   */
  private async explainCreate401(error: unknown, options?: CallOptions): Promise<unknown> {
    if (!(error instanceof ProviderError) || error.status !== 401 || error.serverCode === 'otp_required') return error;
    let signedIn = false;
    try {
      signedIn = (await this.currentUser(options)).username !== '';
    } catch {
      signedIn = false;
    }
    if (!signedIn) return error;
    return new ProviderError('password_incorrect', DEFAULT_MESSAGES.password_incorrect, {
      status: 401,
      serverCode: error.serverCode,
      fieldErrors: [{ field: 'password', message: 'Not correct' }],
    });
  }

  async deleteToken(id: string, _confirm?: Confirmation, options?: CallOptions): Promise<void> {
    this.signedInOrThrow();
    await this.call({ method: 'DELETE', path: `${TOKENS_PATH}/token/${segment(id)}`, signal: options?.signal, parse: parseAnyJson, what: 'revoke answer' });
  }

  /**
   * A leaked token among the signed-in account's tokens is deleted; otherwise `not_found`.
   * registry.npmjs.org names each token by the SHA-512 (hex) of its value (the list's `key`,
   * npm-profile's docs), so the value is hashed here and matched without being sent at all.
   * Registries with random keys (Verdaccio) show a masked preview (`abcde...vwxyz`) instead: a
   * token whose preview alone matches is deleted only after the registry confirms, through
   * `/-/whoami` with the value itself, that it is a live token of this same account.
   */
  async revokeLeakedSecret(secret: string, options?: CallOptions): Promise<LeakedSecretResult> {
    this.signedInOrThrow();
    const value = secret.trim();
    const me = await this.owner(options);
    const digest = await sha512Hex(value);
    const previews: NpmToken[] = [];
    let cursor: string | null = null;
    let hit: NpmToken | null = null;
    for (let i = 0; i < MAX_PAGES_SCANNED && !hit; i++) {
      const page = await this.fetchPage(cursor, options);
      hit = page.objects.find((t) => t.key.toLowerCase() === digest) ?? null;
      previews.push(...page.objects.filter((t) => previewMatches(t.token, value)));
      cursor = this.cursorFor(page.next);
      if (cursor === null) break;
    }
    if (!hit && previews.length === 1 && (await this.whoamiWith(value, options)) === me.username) hit = previews[0]!;
    if (!hit) return { outcome: 'not_found', token: null };
    await this.deleteToken(hit.key, undefined, options);
    const meta = npmTokenToMeta(hit, this.ownerOf(hit, me));
    // It was the credential patkit signed in with: that sign-in is over.
    if (value === this.credential) this.setCredential(null);
    return { outcome: 'revoked', token: meta };
  }

  /** Whose token `value` is, asked of this registry only (`null`: it does not accept it). */
  private async whoamiWith(value: string, options?: CallOptions): Promise<string | null> {
    const client = new HttpClient({ ...this.httpOptions, headers: () => ({ authorization: `Bearer ${value}` }), secrets: () => [value, this.credential] });
    try {
      return await client.request({ method: 'GET', path: '/-/whoami', signal: options?.signal, parse: parseWhoami, what: 'whoami answer' });
    } catch (error) {
      if (error instanceof ProviderError && (error.status === 401 || error.status === 403)) return null;
      throw error;
    }
  }

  /** npm tokens are all-or-read-only: the read-only switch is a create option, not a scope. */
  scopeCatalog(): Promise<ScopeCatalog> {
    return Promise.resolve({ scopes: [], presets: [] });
  }

}

export function createNpmRegistryProvider(config: ProviderConfig): NpmRegistryProvider {
  return new NpmRegistryProvider(config);
}
