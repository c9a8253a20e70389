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
import { DEFAULT_MESSAGES, ProviderError, UnsupportedOperation } from '../../errors.ts';
import { segment, type HttpClient, type HttpRequest, type QueryValue } from '../../http.ts';
import type {
  Confirmation,
  CreatedToken,
  Credentials,
  Group,
  LeakedSecretResult,
  Organization,
  OwnerRef,
  Page,
  ScopeCatalog,
  ScopedTokenDraft,
  SignedIn,
  TokenDraft,
  TokenMeta,
  TokenQuery,
  User,
} from '../../model.ts';
import type { Parser } from '../../parse.ts';
import type { CallOptions, ProviderCapabilities, ProviderConfig, ProviderDescriptor, RegenerateOptions, ScopedOwner, TokenProvider } from '../../provider.ts';
import { gitlabCapabilities } from './capabilities.ts';
import { GITLAB_ACCESS_LEVELS, gitlabScopeCatalog } from './catalog.ts';
import { gitlabDescriptor } from './descriptor.ts';
import { API, gitlabClient } from './client.ts';
import {
  expiryDate,
  gitlabTokenToMeta,
  gitlabUserToModel,
  parseGitLabAssociations,
  parseGitLabToken,
  parseGitLabTokenList,
  parseGitLabUser,
  parseGitLabUserList,
  parseTokenRef,
  rotatedExpiry,
  type GitLabAssociations,
  type GitLabToken,
  type GitLabUser,
} from './wire.ts';

const NAME = 'GitLab';
const PER_PAGE = 100;

export class GitLabProvider implements TokenProvider {
  readonly descriptor: ProviderDescriptor = gitlabDescriptor;
  private caps: ProviderCapabilities;
  private credential: string | null;
  private me: GitLabUser | null = null;
  private self: GitLabToken | null = null;
  private readonly http: HttpClient;
  private readonly names = new Map<string, string>();
  private readonly config: ProviderConfig;

  constructor(config: ProviderConfig) {
    if (config.sessionMode === 'cookie') {
      throw new ProviderError('validation_failed', 'GitLab servers are reached with a personal access token, not a console cookie.', {
        fieldErrors: [{ field: 'sessionMode', message: 'Use bearer mode for GitLab' }],
      });
    }
    this.credential = config.credential ?? null;
    this.config = config;
    this.http = gitlabClient(config, () => this.credential);
    this.caps = gitlabCapabilities(this.baseUrl, null, null);
  }

  get baseUrl(): string {
    return this.http.baseUrl;
  }

  get capabilities(): ProviderCapabilities {
    return this.caps;
  }
  private call<T>(req: HttpRequest<T>): Promise<T> {
    return this.http.request({ ...req, path: API + req.path });
  }

  /** A GET that also reads the paging header (`x-next-page`). */
  private async paged<T>(path: string, query: Record<string, QueryValue>, parse: Parser<T>, what: string, options?: CallOptions): Promise<{ items: T; next: string | null }> {
    let next: string | null = null;
    const onHeaders = (headers: Headers): void => {
      const n = headers.get('x-next-page');
      next = n && /^\d+$/.test(n) ? n : null;
    };
    const items = await this.http.request({ method: 'GET', path: API + path, query, signal: options?.signal, parse, what, onHeaders });
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
    this.caps = gitlabCapabilities(this.baseUrl, null, null);
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

  async currentUser(options?: CallOptions): Promise<User> {
    return gitlabUserToModel(await this.fetchMe(options));
  }

  async refreshCapabilities(options?: CallOptions): Promise<ProviderCapabilities> {
    if (!this.credential) {
      this.caps = gitlabCapabilities(this.baseUrl, null, null);
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
    this.caps = gitlabCapabilities(this.baseUrl, me, this.self);
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
      throw new ProviderError('forbidden', gitlabCapabilities(this.baseUrl, me, this.self).create.reason ?? DEFAULT_MESSAGES.forbidden, { serverCode: 'create_needs_admin' });
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
  async regenerateToken(id: string, _confirm?: Confirmation, options?: RegenerateOptions): Promise<CreatedToken> {
    if (options?.expiresAt !== undefined) throw this.unsupported('choose the new expiry when regenerating a token');
    this.signedInOrThrow();
    const me = await this.meOrFetch(options);
    const ref = parseTokenRef(id);
    const current = await this.getToken(id, options);
    const body = { expires_at: rotatedExpiry(current) };
    if (ref.level !== 'personal') {
      const raw = await this.resourceCall(ref.level, { method: 'POST', path: `/${ref.level}s/${ref.resource}/access_tokens/${ref.id}/rotate`, body, signal: options?.signal, parse: parseGitLabToken, what: 'rotated token' });
      return this.created(raw, this.botOwner(ref.level, ref.resource, raw), ref);
    }
    if (this.self === null) await this.refreshCapabilities(options).catch(() => undefined);
    if (this.self !== null && String(this.self.id) === ref.id) return this.rotateSelf(options);
    const raw = await this.call({ method: 'POST', path: `/personal_access_tokens/${ref.id}/rotate`, body, signal: options?.signal, parse: parseGitLabToken, what: 'rotated token' });
    return this.created(raw, this.ownerFor(raw.user_id, me), { level: 'personal' });
  }

  /**
   * The signed-in token rotates itself (`POST /personal_access_tokens/self/rotate`, scope `api` or
   * `self_rotate`), keeping its lifetime; the provider carries on with the new value.
   */
  async rotateSelf(options?: CallOptions): Promise<CreatedToken> {
    this.signedInOrThrow();
    if (this.self === null) await this.refreshCapabilities(options);
    if (this.self === null) throw this.unsupported('rotate a credential that is not a personal access token');
    const me = await this.meOrFetch(options);
    const body = { expires_at: rotatedExpiry(this.self) };
    const raw = await this.call({ method: 'POST', path: '/personal_access_tokens/self/rotate', body, signal: options?.signal, parse: parseGitLabToken, what: 'rotated token' });
    const created = this.created(raw, this.ownerFor(raw.user_id, me), { level: 'personal' });
    // The old value is dead: carry on with the new one.
    this.credential = created.secret;
    this.self = { ...raw, token: null };
    return created;
  }

  /** The credential in use (changes after a self-rotate). */
  get credentialValue(): string | null {
    return this.credential;
  }

  /**
   * A leaked personal access token revokes itself: `GET /personal_access_tokens/self` (its
   * metadata, 15.5+) then `DELETE /personal_access_tokens/self` (204; any scope since 15.4),
   * both authenticated with the leaked value, so no sign-in is needed and the user need not own
   * it. GitLab refusing the value (401) means it is already revoked or expired, or not from this
   * server: `not_found`. The value goes to this GitLab server only, in the `PRIVATE-TOKEN` header.
   */
  async revokeLeakedSecret(secret: string, options?: CallOptions): Promise<LeakedSecretResult> {
    const value = secret.trim();
    const leaked = gitlabClient(this.config, () => value, () => [value, this.credential]);
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

  /** Revoke (final on GitLab): personal, group or project token. */
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
    return { items: page.items.map(gitlabUserToModel), next_cursor: page.next };
  }

  scopeCatalog(): Promise<ScopeCatalog> {
    return Promise.resolve(gitlabScopeCatalog());
  }

}

export function createGitLabProvider(config: ProviderConfig): GitLabProvider {
  return new GitLabProvider(config);
}
