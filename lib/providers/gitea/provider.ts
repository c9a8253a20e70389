/**
 * The provider for Gitea and Forgejo servers (one API, `/api/v1`): access tokens of the signed-in
 * account (and, for site admins, of other accounts), with Gitea's scope list.
 *
 * Written by hand against the official Swagger (`templates/swagger/v1-swagger.generated.json`,
 * excerpt in `test/contracts/gitea/`) instead of through `gitea-js`: that client is generated for the
 * whole API (hundreds of operations in one class) for five calls here; the tests check every request
 * this file sends against the Swagger excerpt.
 *
 * Gitea's rules that shape this file (test/contracts/gitea/notes.md §2–§6):
 * - the token routes (`/users/{username}/tokens…`: list, create, delete) accept **Basic auth with
 *   the account password only**; a token there gets 401 "auth required". So a password sign-in keeps
 *   the user name and password as the credential (memory / `storage.session` only, like every
 *   credential), and create and delete take the password from the confirmation dialog as well;
 * - with two-factor authentication the same requests need the current code in `X-Gitea-OTP`
 *   (Forgejo reads `X-Forgejo-OTP` and still accepts Gitea's); without it the server answers 401,
 *   which becomes the typed `otp_required` error, so the dialog can ask for the code;
 * - a token sign-in reaches the rest of the API (`Authorization: token …`): `GET /user`, and on
 *   2026+ servers `GET /token` / `DELETE /token` (the token itself), which is all it can list;
 * - tokens never expire (Gitea has no expiry; nor has Forgejo), cannot be renamed, rotated or
 *   disabled; the secret (`sha1`) is in the create answer only; lists page with `page` / `limit`
 *   and the `X-Total-Count` header (a `Link: rel="next"` where a server sends one).
 */
import { DEFAULT_MESSAGES, ProviderError, UnsupportedOperation } from '../../errors.ts';
import { HttpClient, segment, type HttpClientOptions, type HttpRequest } from '../../http.ts';
import type { Confirmation, CreatedToken, Credentials, OwnerRef, Page, ScopeCatalog, SignedIn, TokenDraft, TokenMeta, TokenQuery, User } from '../../model.ts';
import type { CallOptions, ProviderCapabilities, ProviderConfig, ProviderDescriptor, TokenProvider } from '../../provider.ts';
import { giteaCapabilities } from './capabilities.ts';
import { KNOWN_SCOPES, giteaScopeCatalog } from './catalog.ts';
import { giteaDescriptor } from './descriptor.ts';
import { giteaError } from './errors.ts';
import { basicAuth } from '../basic-auth.ts';
import { decodeCredential, encodeBasic, type Auth, type Session } from './session.ts';
import {
  giteaTokenToMeta,
  giteaUserToModel,
  nextPageFromLink,
  parseGiteaCurrentToken,
  parseGiteaToken,
  parseGiteaTokenList,
  parseGiteaUser,
  parseGiteaVersion,
  type GiteaCurrentToken,
  type GiteaUser,
} from './wire.ts';

const NAME = 'Gitea';
const API = '/api/v1';
/** Gitea clamps `limit` to `[api] MAX_RESPONSE_ITEMS` (default 50). */
const DEFAULT_LIMIT = 50;
const MAX_NAME = 255;

export class GiteaProvider implements TokenProvider {
  readonly descriptor: ProviderDescriptor = giteaDescriptor;
  private caps: ProviderCapabilities = giteaCapabilities(null);
  private credential: string | null;
  private session: Session | null;
  private me: GiteaUser | null = null;
  /**
   * The one-time code last accepted (sign-in or a confirmed change), reused on the session's own
   * password requests (list, user) while it is still current: Gitea wants a code with every
   * password request of a 2FA account. Memory only, like the password.
   */
  private recentOtp: { code: string; at: number } | null = null;
  /** How long an accepted code is reused (TOTP codes are valid for about 30 s). */
  static otpReuseMs = 25_000;
  private readonly config: ProviderConfig;
  private readonly http: HttpClient;

