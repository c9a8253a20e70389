/**
 * The provider for GitLab (REST API v4): personal access tokens (`glpat-…`), and group and project
 * access tokens (tokens of bot users) through the kit's organisation model: a GitLab group is an
 * organisation, its projects are its groups.
 *
 * Written by hand against the official OpenAPI v2 document (`doc/api/openapi/openapi_v2.yaml`,
 * excerpt and notes in `test/contracts/gitlab/`) instead of `@gitbeaker/rest`, which brings a
 * client for the whole API (several hundred resources, tens of KB min+gzip) for a dozen calls;
 * the tests check every request this file sends against the excerpt (and the notes where newer
 * fields are documented only there).
 *
 * GitLab's rules that shape this file (test/contracts/gitlab/notes.md):
 * - sign-in is a personal access token only (no password API); it needs the `api` scope to manage
 *   tokens (`read_api` lists them); it travels in `PRIVATE-TOKEN`;
 * - only administrators create personal tokens through the API (for any user); others are sent to
 *   GitLab's own page, `<base>/-/user_settings/personal_access_tokens`;
 * - rotate revokes the old value at once and answers a new id; `expires_at` is always sent so
 *   GitLab's one-week default never surprises; the signed-in token rotates itself through `self`;
 * - revoke is final: there is no disable / enable, no clone, no bulk delete, no rename.
 */
import { DEFAULT_MESSAGES, ProviderError, UnsupportedOperation, errorFromProblem } from '../errors.ts';
import { capabilities } from './capabilities.ts';
import { HttpClient, errorBodyObject, segment, type ErrorAnswer, type HttpRequest, type QueryValue } from '../http.ts';
import type {
  AuditEvent,
  Confirmation,
  CreatedToken,
  Credentials,
  Group,
  LeakedSecretResult,
  Organization,
  OwnerRef,
  Page,
  Role,
  Scope,
  ScopeCatalog,
  ScopedTokenDraft,
  ServerSettings,
  SignedIn,
  TokenDraft,
  TokenMeta,
  TokenQuery,
  TokenStatus,
  User,
} from '../model.ts';
import {
  badShape,
  listParser,
  readBooleanOrNull,
  readNumber,
  readNumberOrNull,
  readObject,
  readString,
  readStringListOrNull,
  readStringOrNull,
  type Json,
  type Parser,
} from '../parse.ts';
import type { CallOptions, ProviderCapabilities, ProviderConfig, ProviderDescriptor, ScopedOwner, TokenProvider } from '../provider.ts';
import { GITLAB_DESCRIPTOR } from './descriptors.ts';

export const gitlabDescriptor: ProviderDescriptor = GITLAB_DESCRIPTOR;

const NAME = 'GitLab';
const API = '/api/v4';
const PER_PAGE = 100;
/** Since 16.0 a token's lifetime defaults to (and is capped by) 365 days. */
const MAX_LIFETIME_DAYS = 365;
/** Lifetime patkit asks for when a draft names none (GitLab would pick its maximum). */
const DEFAULT_LIFETIME_DAYS = 30;

/** GitLab access levels for group and project tokens. */
export const GITLAB_ACCESS_LEVELS: Readonly<Record<number, string>> = {
  10: 'Guest',
  15: 'Planner',
  20: 'Reporter',
  25: 'Security Manager',
  30: 'Developer',
  40: 'Maintainer',
  50: 'Owner',
};

const SCOPES_DOCS = 'https://docs.gitlab.com/user/profile/personal_access_tokens/#personal-access-token-scopes';

/** The official scope list (docs: security/tokens/access_token_scopes, 2026), personal tokens first. */
export const GITLAB_SCOPES: ReadonlyArray<{ id: string; group: string; description: string; levels: Array<'personal' | 'group' | 'project'> }> = [
  { id: 'api', group: 'API', description: 'Full read and write access to the API, including the registries (and Git over HTTP for personal tokens).', levels: ['personal', 'group', 'project'] },
  { id: 'read_api', group: 'API', description: 'Read-only access to the API.', levels: ['personal', 'group', 'project'] },
  { id: 'read_user', group: 'API', description: 'Read your profile (/user) and the read-only /users endpoints.', levels: ['personal'] },
  { id: 'read_repository', group: 'Repository', description: 'Pull repositories over Git and read them through the files API.', levels: ['personal', 'group', 'project'] },
  { id: 'write_repository', group: 'Repository', description: 'Pull and push repositories over Git (no API access).', levels: ['personal', 'group', 'project'] },
  { id: 'read_registry', group: 'Registries', description: 'Pull container images.', levels: ['personal', 'group', 'project'] },
  { id: 'write_registry', group: 'Registries', description: 'Push container images.', levels: ['personal', 'group', 'project'] },
  { id: 'read_virtual_registry', group: 'Registries', description: 'Pull through the dependency proxy.', levels: ['personal', 'group'] },
  { id: 'write_virtual_registry', group: 'Registries', description: 'Pull, push and delete through the dependency proxy.', levels: ['personal', 'group'] },
  { id: 'self_rotate', group: 'Tokens', description: 'May rotate only itself.', levels: ['personal', 'group', 'project'] },
  { id: 'create_runner', group: 'Runners', description: 'Create runners.', levels: ['personal', 'group', 'project'] },
  { id: 'manage_runner', group: 'Runners', description: 'Manage runners.', levels: ['personal', 'group', 'project'] },
  { id: 'ai_features', group: 'Other', description: 'GitLab Duo APIs.', levels: ['personal', 'group', 'project'] },
  { id: 'k8s_proxy', group: 'Other', description: 'Kubernetes API through the agent for Kubernetes.', levels: ['personal', 'group', 'project'] },
  { id: 'admin_mode', group: 'Administration', description: 'Act as an administrator while Admin Mode is on.', levels: ['personal'] },
  { id: 'read_service_ping', group: 'Administration', description: 'Download Service Ping (administrators).', levels: ['personal'] },
  { id: 'sudo', group: 'Administration', description: 'Act as any user (administrators).', levels: ['personal'] },
];

