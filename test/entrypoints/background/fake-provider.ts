/** An in-memory TokenProvider for the background's unit tests: no network, switchable offline. */
import { ProviderError } from '../../../lib/errors.ts';
import type { Confirmation, CreatedToken, Credentials, Page, SignedIn, TokenDraft, TokenMeta, User } from '../../../lib/model.ts';
import type { ProviderCapabilities, ProviderConfig, ProviderDescriptor, TokenProvider } from '../../../lib/provider.ts';
import type { ProviderRegistryLike } from '../../../entrypoints/background/browser-apis.ts';

export const descriptor: ProviderDescriptor = { kind: 'patkit', label: 'patkit server', signIn: ['password', 'token'], help: '' };

export const capabilities: ProviderCapabilities = {
  expiry: { mode: 'optional', maxLifetimeDays: null, defaultLifetimeDays: 30 },
  create: { allowed: true, reason: null },
  scopes: 'custom', names: true, description: true, disable: true, regenerate: true, clone: true, update: true,
  bulkDelete: true, lastUsed: true, rotationGraceMaxSeconds: 0, recentUses: false, unused: false, identify: false, passwordConfirmation: 'never', adminInventory: true, createForOthers: true,
  roles: true, userActivation: true, search: true, orgTokens: false, audit: true, settings: true,
  resources: false, approval: false, templates: false, allowedIps: false, notBefore: false, selfRotate: false, createOptions: [],
};

export const alice: User = {
  id: 'usr_alice', username: 'alice', display_name: 'Alice', active: true, kind: 'person', roles: ['member'], permissions: [], created_at: null,
};

export function meta(id: string, patch: Partial<TokenMeta> = {}): TokenMeta {
  return {
    id, owner: { kind: 'user', id: alice.id, username: 'alice', display_name: 'Alice' }, name: id, description: '',
    created_at: '2026-11-01T00:00:00.000Z', created_by: null, updated_at: null, expires_at: null, scopes: [], status: 'active',
    last_used_at: null, last_used_ip: null, last4: 'abcd', ...patch,
  };
}

/** One shared server state, so every provider instance (one per service worker "restart") sees it. */
export class FakeServer {
  tokens: TokenMeta[] = [];
  offline = false;
  credential = 'pks_session_credential_value';
  calls: string[] = [];
  seq = 0;
  /** Like GitLab's self-rotate: regenerating `selfTokenId` replaces the signed-in credential itself. */
  selfTokenId: string | null = null;
  /** The one-time code a password sign-in needs (two-factor), or null for none. */
  otp: string | null = null;
  /** `rotationGraceMaxSeconds` the provider reports. */
  graceMax = 0;
  /** Grace periods regenerate was asked for, in order. */
  graces: Array<number | undefined> = [];
  /** New expiries regenerate was asked for (absent: none chosen), in order. */
  expiries: Array<string | null | undefined> = [];
  /** Leaked values that reached `revokeLeakedSecret` (the test's own fake values). */
  reported: string[] = [];
  /** Token requests awaiting a decision, as `GET /token-requests?state=pending` answers them. */
  requests: TokenMeta[] = [];
  /** False: the user approves nothing here (`listTokenRequests` answers 403). */
  approver = true;
  /** Page size of `listTokenRequests`, to exercise paging. */
  requestPageSize = 100;
  /**
   * Like Mattermost: a provider instance knows the user's admin rights (roles, inventory) only
   * after its `refreshCapabilities` has asked the server; before that it reports none.
   */
  rightsAfterRefresh = false;

  /** A decision as the server makes it: 409 when the request is no longer pending. */
  decide(id: string, state: 'approved' | 'denied', reason: string | null): TokenMeta {
    const token = this.requests.find((t) => t.id === id);
    if (!token) throw new ProviderError('not_found', 'gone', { status: 404 });
    if (token.approval?.state !== 'pending') throw new ProviderError('conflict', 'That request was already decided.', { status: 409, serverCode: 'token_not_pending' });
    token.approval = { ...token.approval, state, reason, decided_at: '2026-11-23T09:30:00.000Z', decided_by: { id: 'usr_admin', username: 'admin' } };
    token.status = state === 'approved' ? 'active' : 'denied';
    return structuredClone(token);
  }