  constructor(config: ProviderConfig) {
    if (config.sessionMode === 'cookie') {
      throw new ProviderError('validation_failed', 'Gitea servers are reached with a token or the account password, not a console cookie.', {
        fieldErrors: [{ field: 'sessionMode', message: 'Use bearer mode for Gitea' }],
      });
    }
    this.config = config;
    this.credential = config.credential ?? null;
    this.session = decodeCredential(this.credential);
    this.http = this.client(() => this.sessionAuth());
  }

  get baseUrl(): string {
    return this.http.baseUrl;
  }

  get capabilities(): ProviderCapabilities {
    return this.caps;
  }

  /**
   * An HTTP client whose requests carry `auth()` (read at request time); `onHeaders` sees each
   * answer's headers. `confirming`: the password came from a confirmation dialog, so a 401 means
   * "wrong password" (fix the field); on the session's own requests it means "sign in again".
   */
  private client(auth: () => Auth | null, onHeaders?: (headers: Headers) => void, confirming = false): HttpClient {
    const baseFetch = this.config.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
    const options: HttpClientOptions = {
      baseUrl: this.config.baseUrl,
      serverLabel: 'The Gitea server',
      ...(this.config.timeoutMs !== undefined ? { timeoutMs: this.config.timeoutMs } : {}),
      credentials: 'omit',
      headers: (): Record<string, string> => {
        const a = auth();
        if (!a) return {};
        return a.otp ? { authorization: a.authorization, 'x-gitea-otp': a.otp, 'x-forgejo-otp': a.otp } : { authorization: a.authorization };
      },
      secrets: () => {
        const s = this.session;
        const a = auth();
        return [this.credential, s?.kind === 'token' ? s.token : s?.password, a?.authorization.replace(/^\S+ /, '')];
      },
      errorFor: (answer) => {
        const a = auth();
        return giteaError(answer, { basic: confirming && a?.authorization.startsWith('Basic ') === true, otp: !!a?.otp });
      },
      fetch: async (input, init) => {
        const response = await baseFetch(input, init);
        onHeaders?.(response.headers);
        return response;
      },
    };
    return new HttpClient(options);
  }

  private sessionAuth(): Auth | null {
    const s = this.session;
    if (!s) return null;
    if (s.kind === 'token') return { authorization: `token ${s.token}` };
    const otp = this.recentOtp && Date.now() - this.recentOtp.at < GiteaProvider.otpReuseMs ? this.recentOtp.code : undefined;
    return { authorization: basicAuth(s.username, s.password), otp };
  }

  private rememberOtp(code: string | undefined): void {
    if (code) this.recentOtp = { code, at: Date.now() };
  }

  private call<T>(req: HttpRequest<T>): Promise<T> {
    return this.http.request({ ...req, path: API + req.path });
  }

  private signedInOrThrow(): void {
    if (!this.session) {
      throw new ProviderError('unauthorized', 'You are signed out. Sign in to this Gitea server first.', { serverCode: 'no_credential' });
    }
  }

  private unsupported(operation: string): UnsupportedOperation {
    return new UnsupportedOperation(operation, NAME);
  }

  // --- session --------------------------------------------------------------------------------

  setCredential(credential: string | null): void {
    // The same value handed back (the extension's background does so after sign-in) keeps what
    // sign-in learned, including a 2FA code still current.
    if (credential !== null && credential === this.credential) return;
    this.credential = credential;
    this.session = decodeCredential(credential);
    this.me = null;
    this.recentOtp = null;
    this.caps = giteaCapabilities(null);
  }

  async refreshCapabilities(options?: CallOptions): Promise<ProviderCapabilities> {
    if (!this.session) {
      this.caps = giteaCapabilities(null);
      return this.caps;
    }
    try {
      this.caps = giteaCapabilities(await this.fetchMe(options));
    } catch (error) {
      // A 2FA account between codes: what sign-in learned still holds.
      if (!(error instanceof ProviderError && error.code === 'otp_required' && this.me)) throw error;
      this.caps = giteaCapabilities(this.me);
    }
    return this.caps;
  }

  /** `GET /version`, asked without a credential (a narrow token may not read it on 1.20). */
  async serverVersion(options?: CallOptions): Promise<string> {
    return this.client(() => null).request({ method: 'GET', path: `${API}/version`, signal: options?.signal, parse: parseGiteaVersion, what: 'version' });
  }