export function gitlabScopeCatalog(): ScopeCatalog {
  const scopes: Scope[] = GITLAB_SCOPES.filter((s) => s.levels.includes('personal')).map((s) => ({ id: s.id, group: s.group, description: s.description, docs_url: SCOPES_DOCS }));
  return {
    scopes,
    presets: [
      { id: 'api', name: 'Full API', description: 'Everything the API can do as you.', scopes: ['api'] },
      { id: 'read', name: 'Read only', description: 'Read the API and pull repositories.', scopes: ['read_api', 'read_repository'] },
      { id: 'git', name: 'Git push and pull', description: 'Clone and push over HTTPS.', scopes: ['read_repository', 'write_repository'] },
      { id: 'registry', name: 'Container registry', description: 'Pull and push images.', scopes: ['read_registry', 'write_registry'] },
    ],
  };
}

/** GitLab's own page for personal access tokens (what a non-admin uses to create one). */
export function gitlabTokensPage(baseUrl: string): string {
  return `${baseUrl}/-/user_settings/personal_access_tokens`;
}

// ---------------------------------------------------------------------------------------------
// Shapes (exported for the OpenAPI tests)
// ---------------------------------------------------------------------------------------------

/** `API_Entities_PersonalAccessToken` / `ResourceAccessToken` (+ `…WithToken`), newer fields from the notes. */
export interface GitLabToken {
  id: number;
  name: string;
  description: string;
  revoked: boolean;
  active: boolean;
  created_at: string | null;
  /** `YYYY-MM-DD` (docs) or a date-time (2024 spec); `null` = never. */
  expires_at: string | null;
  scopes: string[];
  user_id: number;
  last_used_at: string | null;
  last_used_ips: string[];
  access_level: number | null;
  /** Only in the create and rotate answers. */
  token: string | null;
}

function timeOrNull(o: Json, key: string, path: string): string | null {
  const v = readStringOrNull(o, key, path);
  if (v === null || v === '') return null;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(ms)) throw badShape(`${path}.${key}`, 'a date, a time or null', v);
  return new Date(ms).toISOString();
}

export const parseGitLabToken: Parser<GitLabToken> = (value, path) => {
  const o = readObject(value, path);
  const id = readNumber(o, 'id', path);
  if (!Number.isInteger(id) || id <= 0) throw badShape(`${path}.id`, 'a positive integer', id);
  return {
    id,
    name: readString(o, 'name', path),
    description: readStringOrNull(o, 'description', path) ?? '',
    revoked: readBooleanOrNull(o, 'revoked', path) ?? false,
    active: readBooleanOrNull(o, 'active', path) ?? true,
    created_at: timeOrNull(o, 'created_at', path),
    // Tokens expire at midnight UTC on their date.
    expires_at: timeOrNull(o, 'expires_at', path),
    scopes: readStringListOrNull(o, 'scopes', path) ?? [],
    user_id: readNumberOrNull(o, 'user_id', path) ?? 0,
    last_used_at: timeOrNull(o, 'last_used_at', path),
    last_used_ips: readStringListOrNull(o, 'last_used_ips', path) ?? [],
    access_level: readNumberOrNull(o, 'access_level', path),
    token: readStringOrNull(o, 'token', path),
  };
};

export const parseGitLabTokenList: Parser<GitLabToken[]> = listParser(parseGitLabToken);

export interface GitLabUser {
  id: number;
  username: string;
  name: string;
  state: string;
  is_admin: boolean;
  bot: boolean;
  created_at: string | null;
}

export const parseGitLabUser: Parser<GitLabUser> = (value, path) => {
  const o = readObject(value, path);
  return {
    id: readNumber(o, 'id', path),
    username: readString(o, 'username', path),
    name: readStringOrNull(o, 'name', path) ?? '',
    state: readStringOrNull(o, 'state', path) ?? 'active',
    // `is_admin` is in the administrator view only: absent means "not known to be an admin".
    is_admin: readBooleanOrNull(o, 'is_admin', path) ?? false,
    // The 2024 spec types `bot` as a string; the docs send a boolean.
    bot: o['bot'] === true || o['bot'] === 'true',
    created_at: timeOrNull(o, 'created_at', path),
  };
};

export const parseGitLabUserList: Parser<GitLabUser[]> = listParser(parseGitLabUser);

export interface GitLabAssociations {
  groups: Array<{ id: number; name: string; parent_id: number | null; access_level: number }>;
  projects: Array<{ id: number; name: string; created_at: string | null; namespace_id: number | null; namespace_kind: string; namespace_name: string; access_level: number }>;
}

