/**
 * The provider for the patkit reference server (`/api/v1`, see the README's server section).
 * Everything goes through {@link HttpClient}: typed errors, timeouts, retries for reads only, and no
 * credential in a URL. Two session modes: `bearer` (extension, Node: the credential travels in
 * `Authorization`) and `cookie` (the server's own console: an HttpOnly cookie script never sees,
 * plus the CSRF header on every request).
 */
import { ProviderError, UnsupportedOperation } from '../../errors.ts';
import { HttpClient, segment, type HttpRequest } from '../../http.ts';
import type {
  AuditEvent, AuditQuery, Confirmation, CreatedToken, Credentials, DisableUnusedRequest, Group, IdentifiedToken, LeakedSecretResult, MemberRole,
  Membership, Organization, Page, Resource, ResourceQuery, ResourceType, Role, ScopeCatalog, ScopedTokenDraft, ServerSettings, SignedIn, TokenDraft,
  TokenMeta, TokenPatch, TokenQuery, TokenRequestQuery, TokenTemplate, TokenTemplateDraft, User, UserQuery,
} from '../../model.ts';
import { parseCreatedToken, parseScopeCatalog, parseServerSettings, parseTokenMeta, parseUser, readList, readObject } from '../../parse.ts';
import { parseGroup, parseGroupList, parseMembership, parseMembershipList, parseOrganization, parseOrganizationList } from '../../parse-org.ts';
import type { CallOptions, ProviderCapabilities, ProviderConfig, ProviderDescriptor, RegenerateOptions, ScopedOwner, TokenProvider } from '../../provider.ts';
import { referenceServerBaseCapabilities, referenceServerCapabilities } from './capabilities.ts';
import { referenceServerDescriptor } from './descriptor.ts';
import * as fg from './fine-grained.ts';
import {
  CSRF_HEADER,
  confirmationBody,
  draftBody,
  parseAuditPage,
  parseDeleted,
  parseRoleList,
  parseSession,
  parseTokenPage,
  parseUserPage,
  scopePath,
} from './wire.ts';

export class ReferenceServerProvider implements TokenProvider {
  readonly descriptor: ProviderDescriptor = referenceServerDescriptor;
  private caps: ProviderCapabilities = referenceServerBaseCapabilities();
  private credential: string | null;
  private readonly mode: 'bearer' | 'cookie';
  private readonly http: HttpClient;

  constructor(config: ProviderConfig) {
    this.mode = config.sessionMode ?? 'bearer';
    this.credential = config.credential ?? null;
    this.http = new HttpClient({
      baseUrl: config.baseUrl,
      serverLabel: 'The patkit server',
      ...(config.fetch ? { fetch: config.fetch } : {}),
      ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
      // Cookie mode must never send cookies cross-origin; bearer mode never sends them at all.
      credentials: this.mode === 'cookie' ? 'same-origin' : 'omit',
      headers: () => this.authHeaders(),
      secrets: () => [this.credential],
    });
  }

  get baseUrl(): string {
    return this.http.baseUrl;
  }

  get capabilities(): ProviderCapabilities {
    return this.caps;
  }

  private authHeaders(): Record<string, string> {
    if (this.mode === 'cookie') return { [CSRF_HEADER]: '1' };
    return this.credential ? { authorization: `Bearer ${this.credential}` } : {};
  }

  /** Every call but sign-in needs a credential (bearer mode); without one it fails before the network. */
  private async call<T>(req: HttpRequest<T>, anonymous = false): Promise<T> {
    if (!anonymous) this.signedInOrThrow();
    return this.http.request(req);
  }

  private signedInOrThrow(): void {
    if (this.mode === 'bearer' && !this.credential) {
      throw new ProviderError('unauthorized', 'You are signed out. Sign in to this server first.', { serverCode: 'no_credential' });
    }
  }

  async refreshCapabilities(options?: CallOptions): Promise<ProviderCapabilities> {
    if (this.mode === 'bearer' && !this.credential) {
      this.caps = referenceServerBaseCapabilities();
      return this.caps;
    }
    const [settings, user] = await Promise.all([this.getSettings(options), this.currentUser(options)]);
    this.caps = referenceServerCapabilities(settings, user, this.signedInWithToken());
    return this.caps;
  }