  registry(): ProviderRegistryLike {
    return { descriptors: () => [descriptor], create: (kind, config) => this.provider(kind, config) };
  }

  provider(kind: string, config: ProviderConfig): TokenProvider {
    if (kind !== 'patkit') throw new ProviderError('validation_failed', `unknown kind ${kind}`);
    const server = this;
    let credential = config.credential ?? null;
    const guard = (name: string): void => {
      server.calls.push(name);
      if (server.offline) throw new ProviderError('offline', 'The server cannot be reached.');
      if (name !== 'signIn' && credential !== server.credential) throw new ProviderError('unauthorized', 'Sign in again.', { status: 401 });
    };
    const unsupported = (): never => {
      throw new ProviderError('unsupported_operation', 'no');
    };
    const caps = (): ProviderCapabilities => ({ ...capabilities, rotationGraceMaxSeconds: server.graceMax });
    let refreshed = false;
    return {
      descriptor,
      get capabilities() {
        return server.rightsAfterRefresh && !refreshed ? { ...caps(), roles: false, adminInventory: false } : caps();
      },
      refreshCapabilities: async () => {
        guard('refreshCapabilities');
        refreshed = true;
        return caps();
      },
      async revokeLeakedSecret(secret: string) {
        // A report needs no sign-in (patkit's endpoint): only reachability is checked.
        server.calls.push('revokeLeakedSecret');
        if (server.offline) throw new ProviderError('offline', 'The server cannot be reached.');
        server.reported.push(secret);
        return { outcome: 'reported' as const, token: null };
      },
      async endGrace(id: string) {
        guard('endGrace');
        const token = server.tokens.find((t) => t.id === id);
        if (!token) throw new ProviderError('not_found', 'gone', { status: 404 });
        token.rotation = null;
        return { ...token };
      },
      async signIn(c: Credentials): Promise<SignedIn> {
        guard('signIn');
        const ok = c.kind === 'password' ? c.username === 'alice' && c.password === 'correct horse' : c.token === server.credential;
        if (!ok) throw new ProviderError('unauthorized', 'Wrong username or password.', { status: 401 });
        if (c.kind === 'password' && server.otp !== null && c.otp !== server.otp) {
          throw new ProviderError('otp_required', 'Enter the one-time code from your authenticator app.', { status: 401, fieldErrors: [{ field: 'otp', message: 'Required' }] });
        }
        return { user: alice, credential: server.credential, expires_at: null };
      },
      async signOut() {
        guard('signOut');
      },
      async currentUser() {
        guard('currentUser');
        return alice;
      },
      setCredential(c: string | null) {
        credential = c;
      },
      get credentialValue() {
        return credential;
      },
      async listTokens(): Promise<Page<TokenMeta>> {
        guard('listTokens');
        return { items: [...server.tokens], next_cursor: null };
      },
      getToken: unsupported,
      async createToken(draft: TokenDraft): Promise<CreatedToken> {
        guard('createToken');
        server.seq += 1;
        const token = meta(`tok_${server.seq}`, { name: draft.name, expires_at: draft.expires_at ?? null });
        server.tokens.push(token);
        return { token, secret: `pat_SECRETSECRETSECRETSECRETSECRET${String(server.seq).padStart(6, '0')}` };
      },
      updateToken: unsupported,
      async regenerateToken(id: string, _confirm?: Confirmation, options?: { gracePeriodSeconds?: number; expiresAt?: string | null }): Promise<CreatedToken> {
        guard('regenerateToken');
        server.graces.push(options?.gracePeriodSeconds);
        server.expiries.push(options?.expiresAt);
        const token = server.tokens.find((t) => t.id === id);
        if (!token) throw new ProviderError('not_found', 'gone', { status: 404 });
        const secret = 'pat_REGENERATEDREGENERATEDREGENERA000001';
        if (id === server.selfTokenId) {
          // The old value dies at once; the provider carries on with the new one.
          server.credential = secret;
          credential = secret;
        }
        return { token, secret };
      },
      async cloneToken(id: string, overrides?: Partial<TokenDraft>, confirm?: Confirmation): Promise<CreatedToken> {
        guard('cloneToken');
        const source = server.tokens.find((t) => t.id === id);
        if (!source) throw new ProviderError('not_found', 'gone', { status: 404 });
        if (source.scopes.includes('admin') && !confirm?.acknowledge_admin_token) {
          throw new ProviderError('admin_token_acknowledgement_required', 'The copy carries System Admin rights: acknowledge it.', { status: 400 });
        }
        server.seq += 1;
        const token = meta(`tok_${server.seq}`, { ...source, id: `tok_${server.seq}`, name: overrides?.name ?? `${source.name} (copy)` });
        server.tokens.push(token);
        return { token, secret: `pat_CLONEDCLONEDCLONEDCLONEDCLONED${String(server.seq).padStart(6, '0')}` };
      },
      async disableToken(id: string) {
        guard('disableToken');
        const token = server.tokens.find((t) => t.id === id);
        if (!token) throw new ProviderError('not_found', 'gone', { status: 404 });
        token.status = 'disabled';
        return { ...token };
      },
      async enableToken(id: string) {
        guard('enableToken');
        const token = server.tokens.find((t) => t.id === id);
        if (!token) throw new ProviderError('not_found', 'gone', { status: 404 });
        token.status = 'active';
        return { ...token };
      },
      async deleteToken(id: string) {
        guard('deleteToken');
        server.tokens = server.tokens.filter((t) => t.id !== id);
      },
      bulkDeleteTokens: unsupported,
      async listTokenRequests(query: { state?: string; cursor?: string | null } = {}): Promise<Page<TokenMeta>> {
        guard('listTokenRequests');
        if (!server.approver) throw new ProviderError('forbidden', 'You may not approve token requests.', { status: 403 });
        const all = server.requests.filter((t) => (t.approval?.state ?? 'pending') === (query.state ?? 'pending'));
        const start = Number(query.cursor ?? 0);
        const end = start + server.requestPageSize;
        return { items: all.slice(start, end), next_cursor: end < all.length ? String(end) : null };
      },
      async listTemplates() {
        guard('listTemplates');
        return [{ id: 'tpl_ci', name: 'CI', description: '', scopes: ['tokens:read'], expires_in_days: 30, resources: [], allowed_ips: [], created_at: null, updated_at: null }];
      },
      async listResourceTypes() {
        guard('listResourceTypes');
        return [{ id: 'organization', name: 'Organization' }];
      },
      async listResources(query: { type?: string; q?: string } = {}) {
        guard('listResources');
        const all = [{ type: 'organization', id: 'org_1', name: 'Acme', org_id: 'org_1', created_at: null, updated_at: null }];
        return { items: all.filter((r) => (!query.type || r.type === query.type) && (!query.q || r.name.includes(query.q))), next_cursor: null };
      },
      async approveTokenRequest(id: string): Promise<TokenMeta> {
        guard('approveTokenRequest');
        return server.decide(id, 'approved', null);
      },
      async denyTokenRequest(id: string, reason: string): Promise<TokenMeta> {
        guard('denyTokenRequest');
        return server.decide(id, 'denied', reason);
      },
      listUsers: unsupported,
      listRoles: async () => {
        guard('listRoles');
        return [];
      },
      setUserRoles: unsupported,
      setUserActive: unsupported,
      scopeCatalog: async () => ({ scopes: [], presets: [] }),
      getSettings: unsupported,
      updateSettings: unsupported,
      listAudit: unsupported,
    };
  }
}