/** `GET /personal_access_tokens/self/associations`: the token's groups and projects with its access levels. */
export const parseGitLabAssociations: Parser<GitLabAssociations> = (value, path) => {
  const o = readObject(value, path);
  const list = (key: string): unknown[] => {
    const v = o[key];
    if (v == null) return [];
    if (!Array.isArray(v)) throw badShape(`${path}.${key}`, 'a list', v);
    return v;
  };
  return {
    groups: list('groups').map((g, i) => {
      const p = `${path}.groups[${i}]`;
      const x = readObject(g, p);
      return { id: readNumber(x, 'id', p), name: readString(x, 'name', p), parent_id: readNumberOrNull(x, 'parent_id', p), access_level: readNumberOrNull(x, 'access_levels', p) ?? 0 };
    }),
    projects: list('projects').map((g, i) => {
      const p = `${path}.projects[${i}]`;
      const x = readObject(g, p);
      const levels = x['access_levels'] == null ? {} : readObject(x['access_levels'], `${p}.access_levels`);
      const ns = x['namespace'] == null ? {} : readObject(x['namespace'], `${p}.namespace`);
      return {
        id: readNumber(x, 'id', p),
        name: readString(x, 'name', p),
        created_at: timeOrNull(x, 'created_at', p),
        namespace_id: readNumberOrNull(ns, 'id', `${p}.namespace`),
        namespace_kind: readStringOrNull(ns, 'kind', `${p}.namespace`) ?? 'group',
        namespace_name: readStringOrNull(ns, 'name', `${p}.namespace`) ?? '',
        access_level: Math.max(readNumberOrNull(levels, 'project_access_level', `${p}.access_levels`) ?? 0, readNumberOrNull(levels, 'group_access_level', `${p}.access_levels`) ?? 0),
      };
    }),
  };
};

export const parseGitLabMetadata: Parser<{ version: string; enterprise: boolean }> = (value, path) => {
  const o = readObject(value, path);
  return { version: readString(o, 'version', path), enterprise: readBooleanOrNull(o, 'enterprise', path) ?? false };
};

function statusOf(t: GitLabToken, now: number): TokenStatus {
  if (t.revoked) return 'disabled';
  if (!t.active || (t.expires_at !== null && Date.parse(t.expires_at) <= now)) return 'expired';
  return 'active';
}

/** Which list a token id belongs to: `42` (personal), `group:7:42`, `project:9:58`. */
export type TokenRef = { level: 'personal'; id: string } | { level: 'group' | 'project'; resource: string; id: string };

export function parseTokenRef(id: string): TokenRef {
  const m = /^(?:(group|project):(\d{1,18}):)?(\d{1,18})$/.exec(id);
  if (!m) throw new ProviderError('validation_failed', 'That is not a GitLab token id.', { fieldErrors: [{ field: 'id', message: 'Not a GitLab token id' }] });
  return m[1] ? { level: m[1] as 'group' | 'project', resource: m[2]!, id: m[3]! } : { level: 'personal', id: m[3]! };
}

export function gitlabTokenToMeta(t: GitLabToken, owner: OwnerRef, ref: { level: 'personal' } | { level: 'group' | 'project'; resource: string }, now: number = Date.now()): TokenMeta {
  const extra: Record<string, string | number | boolean | string[] | null> = { revoked: t.revoked };
  if (t.access_level !== null) {
    extra['access_level'] = t.access_level;
    extra['role'] = GITLAB_ACCESS_LEVELS[t.access_level] ?? String(t.access_level);
  }
  if (t.last_used_ips.length > 0) extra['last_used_ips'] = [...t.last_used_ips];
  return {
    id: ref.level === 'personal' ? String(t.id) : `${ref.level}:${ref.resource}:${t.id}`,
    owner,
    name: t.name,
    description: t.description,
    created_at: t.created_at,
    created_by: null,
    updated_at: null,
    expires_at: t.expires_at,
    scopes: [...t.scopes],
    status: statusOf(t, now),
    last_used_at: t.last_used_at,
    last_used_ip: t.last_used_ips[0] ?? null,
    last4: null,
    extra,
  };
}

/** GitLab's error bodies (`{message}`, `{message: {field: [..]}}`, `{error, error_description, scope}`) → the family. */
export function gitlabError(answer: ErrorAnswer): ProviderError {
  const body = errorBodyObject(answer);
  const base = errorFromProblem(answer.status, null, answer.headers.get('retry-after'));
  const opts = { status: answer.status, retryAfter: base.retryAfter };
  if (body?.['error'] === 'insufficient_scope') {
    const scope = typeof body['scope'] === 'string' ? body['scope'] : 'api';
    return new ProviderError('forbidden', `The token you signed in with lacks the ${scope} scope. Create a personal access token with the ${scope} scope in GitLab and sign in with it.`, {
      ...opts,
      serverCode: 'insufficient_scope',
    });
  }
  const message = body?.['message'];
  if (typeof message === 'object' && message !== null && !Array.isArray(message)) {
    const fieldErrors = Object.entries(message as Record<string, unknown>).map(([field, v]) => ({
      field,
      message: Array.isArray(v) ? v.filter((x) => typeof x === 'string').join(', ') : String(v),
    }));
    const text = fieldErrors.map((f) => `${f.field} ${f.message}`).join('; ');
    return new ProviderError(base.code === 'bad_response' ? 'validation_failed' : base.code, text || DEFAULT_MESSAGES.validation_failed, { ...opts, fieldErrors, serverCode: 'validation' });
  }
  const text = typeof message === 'string' ? message.trim() : typeof body?.['error_description'] === 'string' ? (body['error_description'] as string) : typeof body?.['error'] === 'string' ? (body['error'] as string) : '';
  if (answer.status === 401) {
    return new ProviderError('unauthorized', 'GitLab does not accept this token (revoked, expired or mistyped). Sign in again with a personal access token.', { ...opts, serverCode: text || 'unauthorized' });
  }
  if (answer.status === 400 || answer.status === 422) {
    const clean = text.replace(/^400 \(Bad request\) /, '');
    const m = /"(\w+)" (?:not given|is missing|is invalid|does not have a valid value)/.exec(clean);
    return new ProviderError('validation_failed', clean || DEFAULT_MESSAGES.validation_failed, { ...opts, serverCode: text || undefined, fieldErrors: [{ field: m?.[1] ?? '', message: clean || DEFAULT_MESSAGES.validation_failed }] });
  }
  const detail = text.replace(/^\d{3}\s*/, '');
  return new ProviderError(base.code, detail && !/^(Forbidden|Not Found|Unauthorized)$/i.test(detail) ? `${DEFAULT_MESSAGES[base.code]} (${answer.status}: ${detail})` : `${DEFAULT_MESSAGES[base.code]} (HTTP ${answer.status})`, { ...opts, serverCode: text || undefined });
}