  /** Self-rotation needs the token itself as the credential (a session cannot rotate itself). */
  private signedInWithToken(): boolean {
    return this.mode === 'bearer' && (this.credential?.startsWith('pat_') ?? false);
  }

  /** The credential in use: after {@link rotateSelf} it is the new secret, for the caller to store. */
  get credentialValue(): string | null {
    return this.credential;
  }

  setCredential(credential: string | null): void {
    this.credential = credential;
    this.caps = referenceServerBaseCapabilities();
  }

  async signIn(credentials: Credentials, options?: CallOptions): Promise<SignedIn> {
    if (credentials.kind === 'token') {
      const previous = this.credential;
      this.credential = credentials.token;
      try {
        const user = await this.currentUser(options);
        return { user, credential: credentials.token, expires_at: null };
      } catch (error) {
        this.credential = previous;
        throw error;
      }
    }
    const answer = await this.call({
      method: 'POST',
      path: '/api/v1/sessions',
      body: {
        username: credentials.username,
        password: credentials.password,
        mode: this.mode,
        ...(credentials.remember !== undefined ? { remember: credentials.remember } : {}),
      },
      signal: options?.signal,
      parse: parseSession,
      what: 'session',
    }, true);
    if (this.mode === 'bearer') {
      if (!answer.credential) {
        throw new ProviderError('bad_response', 'The patkit server signed you in but sent no credential.', { serverCode: 'bad_shape' });
      }
      this.credential = answer.credential;
    }
    // Cookie mode: the credential is an HttpOnly cookie; script gets an empty string, on purpose.
    return { user: answer.user, credential: answer.credential ?? '', expires_at: answer.expires_at };
  }

  async signOut(options?: CallOptions): Promise<void> {
    try {
      // A pasted PAT is not a session: there is nothing to end on the server, only to forget here.
      if (this.mode === 'cookie' || (this.credential && !this.credential.startsWith('pat_'))) {
        await this.call({ method: 'DELETE', path: '/api/v1/sessions/current', signal: options?.signal });
      }
    } catch (error) {
      // Already signed out on the server is the outcome we wanted.
      if (!(error instanceof ProviderError && error.code === 'unauthorized')) throw error;
    } finally {
      this.setCredential(null);
    }
  }

  currentUser(options?: CallOptions): Promise<User> {
    return this.call({ method: 'GET', path: '/api/v1/users/me', signal: options?.signal, parse: parseUser, what: 'user' });
  }

  listTokens(query: TokenQuery = {}, options?: CallOptions): Promise<Page<TokenMeta>> {
    return this.call({
      method: 'GET',
      path: '/api/v1/tokens',
      query: {
        owner: query.owner,
        q: query.text,
        status: query.status,
        unused_days: query.unused_days,
        sort: query.sort,
        order: query.order,
        cursor: query.cursor,
        limit: query.limit,
      },
      signal: options?.signal,
      parse: parseTokenPage,
      what: 'token list',
    });
  }

  getToken(id: string, options?: CallOptions): Promise<TokenMeta> {
    return this.call({ method: 'GET', path: `/api/v1/tokens/${segment(id)}`, signal: options?.signal, parse: parseTokenMeta, what: 'token' });
  }

  createToken(draft: TokenDraft, confirm?: Confirmation, options?: CallOptions): Promise<CreatedToken> {
    return this.call({
      method: 'POST',
      path: '/api/v1/tokens',
      body: { ...draftBody(draft), scopes: draft.scopes ?? [], ...confirmationBody(confirm) },
      signal: options?.signal,
      parse: parseCreatedToken,
      what: 'created token',
    });
  }

  updateToken(id: string, patch: TokenPatch, confirm?: Confirmation, options?: CallOptions): Promise<TokenMeta> {
    return this.call({
      method: 'PATCH',
      path: `/api/v1/tokens/${segment(id)}`,
      body: { ...draftBody(patch), ...(confirm?.password !== undefined ? { password: confirm.password } : {}) },
      signal: options?.signal,
      parse: parseTokenMeta,
      what: 'token',
    });
  }