  async signIn(credentials: Credentials, options?: CallOptions): Promise<SignedIn> {
    const previous = this.credential;
    let credential: string;
    let otp: string | undefined;
    if (credentials.kind === 'token') {
      const token = credentials.token.trim();
      if (token === '') {
        throw new ProviderError('validation_failed', 'Paste a Gitea access token.', { fieldErrors: [{ field: 'token', message: 'Required' }] });
      }
      credential = token;
    } else {
      const { username, password } = credentials;
      if (credentials.remember === true) {
        // Staying signed in would mean storing the account password on disk (docs/security.md rule 19).
        throw new ProviderError(
          'validation_failed',
          'Gitea needs your password for every token list, so patkit keeps a Gitea password sign-in only until the browser closes. Sign in without "keep me signed in", or paste a token.',
          { serverCode: 'password_not_kept', fieldErrors: [{ field: 'keepSignedIn', message: 'Not for Gitea password sign-ins' }] },
        );
      }
      if (username.trim() === '' || password === '') {
        throw new ProviderError('validation_failed', 'Enter your Gitea user name and password.', {
          fieldErrors: [
            ...(username.trim() === '' ? [{ field: 'username', message: 'Required' }] : []),
            ...(password === '' ? [{ field: 'password', message: 'Required' }] : []),
          ],
        });
      }
      credential = encodeBasic(username.trim(), password);
      otp = credentials.otp?.trim() || undefined;
    }
    this.setCredential(credential);
    try {
      // With 2FA, the one sign-in request carries the code; later password requests ask for a fresh one.
      const base = this.sessionAuth()!;
      const me = await this.client(() => ({ ...base, otp })).request({
        method: 'GET',
        path: `${API}/user`,
        signal: options?.signal,
        parse: parseGiteaUser,
        what: 'user',
      });
      this.me = me;
      this.rememberOtp(otp);
      this.caps = giteaCapabilities(me);
      return { user: giteaUserToModel(me), credential, expires_at: null };
    } catch (error) {
      this.setCredential(previous);
      if (error instanceof ProviderError && error.code === 'unauthorized' && credentials.kind === 'password') {
        throw new ProviderError('unauthorized', 'That user name or password is not correct.', { status: 401, serverCode: 'invalid_credentials' });
      }
      if (error instanceof ProviderError && error.code === 'unauthorized' && credentials.kind === 'token') {
        throw new ProviderError('unauthorized', 'Gitea does not accept this token. Check that you pasted all of it and that it was not deleted.', {
          status: 401,
          serverCode: 'invalid_token',
        });
      }
      throw error;
    }
  }

  /** Forgets the credential; a pasted token stays valid (delete it from the list to end it). */
  signOut(): Promise<void> {
    this.setCredential(null);
    return Promise.resolve();
  }

  private async fetchMe(options?: CallOptions): Promise<GiteaUser> {
    this.signedInOrThrow();
    const me = await this.call({ method: 'GET', path: '/user', signal: options?.signal, parse: parseGiteaUser, what: 'user' });
    this.me = me;
    return me;
  }

  async currentUser(options?: CallOptions): Promise<User> {
    return giteaUserToModel(await this.fetchMe(options));
  }

  private async meOrFetch(options?: CallOptions): Promise<GiteaUser> {
    return this.me ?? (await this.fetchMe(options));
  }

  /** Basic auth for a change: the confirmation's password (and code), asked in the confirmation dialog. */
  private confirmedAuth(username: string, confirm: Confirmation | undefined, what: string): Auth {
    const password = confirm?.password ?? '';
    if (password === '') {
      throw new ProviderError('password_confirmation_required', `Gitea ${what} tokens only with your account password. Enter it to confirm.`, {
        serverCode: 'password_required',
        fieldErrors: [{ field: 'password', message: 'Required' }],
      });
    }
    const otp = confirm?.otp?.trim();
    if (otp !== undefined && otp !== '' && !/^\d{6,8}$/.test(otp)) {
      throw new ProviderError('validation_failed', 'A one-time code is 6 digits from your authenticator app.', { fieldErrors: [{ field: 'otp', message: '6 digits' }] });
    }
    return { authorization: basicAuth(username, password), otp: otp || undefined };
  }