function dateOnly(iso: string): string {
  return new Date(Date.parse(iso)).toISOString().slice(0, 10);
}

function inDays(days: number, now: number = Date.now()): string {
  return new Date(now + days * 86_400_000).toISOString().slice(0, 10);
}

/** A draft's expiry as GitLab's `YYYY-MM-DD` (required since 16.0; undefined → patkit's default). */
function expiryDate(expires: string | null | undefined, what: string): string {
  if (expires === null) {
    throw new ProviderError('validation_failed', `GitLab ${what} must expire. Pick a date up to ${MAX_LIFETIME_DAYS} days ahead.`, { fieldErrors: [{ field: 'expires_at', message: 'Required on GitLab' }] });
  }
  if (expires === undefined) return inDays(DEFAULT_LIFETIME_DAYS);
  const ms = Date.parse(expires);
  if (!Number.isFinite(ms) || dateOnly(expires) <= inDays(0)) {
    throw new ProviderError('validation_failed', 'The expiry date must be after today.', { fieldErrors: [{ field: 'expires_at', message: 'After today' }] });
  }
  return dateOnly(expires);
}

export class GitLabProvider implements TokenProvider {
  readonly descriptor: ProviderDescriptor = gitlabDescriptor;
  private caps: ProviderCapabilities;
  private credential: string | null;
  private me: GitLabUser | null = null;
  private self: GitLabToken | null = null;
  private readonly http: HttpClient;
  private readonly names = new Map<string, string>();
  private readonly fetchImpl: typeof fetch | undefined;
  private readonly timeoutMs: number | undefined;

  constructor(config: ProviderConfig) {
    if (config.sessionMode === 'cookie') {
      throw new ProviderError('validation_failed', 'GitLab servers are reached with a personal access token, not a console cookie.', {
        fieldErrors: [{ field: 'sessionMode', message: 'Use bearer mode for GitLab' }],
      });
    }
    this.credential = config.credential ?? null;
    this.fetchImpl = config.fetch;
    this.timeoutMs = config.timeoutMs;
    this.http = new HttpClient({
      baseUrl: config.baseUrl,
      serverLabel: 'The GitLab server',
      ...(config.fetch ? { fetch: config.fetch } : {}),
      ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
      credentials: 'omit',
      headers: (): Record<string, string> => (this.credential ? { 'private-token': this.credential } : {}),
      secrets: () => [this.credential],
      errorFor: gitlabError,
    });
    this.caps = this.capabilitiesFor(null, null);
  }

  get baseUrl(): string {
    return this.http.baseUrl;
  }

  get capabilities(): ProviderCapabilities {
    return this.caps;
  }

  /** What GitLab lets this user and this token do. */
  capabilitiesFor(me: GitLabUser | null, self: GitLabToken | null): ProviderCapabilities {
    const hasApi = self === null || self.scopes.includes('api');
    let create: ProviderCapabilities['create'] = { allowed: true, reason: null };
    if (me && !hasApi) {
      create = { allowed: false, reason: `The token you signed in with lacks the api scope GitLab needs to create tokens. Sign in with a token that has api, or create one on GitLab's own page: ${gitlabTokensPage(this.baseUrl)}` };
    } else if (me && !me.is_admin) {
      create = {
        allowed: false,
        reason: `GitLab lets only administrators create personal access tokens through its API. Create yours on GitLab's own page: ${gitlabTokensPage(this.baseUrl)}`,
      };
    }
    return capabilities({
      expiry: { mode: 'required', maxLifetimeDays: MAX_LIFETIME_DAYS, defaultLifetimeDays: DEFAULT_LIFETIME_DAYS },
      create,
      scopes: 'custom',
      names: true,
      description: true,
      regenerate: hasApi,
      lastUsed: true,
      adminInventory: me?.is_admin === true,
      createForOthers: me?.is_admin === true && hasApi,
      search: true,
      orgTokens: me !== null,
    });
  }

  private call<T>(req: HttpRequest<T>): Promise<T> {
    return this.http.request({ ...req, path: API + req.path });
  }

  /** A GET that also reads the paging headers (`x-next-page`). */
  private async paged<T>(path: string, query: Record<string, QueryValue>, parse: Parser<T>, what: string, options?: CallOptions): Promise<{ items: T; next: string | null }> {
    let next: string | null = null;
    const client = new HttpClient({
      baseUrl: this.http.baseUrl,
      serverLabel: 'The GitLab server',
      ...(this.timeoutMs !== undefined ? { timeoutMs: this.timeoutMs } : {}),
      credentials: 'omit',
      headers: (): Record<string, string> => (this.credential ? { 'private-token': this.credential } : {}),
      secrets: () => [this.credential],
      errorFor: gitlabError,
      fetch: async (input, init) => {
        const response = await (this.fetchImpl ?? globalThis.fetch)(input, init);
        const n = response.headers.get('x-next-page');
        next = n && /^\d+$/.test(n) ? n : null;
        return response;
      },
    });
    const items = await client.request({ method: 'GET', path: API + path, query, signal: options?.signal, parse, what });
    return { items, next };
  }