  regenerateToken(id: string, confirm?: Confirmation, options?: RegenerateOptions): Promise<CreatedToken> {
    const grace = options?.gracePeriodSeconds ?? 0;
    const expiry = options?.expiresAt !== undefined ? { expires_at: options.expiresAt } : {};
    return this.call({
      method: 'POST',
      path: `/api/v1/tokens/${segment(id)}/regenerate`,
      body: { ...(confirm?.password !== undefined ? { password: confirm.password } : {}), ...(grace > 0 ? { grace_period_seconds: grace } : {}), ...expiry },
      signal: options?.signal,
      parse: parseCreatedToken,
      what: 'regenerated token',
    });
  }

  /** The signed-in token rotates itself; the new secret becomes this provider's credential. */
  async rotateSelf(options?: RegenerateOptions): Promise<CreatedToken> {
    // Self-rotation keeps the token's expiry (the server takes no other).
    if (options?.expiresAt !== undefined) throw new UnsupportedOperation('choose the new expiry when a token rotates itself', 'patkit');
    const created = await this.call(fg.rotateSelfRequest(options));
    this.credential = created.secret;
    return created;
  }

  endGrace(id: string, options?: CallOptions): Promise<TokenMeta> {
    return this.call({ method: 'DELETE', path: `/api/v1/tokens/${segment(id)}/grace`, signal: options?.signal, parse: parseTokenMeta, what: 'token' });
  }

  disableUnusedTokens(request: DisableUnusedRequest, options?: CallOptions): Promise<TokenMeta[]> {
    return this.call({
      method: 'POST',
      path: '/api/v1/tokens/disable-unused',
      body: {
        unused_days: request.days,
        dry_run: request.dry_run,
        ...(request.owner !== undefined ? { owner: request.owner } : {}),
        ...(request.ids !== undefined ? { ids: request.ids } : {}),
      },
      signal: options?.signal,
      parse: (value, path) => readList(readObject(value, path), 'tokens', path, parseTokenMeta),
      what: 'unused tokens',
    });
  }

  identifyToken(secret: string, options?: CallOptions): Promise<IdentifiedToken> {
    return this.call({
      method: 'POST',
      path: '/api/v1/tokens/identify',
      body: { token: secret.trim() },
      signal: options?.signal,
      parse: (value, path) => {
        const o = readObject(value, path);
        const matched = o['matched'] === 'previous' ? 'previous' : 'current';
        return { token: parseTokenMeta(o['token'], `${path}.token`), owner: parseUser(o['owner'], `${path}.owner`), matched };
      },
      what: 'identified token',
    });
  }

  /**
   * The server's public report endpoint: it answers the same whether the value matched, so the
   * outcome is `reported`. Sent without the signed-in credential: a report needs none.
   */
  async revokeLeakedSecret(secret: string, options?: CallOptions): Promise<LeakedSecretResult> {
    await this.call({
      method: 'POST',
      path: '/api/v1/credentials/revoke',
      body: { credentials: [secret.trim()] },
      signal: options?.signal,
    }, true);
    return { outcome: 'reported', token: null };
  }

  cloneToken(id: string, overrides: Partial<TokenDraft> = {}, confirm?: Confirmation, options?: CallOptions): Promise<CreatedToken> {
    const { name, description, expires_at } = overrides;
    return this.call({
      method: 'POST',
      path: `/api/v1/tokens/${segment(id)}/clone`,
      body: { ...draftBody({ name, description, expires_at }), ...confirmationBody(confirm) },
      signal: options?.signal,
      parse: parseCreatedToken,
      what: 'cloned token',
    });
  }

  disableToken(id: string, options?: CallOptions): Promise<TokenMeta> {
    return this.call({
      method: 'POST',
      path: `/api/v1/tokens/${segment(id)}/disable`,
      body: {},
      signal: options?.signal,
      parse: parseTokenMeta,
      what: 'token',
    });
  }