  /** `login/id` (another account's token) or `id`. */
  private splitId(id: string, me: GiteaUser): { login: string; tokenId: string; mine: boolean } {
    const m = /^(?:([^/]+)\/)?(\d{1,18})$/.exec(id);
    if (!m) {
      throw new ProviderError('validation_failed', 'That is not a Gitea token id.', { fieldErrors: [{ field: 'id', message: 'Not a Gitea token id' }] });
    }
    const login = m[1] ?? me.login;
    return { login, tokenId: m[2]!, mine: login.toLowerCase() === me.login.toLowerCase() };
  }

  private ownerRef(login: string, me: GiteaUser): OwnerRef {
    if (login.toLowerCase() === me.login.toLowerCase()) return { kind: 'user', id: String(me.id), username: me.login, display_name: me.full_name || me.login };
    return { kind: 'user', id: login, username: login, display_name: login };
  }

  // --- tokens ---------------------------------------------------------------------------------

  async listTokens(query: TokenQuery = {}, options?: CallOptions): Promise<Page<TokenMeta>> {
    this.signedInOrThrow();
    const me = await this.meOrFetch(options);
    const ownerArg = query.owner ?? 'me';
    if (ownerArg === 'all') throw this.unsupported("list every account's tokens at once");
    const login = ownerArg === 'me' || ownerArg === String(me.id) ? me.login : ownerArg;
    if (this.session?.kind === 'token') return this.listWithToken(login, me, options);
    let page = 1;
    if (query.cursor !== undefined && query.cursor !== null && query.cursor !== '') {
      if (!/^[1-9]\d{0,5}$/.test(query.cursor)) {
        throw new ProviderError('validation_failed', 'That page cursor does not belong to a Gitea list. Start from the first page.', {
          fieldErrors: [{ field: 'cursor', message: 'Not a Gitea page cursor' }],
        });
      }
      page = Number(query.cursor);
    }
    const limit = Math.min(DEFAULT_LIMIT, Math.max(1, Math.floor(query.limit ?? DEFAULT_LIMIT)));
    let headers: Headers | null = null;
    const raw = await this.client(() => this.sessionAuth(), (h) => (headers = h)).request({
      method: 'GET',
      path: `${API}/users/${segment(login)}/tokens`,
      query: { page, limit },
      signal: options?.signal,
      parse: parseGiteaTokenList,
      what: 'token list',
    });
    const owner = this.ownerRef(login, me);
    let items = raw.map((t) => giteaTokenToMeta(t, owner, owner.username === me.login));
    if (query.text) {
      const q = query.text.toLowerCase();
      items = items.filter((t) => t.name.toLowerCase().includes(q) || t.id.includes(q));
    }
    if (query.status && query.status !== 'active') items = [];
    return { items, next_cursor: this.nextCursor(headers, page, limit, raw.length) };
  }

  /** The token list's `X-Total-Count` (and a `Link: rel="next"` where sent) → the next page, or null. */
  private nextCursor(headers: Headers | null, page: number, limit: number, count: number): string | null {
    const linkNext = nextPageFromLink(headers?.get('link') ?? null);
    if (linkNext !== null) return String(linkNext);
    const total = Number(headers?.get('x-total-count') ?? NaN);
    if (Number.isFinite(total)) return page * limit < total ? String(page + 1) : null;
    // No header: a full page may have more behind it (the server clamps `limit`, so compare loosely).
    return count >= limit ? String(page + 1) : null;
  }

  /**
   * Signed in with a token, Gitea shows no token list (Basic only): the token itself, from
   * `GET /token` (2026+ servers), is what there is. Older servers answer 404 there.
   */
  private async listWithToken(login: string, me: GiteaUser, options?: CallOptions): Promise<Page<TokenMeta>> {
    if (login !== me.login) throw this.passwordNeeded('list another account’s tokens');
    let current: GiteaCurrentToken;
    try {
      current = await this.call({ method: 'GET', path: '/token', signal: options?.signal, parse: parseGiteaCurrentToken, what: 'current token' });
    } catch (error) {
      if (error instanceof ProviderError && error.status === 404) throw this.passwordNeeded('list your tokens');
      throw error;
    }
    return { items: [giteaTokenToMeta(current, this.ownerRef(me.login, me), true)], next_cursor: null };
  }