  private signedInOrThrow(): void {
    if (!this.credential) throw new ProviderError('unauthorized', 'You are signed out. Sign in to this GitLab server first.', { serverCode: 'no_credential' });
  }

  private unsupported(operation: string): UnsupportedOperation {
    return new UnsupportedOperation(operation, NAME);
  }

  // --- session --------------------------------------------------------------------------------

  setCredential(credential: string | null): void {
    // The same value handed back (the extension's background does so after sign-in) keeps what sign-in learned.
    if (credential !== null && credential === this.credential) return;
    this.credential = credential;
    this.me = null;
    this.self = null;
    this.caps = this.capabilitiesFor(null, null);
  }

  async signIn(credentials: Credentials, options?: CallOptions): Promise<SignedIn> {
    if (credentials.kind !== 'token') {
      throw new ProviderError('validation_failed', 'GitLab has no password sign-in for its API: paste a personal access token with the api scope.', {
        fieldErrors: [{ field: 'token', message: 'Paste a personal access token (scope api)' }],
      });
    }
    const token = credentials.token.trim();
    if (token === '') throw new ProviderError('validation_failed', 'Paste a GitLab personal access token.', { fieldErrors: [{ field: 'token', message: 'Required' }] });
    const previous = this.credential;
    this.setCredential(token);
    try {
      const user = await this.currentUser(options);
      await this.refreshCapabilities(options);
      return { user, credential: token, expires_at: this.self?.expires_at ?? null };
    } catch (error) {
      this.setCredential(previous);
      throw error;
    }
  }

  /** Forgets the token; it stays valid on GitLab (revoke it from the list to end it). */
  signOut(): Promise<void> {
    this.setCredential(null);
    return Promise.resolve();
  }

  private async fetchMe(options?: CallOptions): Promise<GitLabUser> {
    this.signedInOrThrow();
    const me = await this.call({ method: 'GET', path: '/user', signal: options?.signal, parse: parseGitLabUser, what: 'user' });
    this.me = me;
    return me;
  }

  private async meOrFetch(options?: CallOptions): Promise<GitLabUser> {
    return this.me ?? (await this.fetchMe(options));
  }

  private userModel(u: GitLabUser): User {
    return {
      id: String(u.id),
      username: u.username,
      display_name: u.name || u.username,
      active: u.state === 'active',
      kind: u.bot ? 'technical' : 'person',
      roles: u.is_admin ? ['admin'] : [],
      permissions: [],
      created_at: u.created_at,
    };
  }

  async currentUser(options?: CallOptions): Promise<User> {
    return this.userModel(await this.fetchMe(options));
  }

  async refreshCapabilities(options?: CallOptions): Promise<ProviderCapabilities> {
    if (!this.credential) {
      this.caps = this.capabilitiesFor(null, null);
      return this.caps;
    }
    const me = await this.meOrFetch(options);
    try {
      this.self = await this.call({ method: 'GET', path: '/personal_access_tokens/self', signal: options?.signal, parse: parseGitLabToken, what: 'token' });
    } catch (error) {
      // Older than 15.5, or not a personal token: the scopes stay unknown and the server decides.
      if (!(error instanceof ProviderError) || (error.status !== 404 && error.status !== 403)) throw error;
      this.self = null;
    }
    this.caps = this.capabilitiesFor(me, this.self);
    return this.caps;
  }

  private ownerFor(userId: number, me: GitLabUser): OwnerRef {
    if (userId === me.id) return { kind: 'user', id: String(me.id), username: me.username, display_name: me.name || me.username };
    const name = this.names.get(String(userId));
    return { kind: 'user', id: String(userId), username: name ?? String(userId), display_name: name ?? '' };
  }

  // --- personal tokens ------------------------------------------------------------------------

  async listTokens(query: TokenQuery = {}, options?: CallOptions): Promise<Page<TokenMeta>> {
    this.signedInOrThrow();
    const me = await this.meOrFetch(options);
    const owner = query.owner ?? 'me';
    const q: Record<string, QueryValue> = { per_page: Math.min(PER_PAGE, Math.max(1, Math.floor(query.limit ?? PER_PAGE))) };
    if (owner === 'me') q['user_id'] = me.id;
    else if (owner !== 'all') {
      if (!/^\d+$/.test(owner)) throw new ProviderError('validation_failed', 'GitLab user ids are numbers.', { fieldErrors: [{ field: 'owner', message: 'A numeric user id' }] });
      q['user_id'] = Number(owner);
    }
    if (query.cursor) {
      if (!/^[1-9]\d{0,5}$/.test(query.cursor)) {
        throw new ProviderError('validation_failed', 'That page cursor does not belong to a GitLab list. Start from the first page.', { fieldErrors: [{ field: 'cursor', message: 'Not a GitLab page cursor' }] });
      }
      q['page'] = Number(query.cursor);
    }
    if (query.text) q['search'] = query.text;
    if (query.status === 'active') q['state'] = 'active';
    if (query.status === 'expired') Object.assign(q, { state: 'inactive', revoked: false });
    if (query.status === 'disabled') q['revoked'] = true;
    // Revoking is patkit's delete on GitLab: a revoked token leaves the list unless asked for.
    else q['revoked'] ??= false;
    const page = await this.paged('/personal_access_tokens', q, parseGitLabTokenList, 'token list', options);
    return { items: page.items.map((t) => gitlabTokenToMeta(t, this.ownerFor(t.user_id, me), { level: 'personal' })), next_cursor: page.next };
  }

