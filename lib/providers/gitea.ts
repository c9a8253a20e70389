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
  Scope,
  ScopeCatalog,
  ServerSettings,
  SignedIn,
  TokenDraft,
  TokenMeta,
  TokenQuery,
  User,
} from '../model.ts';
import {
  badShape,
  listParser,
  readBooleanOrNull,
  readNumber,
  readObject,
  readString,
  readStringListOrNull,
  readStringOrNull,
  type Json,
  type Parser,
} from '../parse.ts';
import type { CallOptions, ProviderCapabilities, ProviderConfig, ProviderDescriptor, TokenProvider } from '../provider.ts';
import { GITEA_DESCRIPTOR } from './descriptors.ts';

export const giteaDescriptor: ProviderDescriptor = GITEA_DESCRIPTOR;

const NAME = 'Gitea';
const API = '/api/v1';
/** Gitea clamps `limit` to `[api] MAX_RESPONSE_ITEMS` (default 50). */
const DEFAULT_LIMIT = 50;
const MAX_NAME = 255;

/** Gitea's scope categories (models/auth/access_token_scope.go); each has `read:` and `write:`. */
export const GITEA_SCOPE_AREAS: ReadonlyArray<{ area: string; label: string; covers: string }> = [
  { area: 'activitypub', label: 'ActivityPub', covers: 'ActivityPub federation routes' },
  { area: 'admin', label: 'Site administration', covers: '/admin routes (site administrators only)' },
  { area: 'issue', label: 'Issues', covers: 'issues, labels and milestones' },
  { area: 'misc', label: 'Miscellaneous', covers: 'reserved for future use' },
  { area: 'notification', label: 'Notifications', covers: 'notifications' },
  { area: 'organization', label: 'Organizations', covers: 'organizations and teams' },
  { area: 'package', label: 'Packages', covers: 'the package registry' },
  { area: 'repository', label: 'Repositories', covers: 'repositories (except issues)' },
  { area: 'user', label: 'User', covers: 'your user settings, including these tokens' },
];

const SCOPES_DOCS = 'https://docs.gitea.com/development/oauth2-provider#scopes';

export function giteaScopeCatalog(): ScopeCatalog {
  const scopes: Scope[] = [];
  for (const { area, label, covers } of GITEA_SCOPE_AREAS) {
    scopes.push({ id: `read:${area}`, group: label, description: `Read ${covers}.`, docs_url: SCOPES_DOCS });
    scopes.push({ id: `write:${area}`, group: label, description: `Read and change ${covers} (includes read).`, docs_url: SCOPES_DOCS });
  }
  scopes.push({ id: 'public-only', group: 'Modifier', description: 'Limits the token to public repositories, organizations and users.', docs_url: SCOPES_DOCS });
  return {
    scopes,
    presets: [
      {
        id: 'repo-read',
        name: 'Read repositories',
        description: 'Clone and read repositories and their issues.',
        scopes: ['read:repository', 'read:issue'],
      },
      {
        id: 'repo-write',
        name: 'Push and manage repositories',
        description: 'Push, and manage repositories and issues.',
        scopes: ['write:repository', 'write:issue'],
      },
      { id: 'packages', name: 'Publish packages', description: 'Read and publish packages.', scopes: ['write:package'] },
      { id: 'all', name: 'Everything', description: 'Every area, read and write (Gitea shows this as "all").', scopes: ['all'] },
    ],
  };
}

const KNOWN_SCOPES = new Set(['all', 'public-only', ...GITEA_SCOPE_AREAS.flatMap(({ area }) => [`read:${area}`, `write:${area}`])]);

export function giteaCapabilities(user: GiteaUser | null): ProviderCapabilities {
  return capabilities({ scopes: 'custom', names: true, lastUsed: true, passwordConfirmation: 'always', createForOthers: user?.is_admin === true });
}

// ---------------------------------------------------------------------------------------------
// Shapes (exported for the Swagger tests)
// ---------------------------------------------------------------------------------------------

/** `AccessToken`: `sha1` carries the secret in the create answer only (the spec's "SHA1 hash" is the token). */
export interface GiteaToken {
  id: number;
  name: string;
  sha1: string;
  token_last_eight: string;
  scopes: string[];
  created_at: string | null;
  last_used_at: string | null;
}

function timeOrNull(o: Json, key: string, path: string): string | null {
  const v = readStringOrNull(o, key, path);
  if (v === null || v === '') return null;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw badShape(`${path}.${key}`, 'an ISO time or null', v);
  // Go's zero time (`0001-01-01T00:00:00Z`) means "never".
  return ms <= 0 ? null : new Date(ms).toISOString();
}