  private passwordNeeded(what: string): ProviderError {
    return new ProviderError(
      'password_confirmation_required',
      `Gitea lets you ${what} only with your account password: sign in to this server with your user name and password.`,
      { serverCode: 'basic_auth_required' },
    );
  }

  async getToken(id: string, options?: CallOptions): Promise<TokenMeta> {
    this.signedInOrThrow();
    const me = await this.meOrFetch(options);
    const { login, tokenId } = this.splitId(id, me);
    let cursor: string | null = null;
    for (let i = 0; i < 100; i++) {
      const page = await this.listTokens({ owner: login, cursor }, options);
      const hit = page.items.find((t) => t.id === id || t.id.endsWith(`/${tokenId}`));
      if (hit) return hit;
      cursor = page.next_cursor;
      if (cursor === null) break;
    }
    throw new ProviderError('not_found', DEFAULT_MESSAGES.not_found, { serverCode: 'token_not_found' });
  }

  async createToken(draft: TokenDraft, confirm?: Confirmation, options?: CallOptions): Promise<CreatedToken> {
    this.signedInOrThrow();
    const name = draft.name?.trim() ?? '';
    if (name === '' || name.length > MAX_NAME) {
      throw new ProviderError('validation_failed', name === '' ? 'Enter a name for the token.' : `Token names are at most ${MAX_NAME} characters.`, {
        fieldErrors: [{ field: 'name', message: name === '' ? 'Required' : `At most ${MAX_NAME} characters` }],
      });
    }
    // A token that lives longer than asked is refused, never silently made.
    if (typeof draft.expires_at === 'string') throw this.unsupported('give tokens an expiry date (Gitea tokens never expire)');
    const scopes = [...new Set(draft.scopes ?? [])];
    if (scopes.length === 0) {
      throw new ProviderError('validation_failed', 'Gitea needs at least one scope for a token. Pick what it may read or change.', {
        fieldErrors: [{ field: 'scopes', message: 'At least one scope' }],
      });
    }
    const unknown = scopes.filter((s) => !KNOWN_SCOPES.has(s));
    if (unknown.length > 0) {
      throw new ProviderError('validation_failed', `Gitea has no scope ${unknown.join(', ')}.`, { fieldErrors: [{ field: 'scopes', message: `Unknown: ${unknown.join(', ')}` }] });
    }
    const me = await this.meOrFetch(options);
    const login = draft.owner_id && draft.owner_id !== String(me.id) && draft.owner_id !== me.login ? draft.owner_id : me.login;
    const auth = this.confirmedAuth(this.session?.kind === 'basic' ? this.session.username : me.login, confirm, 'creates');
    const raw = await this.client(() => auth, undefined, true).request({
      method: 'POST',
      path: `${API}/users/${segment(login)}/tokens`,
      body: { name, scopes },
      signal: options?.signal,
      parse: parseGiteaToken,
      what: 'new token',
    });
    this.rememberOtp(auth.otp);
    if (raw.sha1 === '') throw new ProviderError('bad_response', 'The Gitea server sent a new token without its secret.', { serverCode: 'bad_shape' });
    const last8 = raw.token_last_eight || raw.sha1.slice(-8);
    const owner = this.ownerRef(login, me);
    return { token: giteaTokenToMeta({ ...raw, token_last_eight: last8 }, owner, owner.username === me.login), secret: raw.sha1 };
  }

  async deleteToken(id: string, confirm?: Confirmation, options?: CallOptions): Promise<void> {
    this.signedInOrThrow();
    const me = await this.meOrFetch(options);
    const { login, tokenId } = this.splitId(id, me);
    const auth = this.confirmedAuth(this.session?.kind === 'basic' ? this.session.username : me.login, confirm, 'deletes');
    // By numeric id: a name could match several tokens (422).
    await this.client(() => auth, undefined, true).request({
      method: 'DELETE',
      path: `${API}/users/${segment(login)}/tokens/${segment(tokenId)}`,
      signal: options?.signal,
      what: 'delete answer',
    });
    this.rememberOtp(auth.otp);
  }

  scopeCatalog(): Promise<ScopeCatalog> {
    return Promise.resolve(giteaScopeCatalog());
  }

}

export function createGiteaProvider(config: ProviderConfig): GiteaProvider {
  return new GiteaProvider(config);
}