  async getToken(id: string, options?: CallOptions): Promise<TokenMeta> {
    this.signedInOrThrow();
    const me = await this.meOrFetch(options);
    const ref = parseTokenRef(id);
    if (ref.level !== 'personal') {
      const raw = await this.resourceCall(ref.level, { method: 'GET', path: `/${ref.level}s/${ref.resource}/access_tokens/${ref.id}`, signal: options?.signal, parse: parseGitLabToken, what: 'token' });
      return gitlabTokenToMeta(raw, this.botOwner(ref.level, ref.resource, raw), ref);
    }
    const raw = await this.call({ method: 'GET', path: `/personal_access_tokens/${ref.id}`, signal: options?.signal, parse: parseGitLabToken, what: 'token' });
    return gitlabTokenToMeta(raw, this.ownerFor(raw.user_id, me), { level: 'personal' });
  }

  async createToken(draft: TokenDraft, _confirm?: Confirmation, options?: CallOptions): Promise<CreatedToken> {
    this.signedInOrThrow();
    const me = await this.meOrFetch(options);
    const name = draft.name?.trim() ?? '';
    if (name === '') throw new ProviderError('validation_failed', 'Enter a name for the token.', { fieldErrors: [{ field: 'name', message: 'Required' }] });
    const scopes = [...new Set(draft.scopes ?? [])];
    if (scopes.length === 0) throw new ProviderError('validation_failed', 'GitLab needs at least one scope for a token.', { fieldErrors: [{ field: 'scopes', message: 'At least one scope' }] });
    const body: Record<string, unknown> = { name, scopes, expires_at: expiryDate(draft.expires_at, 'personal access tokens') };
    if (draft.description?.trim()) body['description'] = draft.description.trim().slice(0, 255);
    const targetId = draft.owner_id ?? String(me.id);
    let raw: GitLabToken;
    if (me.is_admin) {
      if (!/^\d+$/.test(targetId)) throw new ProviderError('validation_failed', 'GitLab user ids are numbers.', { fieldErrors: [{ field: 'owner_id', message: 'A numeric user id' }] });
      raw = await this.call({ method: 'POST', path: `/users/${segment(targetId)}/personal_access_tokens`, body, signal: options?.signal, parse: parseGitLabToken, what: 'new token' });
    } else if (targetId === String(me.id) && scopes.length === 1 && scopes[0] === 'k8s_proxy') {
      // The one personal token a non-admin may create through the API (16.5+).
      raw = await this.call({ method: 'POST', path: '/user/personal_access_tokens', body, signal: options?.signal, parse: parseGitLabToken, what: 'new token' });
    } else {
      throw new ProviderError('forbidden', this.capabilitiesFor(me, this.self).create.reason ?? DEFAULT_MESSAGES.forbidden, { serverCode: 'create_needs_admin' });
    }
    return this.created(raw, this.ownerFor(raw.user_id, me), { level: 'personal' });
  }

  private created(raw: GitLabToken, owner: OwnerRef, ref: { level: 'personal' } | { level: 'group' | 'project'; resource: string }): CreatedToken {
    if (!raw.token) throw new ProviderError('bad_response', 'The GitLab server sent a new token without its secret.', { serverCode: 'bad_shape' });
    return { token: gitlabTokenToMeta({ ...raw, token: null }, owner, ref), secret: raw.token };
  }

  /**
   * Rotates: GitLab revokes the old value at once and answers a new token (new id). The new expiry
   * keeps the old lifetime (capped at 365 days). Rotating the token this provider signed in with
   * goes through `self`, and the provider switches to the new value (the caller must store it:
   * {@link GitLabProvider.credentialValue}).
   */
  async regenerateToken(id: string, _confirm?: Confirmation, options?: CallOptions): Promise<CreatedToken> {
    this.signedInOrThrow();
    const me = await this.meOrFetch(options);
    const ref = parseTokenRef(id);
    const current = await this.getToken(id, options);
    let days = DEFAULT_LIFETIME_DAYS;
    if (current.expires_at && current.created_at) {
      days = Math.round((Date.parse(current.expires_at) - Date.parse(current.created_at)) / 86_400_000);
      days = Math.min(MAX_LIFETIME_DAYS, Math.max(1, days));
    }
    const body = { expires_at: inDays(days) };
    if (ref.level !== 'personal') {
      const raw = await this.resourceCall(ref.level, { method: 'POST', path: `/${ref.level}s/${ref.resource}/access_tokens/${ref.id}/rotate`, body, signal: options?.signal, parse: parseGitLabToken, what: 'rotated token' });
      return this.created(raw, this.botOwner(ref.level, ref.resource, raw), ref);
    }
    if (this.self === null) await this.refreshCapabilities(options).catch(() => undefined);
    const isSelf = this.self !== null && String(this.self.id) === ref.id;
    const raw = await this.call({
      method: 'POST',
      path: isSelf ? '/personal_access_tokens/self/rotate' : `/personal_access_tokens/${ref.id}/rotate`,
      body,
      signal: options?.signal,
      parse: parseGitLabToken,
      what: 'rotated token',
    });
    const created = this.created(raw, this.ownerFor(raw.user_id, me), { level: 'personal' });
    if (isSelf) {
      // The old value is dead: carry on with the new one.
      this.credential = created.secret;
      this.self = { ...raw, token: null };
    }
    return created;
  }