  enableToken(id: string, confirm?: Confirmation, options?: CallOptions): Promise<TokenMeta> {
    return this.call({
      method: 'POST',
      path: `/api/v1/tokens/${segment(id)}/enable`,
      body: confirm?.password !== undefined ? { password: confirm.password } : {},
      signal: options?.signal,
      parse: parseTokenMeta,
      what: 'token',
    });
  }

  async deleteToken(id: string, confirm?: Confirmation, options?: CallOptions): Promise<void> {
    await this.call({
      method: 'DELETE',
      path: `/api/v1/tokens/${segment(id)}`,
      body: confirm?.password !== undefined ? { password: confirm.password } : {},
      signal: options?.signal,
    });
  }

  bulkDeleteTokens(ids: string[], confirm?: Confirmation, options?: CallOptions): Promise<string[]> {
    return this.call({
      method: 'POST',
      path: '/api/v1/tokens/bulk-delete',
      body: { ids, ...(confirm?.password !== undefined ? { password: confirm.password } : {}) },
      signal: options?.signal,
      parse: parseDeleted,
      what: 'bulk delete result',
    });
  }

  listUsers(query: UserQuery = {}, options?: CallOptions): Promise<Page<User>> {
    return this.call({
      method: 'GET',
      path: '/api/v1/users',
      query: { q: query.text, cursor: query.cursor, limit: query.limit },
      signal: options?.signal,
      parse: parseUserPage,
      what: 'user list',
    });
  }

  listRoles(options?: CallOptions): Promise<Role[]> {
    return this.call({ method: 'GET', path: '/api/v1/roles', signal: options?.signal, parse: parseRoleList, what: 'role list' });
  }

  setUserRoles(userId: string, roles: string[], options?: CallOptions): Promise<User> {
    return this.call({
      method: 'PUT',
      path: `/api/v1/users/${segment(userId)}/roles`,
      body: { roles },
      // PUT of the full role set is idempotent, but a retry after a lost answer could race an
      // admin's later change; keep writes single-shot.
      idempotent: false,
      signal: options?.signal,
      parse: parseUser,
      what: 'user',
    });
  }

  setUserActive(userId: string, active: boolean, options?: CallOptions): Promise<User> {
    return this.call({
      method: 'PATCH',
      path: `/api/v1/users/${segment(userId)}`,
      body: { active },
      signal: options?.signal,
      parse: parseUser,
      what: 'user',
    });
  }

  scopeCatalog(options?: CallOptions): Promise<ScopeCatalog> {
    return this.call({ method: 'GET', path: '/api/v1/scopes', signal: options?.signal, parse: parseScopeCatalog, what: 'scope catalog' });
  }

  getSettings(options?: CallOptions): Promise<ServerSettings> {
    return this.call({ method: 'GET', path: '/api/v1/settings', signal: options?.signal, parse: parseServerSettings, what: 'settings' });
  }

  async updateSettings(patch: Partial<ServerSettings>, options?: CallOptions): Promise<ServerSettings> {
    const settings = await this.call({
      method: 'PATCH',
      path: '/api/v1/settings',
      body: patch,
      signal: options?.signal,
      parse: parseServerSettings,
      what: 'settings',
    });
    const next = referenceServerCapabilities(settings, null);
    this.caps = { ...this.caps, expiry: next.expiry, passwordConfirmation: next.passwordConfirmation };
    return settings;
  }

  listAudit(query: AuditQuery = {}, options?: CallOptions): Promise<Page<AuditEvent>> {
    return this.call({
      method: 'GET',
      path: '/api/v1/audit',
      query: { token_id: query.token_id, user_id: query.user_id, action: query.action, cursor: query.cursor, limit: query.limit },
      signal: options?.signal,
      parse: parseAuditPage,
      what: 'audit log',
    });
  }

