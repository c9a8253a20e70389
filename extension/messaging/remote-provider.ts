/**
 * The pages' side of the protocol: `send(type, payload)` with types from {@link ProtocolMap}, and
 * {@link RemoteProvider}, a {@link TokenProvider} whose every call goes through the background —
 * so the kit's components, which speak to a provider, work in the popup without the popup ever
 * holding a credential or talking to a server.
 */
import { browser } from 'wxt/browser';
import { ProviderError, UnsupportedOperation } from '../../lib/errors.ts';
import type {
  AuditEvent,
  Resource,
  ResourceQuery,
  ResourceType,
  TokenRequestQuery,
  TokenTemplate,
  Confirmation,
  CreatedToken,
  Credentials,
  Page,
  Role,
  ScopeCatalog,
  ServerSettings,
  SignedIn,
  TokenDraft,
  TokenMeta,
  TokenPatch,
  TokenQuery,
  User,
  UserQuery,
} from '../../lib/model.ts';
import type { ProviderCapabilities, ProviderDescriptor, RegenerateOptions, TokenProvider } from '../../lib/provider.ts';
import type { Answer, Envelope, MessageType, RequestOf, ResponseOf, TokenListing } from './protocol.ts';

export async function send<T extends MessageType>(type: T, payload: RequestOf<T>): Promise<ResponseOf<T>> {
  const envelope: Envelope<T> = { patkit: 1, type, payload };
  let answer: Answer<ResponseOf<T>> | undefined;
  try {
    answer = (await browser.runtime.sendMessage(envelope)) as Answer<ResponseOf<T>> | undefined;
  } catch (error) {
    throw new ProviderError('server_error', 'The extension background did not answer. Reload the extension.', { cause: error });
  }
  if (!answer || typeof answer !== 'object') throw new ProviderError('server_error', 'The extension background did not answer.');
  if (!answer.ok) throw ProviderError.fromJSON(answer.error);
  return answer.value;
}

/**
 * A provider for one configured server, proxied through the background. Sign-in and sign-out are
 * the options page's business (they need the user's choice of storage), so they are not offered here.
 */
export class RemoteProvider implements TokenProvider {
  readonly descriptor: ProviderDescriptor;
  capabilities: ProviderCapabilities;

  readonly serverId: string;

  constructor(serverId: string, descriptor: ProviderDescriptor, capabilities: ProviderCapabilities) {
    this.serverId = serverId;
    this.descriptor = descriptor;
    this.capabilities = capabilities;
  }

  async refreshCapabilities(): Promise<ProviderCapabilities> {
    this.capabilities = await send('server.capabilities', { serverId: this.serverId });
    return this.capabilities;
  }
  signIn(_credentials: Credentials): Promise<SignedIn> {
    return Promise.reject(new UnsupportedOperation('sign in from here (use the options page)', this.descriptor.label));
  }
  async signOut(): Promise<void> {
    await send('auth.signOut', { serverId: this.serverId });
  }
  async currentUser(): Promise<User> {
    const view = await send('auth.status', { serverId: this.serverId });
    if (!view.user) throw new ProviderError('unauthorized', 'You are signed out. Sign in on the options page.');
    return view.user;
  }
  setCredential(): void {
    // Credentials never reach a page; the background holds them.
  }
  /** Called with every listing the background returns, so the popup can say how fresh it is. */
  onListing: ((listing: TokenListing) => void) | null = null;