  /** The credential in use (changes after a self-rotate). */
  get credentialValue(): string | null {
    return this.credential;
  }

  /** Revoke (final on GitLab): personal, group or project token. */
  /**
   * A leaked personal access token revokes itself: `GET /personal_access_tokens/self` (its
   * metadata, 15.5+) then `DELETE /personal_access_tokens/self` (204; any scope since 15.4),
   * both authenticated with the leaked value, so no sign-in is needed and the user need not own
   * it. GitLab refusing the value (401) means it is already revoked or expired, or not from this
   * server: `not_found`. The value goes to this GitLab server only, in the `PRIVATE-TOKEN` header.
   */
  async revokeLeakedSecret(secret: string, options?: CallOptions): Promise<LeakedSecretResult> {
    const value = secret.trim();
    const leaked = new HttpClient({
      baseUrl: this.http.baseUrl,
      serverLabel: 'The GitLab server',
      ...(this.fetchImpl ? { fetch: this.fetchImpl } : {}),
      ...(this.timeoutMs !== undefined ? { timeoutMs: this.timeoutMs } : {}),
      credentials: 'omit',
      headers: () => ({ 'private-token': value }),
      secrets: () => [value, this.credential],
      errorFor: gitlabError,
    });
    let self: GitLabToken | null = null;
    try {
      self = await leaked.request({ method: 'GET', path: `${API}/personal_access_tokens/self`, signal: options?.signal, parse: parseGitLabToken, what: 'token' });
    } catch (error) {
      if (error instanceof ProviderError && error.status === 401) return { outcome: 'not_found', token: null };
      // Older than 15.5: no metadata, but the token can still revoke itself.
      if (!(error instanceof ProviderError) || (error.status !== 404 && error.status !== 403)) throw error;
    }
    try {
      await leaked.request({ method: 'DELETE', path: `${API}/personal_access_tokens/self`, signal: options?.signal });
    } catch (error) {
      if (error instanceof ProviderError && error.status === 401) return { outcome: 'not_found', token: null };
      throw error;
    }
    if (!self) return { outcome: 'revoked', token: null };
    const me = this.me;
    const owner: OwnerRef =
      me && self.user_id === me.id
        ? { kind: 'user', id: String(me.id), username: me.username, display_name: me.name || me.username }
        : { kind: 'user', id: String(self.user_id), username: this.names.get(String(self.user_id)) ?? String(self.user_id), display_name: '' };
    // It was the token patkit signed in with: that sign-in is over.
    if (value === this.credential) this.setCredential(null);
    return { outcome: 'revoked', token: gitlabTokenToMeta({ ...self, revoked: true }, owner, { level: 'personal' }) };
  }

  async deleteToken(id: string, _confirm?: Confirmation, options?: CallOptions): Promise<void> {
    this.signedInOrThrow();
    const ref = parseTokenRef(id);
    if (ref.level === 'personal') {
      await this.call({ method: 'DELETE', path: `/personal_access_tokens/${ref.id}`, signal: options?.signal, what: 'revoke answer' });
      return;
    }
    await this.resourceCall(ref.level, { method: 'DELETE', path: `/${ref.level}s/${ref.resource}/access_tokens/${ref.id}`, signal: options?.signal, what: 'revoke answer' });
  }

  /**
   * GitLab has no disable, only a final revoke. Personal tokens say so (`capabilities.disable` is
   * false, and Delete revokes). A group or project token's "Revoke" in the organisation view is
   * GitLab's revoke: it ends the token for good and answers it as `disabled`.
   */
  async disableToken(id: string, options?: CallOptions): Promise<TokenMeta> {
    const ref = parseTokenRef(id);
    if (ref.level === 'personal') throw this.unsupported('disable a token (revoking is final: delete it instead)');
    const meta = await this.getToken(id, options);
    await this.deleteToken(id, undefined, options);
    return { ...meta, status: 'disabled', extra: { ...meta.extra, revoked: true } };
  }

  // --- group and project access tokens (the organisation model) --------------------------------

  private async associations(options?: CallOptions): Promise<GitLabAssociations> {
    this.signedInOrThrow();
    const all: GitLabAssociations = { groups: [], projects: [] };
    let page: string | null = '1';
    for (let i = 0; i < 20 && page !== null; i++) {
      const { items: part, next }: { items: GitLabAssociations; next: string | null } = await this.paged(
        '/personal_access_tokens/self/associations',
        { page: Number(page), per_page: PER_PAGE },
        parseGitLabAssociations,
        'groups and projects',
        options,
      );
      all.groups.push(...part.groups);
      all.projects.push(...part.projects);
      page = next;
    }
    return all;
  }

  /** The caller's GitLab groups (Owners manage a group's tokens). */
  async listOrganizations(options?: CallOptions): Promise<Organization[]> {
    const a = await this.associations(options);
    for (const g of a.groups) this.names.set(`group:${g.id}`, g.name);
    return a.groups.map((g) => ({
      id: String(g.id),
      name: g.name,
      created_at: null,
      role: g.access_level >= 50 ? 'admin' : 'user',
      can_manage_tokens: g.access_level >= 50,
    }));
  }