function readId(o: Json, key: string, path: string): number {
  const id = readNumber(o, key, path);
  if (!Number.isInteger(id) || id <= 0) throw badShape(`${path}.${key}`, 'a positive integer', id);
  return id;
}

export const parseGiteaToken: Parser<GiteaToken> = (value, path) => {
  const o = readObject(value, path);
  return {
    id: readId(o, 'id', path),
    name: readString(o, 'name', path),
    sha1: readStringOrNull(o, 'sha1', path) ?? '',
    token_last_eight: readStringOrNull(o, 'token_last_eight', path) ?? '',
    scopes: readStringListOrNull(o, 'scopes', path) ?? [],
    // Both arrived in 1.24; older servers and Forgejo omit them.
    created_at: timeOrNull(o, 'created_at', path),
    last_used_at: timeOrNull(o, 'last_used_at', path),
  };
};

export const parseGiteaTokenList: Parser<GiteaToken[]> = listParser(parseGiteaToken);

/** `CurrentAccessToken` (`GET /token`). */
export interface GiteaCurrentToken {
  id: number;
  name: string;
  scopes: string[];
  created_at: string | null;
  last_used_at: string | null;
  user: { id: number; login: string } | null;
}

export const parseGiteaCurrentToken: Parser<GiteaCurrentToken> = (value, path) => {
  const o = readObject(value, path);
  let user: GiteaCurrentToken['user'] = null;
  if (o['user'] != null) {
    const u = readObject(o['user'], `${path}.user`);
    user = { id: readNumber(u, 'id', `${path}.user`), login: readString(u, 'login', `${path}.user`) };
  }
  return {
    id: readId(o, 'id', path),
    name: readString(o, 'name', path),
    scopes: readStringListOrNull(o, 'scopes', path) ?? [],
    created_at: timeOrNull(o, 'created_at', path),
    last_used_at: timeOrNull(o, 'last_used_at', path),
    user,
  };
};

export interface GiteaUser {
  id: number;
  login: string;
  full_name: string;
  is_admin: boolean;
  active: boolean;
  prohibit_login: boolean;
  created: string | null;
}

export const parseGiteaUser: Parser<GiteaUser> = (value, path) => {
  const o = readObject(value, path);
  const login = readString(o, 'login', path);
  if (login === '') throw badShape(`${path}.login`, 'a non-empty string', login);
  return {
    id: readNumber(o, 'id', path),
    login,
    full_name: readStringOrNull(o, 'full_name', path) ?? '',
    is_admin: readBooleanOrNull(o, 'is_admin', path) ?? false,
    active: readBooleanOrNull(o, 'active', path) ?? true,
    prohibit_login: readBooleanOrNull(o, 'prohibit_login', path) ?? false,
    created: timeOrNull(o, 'created', path),
  };
};

export const parseGiteaVersion: Parser<string> = (value, path) => readString(readObject(value, path), 'version', path);

export function giteaUserToModel(u: GiteaUser): User {
  return {
    id: String(u.id),
    username: u.login,
    display_name: u.full_name || u.login,
    active: u.active && !u.prohibit_login,
    kind: 'person',
    roles: u.is_admin ? ['site_admin'] : [],
    permissions: [],
    created_at: u.created,
  };
}

/**
 * Token → model. The id is Gitea's numeric id for the caller's own tokens and `login/id` for another
 * account's (site admins), so delete knows whose list the token is in without a lookup.
 */
export function giteaTokenToMeta(t: Pick<GiteaToken, 'id' | 'name' | 'scopes' | 'created_at' | 'last_used_at'> & { token_last_eight?: string }, owner: OwnerRef, mine: boolean): TokenMeta {
  // `last_used_at` is the row's update time: equal to (or before) the creation time means never used.
  const used = t.last_used_at !== null && (t.created_at === null || Date.parse(t.last_used_at) > Date.parse(t.created_at) + 1000);
  const last8 = t.token_last_eight ?? '';
  return {
    id: mine ? String(t.id) : `${owner.username}/${t.id}`,
    owner,
    name: t.name,
    description: '',
    created_at: t.created_at,
    created_by: null,
    updated_at: null,
    expires_at: null,
    scopes: [...t.scopes],
    status: 'active',
    last_used_at: used ? t.last_used_at : null,
    last_used_ip: null,
    last4: last8.length >= 4 ? last8.slice(-4) : null,
    ...(last8 !== '' ? { extra: { token_last_eight: last8 } } : {}),
  };
}