  listResourceTypes(options?: CallOptions): Promise<ResourceType[]> {
    return this.call(fg.resourceTypesRequest(options));
  }
  listResources(query?: ResourceQuery, options?: CallOptions): Promise<Page<Resource>> {
    return this.call(fg.resourcesRequest(query, options));
  }
  listTemplates(options?: CallOptions): Promise<TokenTemplate[]> {
    return this.call(fg.templatesRequest(options));
  }
  createTemplate(draft: TokenTemplateDraft, options?: CallOptions): Promise<TokenTemplate> {
    return this.call(fg.createTemplateRequest(draft, options));
  }
  updateTemplate(id: string, patch: Partial<TokenTemplateDraft>, options?: CallOptions): Promise<TokenTemplate> {
    return this.call(fg.updateTemplateRequest(id, patch, options));
  }
  async deleteTemplate(id: string, options?: CallOptions): Promise<void> {
    await this.call(fg.deleteTemplateRequest(id, options));
  }
  listTokenRequests(query?: TokenRequestQuery, options?: CallOptions): Promise<Page<TokenMeta>> {
    return this.call(fg.tokenRequestsRequest(query, options));
  }
  approveTokenRequest(id: string, options?: CallOptions): Promise<TokenMeta> {
    return this.call(fg.approveRequest(id, options));
  }
  denyTokenRequest(id: string, reason: string, options?: CallOptions): Promise<TokenMeta> {
    return this.call(fg.denyRequest(id, reason, options));
  }

  listOrganizations(options?: CallOptions): Promise<Organization[]> {
    return this.call({ method: 'GET', path: '/api/v1/orgs', signal: options?.signal, parse: parseOrganizationList, what: 'organization list' });
  }

  listGroups(orgId: string, options?: CallOptions): Promise<Group[]> {
    return this.call({ method: 'GET', path: `/api/v1/orgs/${segment(orgId)}/groups`, signal: options?.signal, parse: parseGroupList, what: 'group list' });
  }

  async listScopedTokens(owner: ScopedOwner, options?: CallOptions): Promise<TokenMeta[]> {
    const page = await this.call({ method: 'GET', path: `${scopePath(owner)}/tokens`, signal: options?.signal, parse: parseTokenPage, what: 'token list' });
    return page.items;
  }

  createScopedToken(owner: ScopedOwner, draft: ScopedTokenDraft, confirm?: Confirmation, options?: CallOptions): Promise<CreatedToken> {
    const body: Record<string, unknown> = { name: draft.name, admin_role: draft.admin_role };
    if (draft.description !== undefined) body['description'] = draft.description;
    if (draft.expires_at !== undefined) body['expires_at'] = draft.expires_at;
    if (confirm?.password !== undefined) body['password'] = confirm.password;
    return this.call({
      method: 'POST',
      path: `${scopePath(owner)}/tokens`,
      body,
      signal: options?.signal,
      parse: parseCreatedToken,
      what: 'created token',
    });
  }

  createOrganization(name: string, options?: CallOptions): Promise<Organization> {
    return this.call({ method: 'POST', path: '/api/v1/orgs', body: { name }, signal: options?.signal, parse: parseOrganization, what: 'organization' });
  }

  createGroup(orgId: string, name: string, options?: CallOptions): Promise<Group> {
    return this.call({ method: 'POST', path: `/api/v1/orgs/${segment(orgId)}/groups`, body: { name }, signal: options?.signal, parse: parseGroup, what: 'group' });
  }

  listMembers(level: ScopedOwner, options?: CallOptions): Promise<Membership[]> {
    return this.call({ method: 'GET', path: `${scopePath(level)}/members`, signal: options?.signal, parse: parseMembershipList, what: 'member list' });
  }

  setMember(level: ScopedOwner, userId: string, role: MemberRole, options?: CallOptions): Promise<Membership> {
    return this.call({
      method: 'PUT',
      path: `${scopePath(level)}/members/${segment(userId)}`,
      body: { role },
      signal: options?.signal,
      parse: parseMembership,
      what: 'membership',
    });
  }

  async removeMember(level: ScopedOwner, userId: string, options?: CallOptions): Promise<void> {
    await this.call({ method: 'DELETE', path: `${scopePath(level)}/members/${segment(userId)}`, body: {}, signal: options?.signal });
  }
}

export function createReferenceServerProvider(config: ProviderConfig): ReferenceServerProvider {
  return new ReferenceServerProvider(config);
}