  /** A group's projects the caller reaches (Maintainers manage a project's tokens). */
  async listGroups(orgId: string, options?: CallOptions): Promise<Group[]> {
    const a = await this.associations(options);
    return a.projects
      .filter((p) => p.namespace_kind === 'group' && String(p.namespace_id) === orgId)
      .map((p) => {
        this.names.set(`project:${p.id}`, p.name);
        return { id: String(p.id), org_id: orgId, name: p.name, created_at: p.created_at, role: p.access_level >= 40 ? ('admin' as const) : ('user' as const), can_manage_tokens: p.access_level >= 40 };
      });
  }

  /**
   * GitLab answers 401 (not 403) on group / project token routes when the caller lacks the role
   * (resource_access_tokens.rb). If the token still reads `/user`, it is a missing role, said so.
   */
  private async explainResource401(error: unknown, level: 'group' | 'project'): Promise<unknown> {
    if (!(error instanceof ProviderError) || error.code !== 'unauthorized' || error.status !== 401) return error;
    try {
      await this.fetchMe();
    } catch {
      return error;
    }
    return new ProviderError(
      'forbidden',
      level === 'group'
        ? 'Managing this group’s access tokens needs the Owner role in the group.'
        : 'Managing this project’s access tokens needs at least the Maintainer role in the project.',
      { status: 403, serverCode: 'missing_role' },
    );
  }

  private resourceCall<T>(level: 'group' | 'project', req: HttpRequest<T>): Promise<T> {
    return this.call(req).catch(async (error: unknown) => {
      throw await this.explainResource401(error, level);
    });
  }

  private resourceOf(owner: ScopedOwner): { level: 'group' | 'project'; resource: string } {
    if (!/^\d{1,18}$/.test(owner.id)) throw new ProviderError('validation_failed', 'GitLab group and project ids are numbers.', { fieldErrors: [{ field: 'owner', message: 'A numeric id' }] });
    return { level: owner.kind === 'organization' ? 'group' : 'project', resource: owner.id };
  }

  private botOwner(level: 'group' | 'project', resource: string, t: GitLabToken, name?: string): OwnerRef {
    const scopeName = name ?? this.names.get(`${level}:${resource}`) ?? `${level} ${resource}`;
    return {
      kind: level === 'group' ? 'organization' : 'group',
      id: String(t.user_id),
      username: `${level}_${resource}_bot`,
      display_name: `${scopeName} bot`,
      scope_id: resource,
      scope_name: scopeName,
    };
  }

  async listScopedTokens(owner: ScopedOwner, options?: CallOptions): Promise<TokenMeta[]> {
    this.signedInOrThrow();
    const ref = this.resourceOf(owner);
    const raw = await this.resourceCall(ref.level, { method: 'GET', path: `/${ref.level}s/${ref.resource}/access_tokens`, query: { state: 'active' }, signal: options?.signal, parse: parseGitLabTokenList, what: 'token list' });
    return raw.map((t) => gitlabTokenToMeta(t, this.botOwner(ref.level, ref.resource, t, owner.name), ref));
  }

  async createScopedToken(owner: ScopedOwner, draft: ScopedTokenDraft, _confirm?: Confirmation, options?: CallOptions): Promise<CreatedToken> {
    this.signedInOrThrow();
    const ref = this.resourceOf(owner);
    const name = draft.name?.trim() ?? '';
    if (name === '') throw new ProviderError('validation_failed', 'Enter a name for the token.', { fieldErrors: [{ field: 'name', message: 'Required' }] });
    const level = draft.access_level ?? (draft.admin_role ? (ref.level === 'group' ? 50 : 40) : 30);
    if (!(level in GITLAB_ACCESS_LEVELS)) {
      throw new ProviderError('validation_failed', `GitLab access levels are ${Object.entries(GITLAB_ACCESS_LEVELS).map(([n, l]) => `${n} (${l})`).join(', ')}.`, { fieldErrors: [{ field: 'access_level', message: 'Not a GitLab access level' }] });
    }
    const body: Record<string, unknown> = {
      name,
      scopes: draft.scopes && draft.scopes.length > 0 ? [...new Set(draft.scopes)] : ['api'],
      access_level: level,
      expires_at: expiryDate(draft.expires_at, `${ref.level} access tokens`),
    };
    if (draft.description?.trim()) body['description'] = draft.description.trim().slice(0, 255);
    const raw = await this.resourceCall(ref.level, { method: 'POST', path: `/${ref.level}s/${ref.resource}/access_tokens`, body, signal: options?.signal, parse: parseGitLabToken, what: 'new token' });
    return this.created(raw, this.botOwner(ref.level, ref.resource, raw, owner.name), ref);
  }

  // --- the rest -------------------------------------------------------------------------------

  async listUsers(query: { text?: string; cursor?: string | null; limit?: number } = {}, options?: CallOptions): Promise<Page<User>> {
    this.signedInOrThrow();
    const q: Record<string, QueryValue> = { per_page: Math.min(PER_PAGE, query.limit ?? PER_PAGE), humans: true };
    if (query.text) q['search'] = query.text;
    if (query.cursor) q['page'] = /^\d+$/.test(query.cursor) ? Number(query.cursor) : 1;
    const page = await this.paged('/users', q, parseGitLabUserList, 'user list', options);
    for (const u of page.items) this.names.set(String(u.id), u.username);
    return { items: page.items.map((u) => this.userModel(u)), next_cursor: page.next };
  }

  scopeCatalog(): Promise<ScopeCatalog> {
    return Promise.resolve(gitlabScopeCatalog());
  }

}

export function createGitLabProvider(config: ProviderConfig): TokenProvider {
  return new GitLabProvider(config);
}