  /**
   * The background answers every page at once (it pages through the server itself). When the
   * server is unreachable it answers the cached copy marked offline: that becomes an `offline`
   * error here, so a list keeps what it painted from the cache and shows its offline state.
   */
  async listTokens(query?: TokenQuery): Promise<Page<TokenMeta>> {
    const own = !query || ((query.owner === undefined || query.owner === 'me') && !query.text && !query.status);
    const listing = await send('tokens.list', own ? { serverId: this.serverId } : { serverId: this.serverId, query: query as TokenQuery });
    this.onListing?.(listing);
    if (listing.offline) throw new ProviderError('offline', 'The server cannot be reached; showing the cached list.');
    return { items: listing.items, next_cursor: own ? null : (listing.nextCursor ?? null) };
  }
  async getToken(id: string): Promise<TokenMeta> {
    const listing = await send('tokens.list', { serverId: this.serverId });
    const token = listing.items.find((t) => t.id === id);
    if (!token) throw new ProviderError('not_found', 'That token no longer exists.');
    return token;
  }
  createToken(draft: TokenDraft, confirm?: Confirmation): Promise<CreatedToken> {
    return send('tokens.create', { serverId: this.serverId, draft, ...(confirm ? { confirm } : {}) });
  }
  updateToken(id: string, patch: TokenPatch, confirm?: Confirmation): Promise<TokenMeta> {
    return send('tokens.update', { serverId: this.serverId, tokenId: id, patch, ...(confirm ? { confirm } : {}) });
  }
  regenerateToken(id: string, confirm?: Confirmation, options?: RegenerateOptions): Promise<CreatedToken> {
    const grace = options?.gracePeriodSeconds;
    const expiry = options?.expiresAt !== undefined ? { expiresAt: options.expiresAt } : {};
    return send('tokens.regenerate', { serverId: this.serverId, tokenId: id, ...(confirm ? { confirm } : {}), ...(grace ? { gracePeriodSeconds: grace } : {}), ...expiry });
  }
  endGrace(id: string): Promise<TokenMeta> {
    return send('tokens.endGrace', { serverId: this.serverId, tokenId: id });
  }
  cloneToken(id: string, overrides?: Partial<TokenDraft>, confirm?: Confirmation): Promise<CreatedToken> {
    return send('tokens.clone', { serverId: this.serverId, tokenId: id, ...(overrides ? { overrides } : {}), ...(confirm ? { confirm } : {}) });
  }
  disableToken(id: string): Promise<TokenMeta> {
    return send('tokens.disable', { serverId: this.serverId, tokenId: id });
  }
  enableToken(id: string, confirm?: Confirmation): Promise<TokenMeta> {
    return send('tokens.enable', { serverId: this.serverId, tokenId: id, ...(confirm ? { confirm } : {}) });
  }
  async deleteToken(id: string, confirm?: Confirmation): Promise<void> {
    await send('tokens.delete', { serverId: this.serverId, tokenId: id, ...(confirm ? { confirm } : {}) });
  }
  async bulkDeleteTokens(ids: string[], confirm?: Confirmation): Promise<string[]> {
    for (const id of ids) await this.deleteToken(id, confirm);
    return ids;
  }
  listUsers(query?: UserQuery): Promise<Page<User>> {
    return send('users.list', query ? { serverId: this.serverId, query } : { serverId: this.serverId });
  }
  listRoles(): Promise<Role[]> {
    return send('roles.list', { serverId: this.serverId });
  }
  setUserRoles(userId: string, roles: string[]): Promise<User> {
    return send('users.setRoles', { serverId: this.serverId, userId, roles });
  }
  setUserActive(userId: string, active: boolean): Promise<User> {
    return send('users.setActive', { serverId: this.serverId, userId, active });
  }
  listTokenRequests(query: TokenRequestQuery = {}): Promise<Page<TokenMeta>> {
    return send('requests.list', { serverId: this.serverId, ...(query.state ? { state: query.state } : {}), ...(query.cursor ? { cursor: query.cursor } : {}) });
  }
  approveTokenRequest(id: string): Promise<TokenMeta> {
    return send('requests.approve', { serverId: this.serverId, tokenId: id });
  }
  denyTokenRequest(id: string, reason: string): Promise<TokenMeta> {
    return send('requests.deny', { serverId: this.serverId, tokenId: id, reason });
  }
  listTemplates(): Promise<TokenTemplate[]> {
    return send('server.templates', { serverId: this.serverId });
  }
  listResourceTypes(): Promise<ResourceType[]> {
    return send('server.resourceTypes', { serverId: this.serverId });
  }
  listResources(query: ResourceQuery = {}): Promise<Page<Resource>> {
    // Only the fields the background accepts, so an extra field the kit may add is not a refusal.
    const { type, q, cursor, limit } = query;
    return send('server.resources', { serverId: this.serverId, query: { ...(type ? { type } : {}), ...(q ? { q } : {}), ...(cursor ? { cursor } : {}), ...(limit ? { limit } : {}) } });
  }
  scopeCatalog(): Promise<ScopeCatalog> {
    return send('server.scopes', { serverId: this.serverId });
  }
  getSettings(): Promise<ServerSettings> {
    return send('server.settings', { serverId: this.serverId });
  }
  updateSettings(): Promise<ServerSettings> {
    return Promise.reject(new UnsupportedOperation('change server settings from the extension', this.descriptor.label));
  }
  listAudit(): Promise<Page<AuditEvent>> {
    return Promise.reject(new UnsupportedOperation('show the audit log in the extension', this.descriptor.label));
  }
}