/** Gitea's `APIError` (`{message, url}`) → the typed family; `basic`: the request carried the password. */
export function giteaError(answer: ErrorAnswer, sent: { basic: boolean; otp: boolean }): ProviderError {
  const body = errorBodyObject(answer);
  const message = typeof body?.['message'] === 'string' ? body['message'].trim() : '';
  const base = errorFromProblem(answer.status, null, answer.headers.get('retry-after'));
  const opts = { status: answer.status, retryAfter: base.retryAfter, serverCode: message || undefined };
  if (answer.status === 401 && /\botp\b|two-factor|2fa/i.test(message)) {
    return new ProviderError(
      'otp_required',
      sent.otp
        ? 'That one-time code is not correct or has expired. Enter the current code from your authenticator app.'
        : DEFAULT_MESSAGES.otp_required,
      { ...opts, serverCode: 'otp_required', fieldErrors: [{ field: 'otp', message: sent.otp ? 'Not correct or expired' : 'Required' }] },
    );
  }
  if (answer.status === 401 && /webauthn|security key/i.test(message)) {
    return new ProviderError(
      'forbidden',
      'Gitea refuses password requests for accounts with a security key (WebAuthn). Create and delete tokens in Gitea’s own settings (Settings → Applications).',
      { ...opts, serverCode: 'webauthn_enrolled' },
    );
  }
  if (answer.status === 401 && sent.basic) {
    return new ProviderError('password_incorrect', 'That user name or password is not correct.', {
      ...opts,
      serverCode: 'invalid_credentials',
      fieldErrors: [{ field: 'password', message: 'Not correct' }],
    });
  }
  if (answer.status === 401 && /auth required|basic/i.test(message)) {
    return new ProviderError('password_confirmation_required', 'Gitea lists, creates and deletes tokens only with your account password. Enter it to continue.', {
      ...opts,
      serverCode: 'basic_auth_required',
      fieldErrors: [{ field: 'password', message: 'Required' }],
    });
  }
  if (answer.status === 403 && /scope/i.test(message)) {
    return new ProviderError('forbidden', `This token lacks the scope Gitea needs for that (${message}). Sign in with a token that has read:user, or with your password.`, {
      ...opts,
      serverCode: 'insufficient_scope',
    });
  }
  if (answer.status === 403 && /admin|same as the contextuser/i.test(message)) {
    return new ProviderError('forbidden', 'Only site administrators can manage another account’s tokens on this Gitea server.', { ...opts, serverCode: 'not_self_or_admin' });
  }
  if (answer.status === 400 || answer.status === 422) {
    const field = /name/i.test(message) ? 'name' : /scope/i.test(message) ? 'scopes' : '';
    const text = /name has been used/i.test(message) ? 'You already have a token with that name. Choose another name.' : message || DEFAULT_MESSAGES.validation_failed;
    return new ProviderError('validation_failed', text, { ...opts, fieldErrors: [{ field, message: text }] });
  }
  return new ProviderError(base.code, message ? `${DEFAULT_MESSAGES[base.code]} (${answer.status}: ${message})` : `${DEFAULT_MESSAGES[base.code]} (HTTP ${answer.status})`, opts);
}

function basicAuth(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

/** The credential this provider keeps: a token, or the account's Basic credentials (never persisted). */
type Session = { kind: 'token'; token: string } | { kind: 'basic'; username: string; password: string };

const BASIC_PREFIX = 'gitea-basic:';

/** Basic credentials as one opaque string, for the host's session store (storage.session only). */
function encodeBasic(username: string, password: string): string {
  return BASIC_PREFIX + btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify([username, password]))));
}

function decodeCredential(credential: string | null): Session | null {
  if (!credential) return null;
  if (!credential.startsWith(BASIC_PREFIX)) return { kind: 'token', token: credential };
  try {
    const bytes = Uint8Array.from(atob(credential.slice(BASIC_PREFIX.length)), (c) => c.charCodeAt(0));
    const [username, password] = JSON.parse(new TextDecoder().decode(bytes)) as [unknown, unknown];
    if (typeof username === 'string' && typeof password === 'string') return { kind: 'basic', username, password };
  } catch {
    // fall through
  }
  return null;
}

interface Auth {
  authorization: string;
  otp?: string | undefined;
}

/** `Link: <…?page=3&limit=50>; rel="next"` → 3. */
function nextPageFromLink(link: string | null): number | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (!m) continue;
    try {
      const page = Number(new URL(m[1]!, 'http://x').searchParams.get('page'));
      return Number.isInteger(page) && page > 0 ? page : null;
    } catch {
      return null;
    }
  }
  return null;
}

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

export function createGiteaProvider(config: ProviderConfig): TokenProvider {
  return new GiteaProvider(config);
}
