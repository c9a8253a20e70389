/**
 * The documentation site's demo server: an in-memory `TokenProvider` (plain arrays, no network), so every
 * component page's demo runs live. The component tests use it as their test double
 * too (test/support/memory-provider.ts), so the page shows what the tests check.
 */
import { ProviderError } from '../lib/errors.ts';
import { FULL_CAPABILITIES } from '../components/shared/capabilities.ts';
import type {
  AuditEvent,
  AuditQuery,
  Confirmation,
  CreatedToken,
  DisableUnusedRequest,
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
} from '../lib/model.ts';
import type { ProviderCapabilities, ProviderDescriptor, RegenerateOptions, TokenProvider } from '../lib/provider.ts';

const DAY = 86_400_000;

export const CATALOG: ScopeCatalog = {
  scopes: [
    { id: 'tokens:read', group: 'Tokens', description: 'Read tokens', docs_url: 'https://docs.example.com/tokens-read' },
    { id: 'tokens:write', group: 'Tokens', description: 'Write tokens', docs_url: 'javascript:alert(1)' },
    { id: 'post:all', group: 'Posting', description: 'Post anywhere', docs_url: null },
  ],
  presets: [
    { id: 'read_only', name: 'Read only', description: 'Read, change nothing.', scopes: ['tokens:read'] },
    { id: 'full', name: 'Full access', description: 'Everything.', scopes: ['tokens:read', 'tokens:write', 'post:all'] },
  ],
};

export const ROLES: Role[] = [
  { id: 'system_admin', name: 'System Admin', description: '', permissions: [], built_in: true },
  { id: 'user_access_token', name: 'Allow this account to generate personal access tokens', description: '', permissions: [], built_in: true },
  { id: 'post_all', name: 'post:all', description: '', permissions: [], built_in: true },
  { id: 'post_channels', name: 'post:channels', description: '', permissions: [], built_in: true },
];

/** Every capability on (the kit's default when it has no provider), with a 365-day maximum lifetime. */
export function fullCapabilities(): ProviderCapabilities {
  return {
    ...FULL_CAPABILITIES,
    expiry: { ...FULL_CAPABILITIES.expiry, maxLifetimeDays: 365 },
    create: { ...FULL_CAPABILITIES.create },
    createOptions: [],
  };
}

/** Capabilities of a minimal server (npm-like): no names, scopes, expiry, disable, regenerate… */
export function minimalCapabilities(): ProviderCapabilities {
  return {
    ...fullCapabilities(),
    expiry: { mode: 'none', maxLifetimeDays: null, defaultLifetimeDays: null },
    scopes: 'none',
    names: false,
    disable: false,
    regenerate: false,
    clone: false,
    update: false,
    bulkDelete: false,
    lastUsed: false,
    rotationGraceMaxSeconds: 0,
    recentUses: false,
    unused: false,
    identify: false,
    audit: false,
    adminInventory: false,
    createForOthers: false,
    userActivation: false,
  };
}

export function makeUser(id: string, username: string, roles: string[] = ['system_user']): User {
  return { id, username, display_name: username, active: true, kind: 'person', roles, permissions: [], created_at: null };
}

let seq = 0;
export function makeToken(overrides: Partial<TokenMeta> = {}): TokenMeta {
  seq += 1;
  const n = String(seq).padStart(5, '0');
  return {
    id: `tok_${n}`,
    owner: { kind: 'user', id: 'u_admin', username: 'admin', display_name: 'Admin' },
    name: `token ${n}`,
    description: `description ${n}`,
    created_at: new Date(Date.UTC(2026, 0, 1) + seq * 60_000).toISOString(),
    created_by: null,
    updated_at: null,
    expires_at: new Date(Date.now() + 60 * 86_400_000).toISOString(),
    scopes: ['tokens:read'],
    status: 'active',
    last_used_at: null,
    last_used_ip: null,
    last4: 'abcd',
    ...overrides,
  };
}

export function makeTokens(count: number, overrides: Partial<TokenMeta> = {}): TokenMeta[] {
  return Array.from({ length: count }, () => makeToken(overrides));
}

/** A secret in the server's format that tests can search the DOM for. */
export function makeSecret(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = 'pat_';
  for (let i = 0; i < 36; i += 1) out += chars[Math.floor(Math.random() * chars.length)];
  return out;
}

export class MemoryProvider implements TokenProvider {
  readonly descriptor: ProviderDescriptor = { kind: 'memory', label: 'Memory', signIn: ['password'], help: 'test double' };
  capabilities: ProviderCapabilities;
  tokens: TokenMeta[];
  users: User[];
  roles: Role[] = ROLES;
  me: User;
  settings: ServerSettings = {
    enable_personal_access_tokens: true,
    require_password_confirmation: false,
    default_lifetime_days: 30,
    max_lifetime_days: 365,
    allow_no_expiry: true,
    max_grace_period_seconds: 604800,
  };
  /** The audit trail, newest first (what this demo server records: token changes). */
  audit: AuditEvent[] = [];
  /** Every call, for assertions: [method, ...args] (passwords included, secrets not). */
  calls: Array<[string, ...unknown[]]> = [];
  /** Next call to this method throws this error once. */
  failNext = new Map<string, ProviderError>();
  /** When set, sensitive calls need this password. */
  requiredPassword: string | null = null;
  /** The last secret issued, for tests to look for in the DOM. */
  lastSecret: string | null = null;

  constructor(options: { tokens?: TokenMeta[]; users?: User[]; me?: User; capabilities?: ProviderCapabilities } = {}) {
    this.tokens = options.tokens ?? [];
    this.me = options.me ?? makeUser('u_admin', 'admin', ['system_admin']);
    this.users = options.users ?? [this.me, makeUser('u_alice', 'alice', ['system_user'])];
    this.capabilities = options.capabilities ?? fullCapabilities();
  }

  #call(name: string, ...args: unknown[]): void {
    this.calls.push([name, ...args]);
    const failure = this.failNext.get(name);
    if (failure) {
      this.failNext.delete(name);
      throw failure;
    }
  }

  #checkPassword(confirm?: Confirmation): void {
    if (this.requiredPassword === null) return;
    if (!confirm?.password) throw new ProviderError('password_confirmation_required', 'Enter your password to confirm this change.');
    if (confirm.password !== this.requiredPassword) throw new ProviderError('password_incorrect', 'That password is not correct.');
  }

  #record(action: string, token: TokenMeta, detail: AuditEvent['detail'] = {}): void {
    this.audit.unshift({
      id: `aud_${this.audit.length + 1}`,
      at: new Date().toISOString(),
      action,
      actor: { id: this.me.id, username: this.me.username },
      token_id: token.id,
      owner_id: token.owner.id,
      ip: '127.0.0.1',
      detail,
    });
  }

  #replace(token: TokenMeta): TokenMeta {
    this.tokens = this.tokens.map((x) => (x.id === token.id ? token : x));
    return token;
  }

  /** The server's "unused" rule: active, and last used (never used: created) more than `days` days ago. */
  #unused(days: number, owner: string | undefined): TokenMeta[] {
    const before = new Date(Date.now() - days * DAY).toISOString();
    return this.#owned(owner).filter((t) => t.status === 'active' && (t.last_used_at ?? t.created_at ?? '') < before);
  }

  #owned(owner: string | undefined): TokenMeta[] {
    const who = owner === undefined || owner === 'me' ? this.me.id : owner;
    return who === 'all' ? this.tokens : this.tokens.filter((t) => t.owner.id === who);
  }

  #issue(token: TokenMeta): CreatedToken {
    const secret = makeSecret();
    this.lastSecret = secret;
    return { token, secret };
  }

  async refreshCapabilities(): Promise<ProviderCapabilities> {
    return this.capabilities;
  }
  async signIn(): Promise<SignedIn> {
    return { user: this.me, credential: 'pks_test', expires_at: null };
  }
  async signOut(): Promise<void> {}
  async currentUser(): Promise<User> {
    return this.me;
  }
  setCredential(): void {}

  async listTokens(query: TokenQuery = {}): Promise<Page<TokenMeta>> {
    this.#call('listTokens', query);
    if (query.unused_days !== undefined && !(Number.isInteger(query.unused_days) && query.unused_days >= 1 && query.unused_days <= 3650)) {
      throw new ProviderError('validation_failed', 'unused_days must be a whole number from 1 to 3650.');
    }
    const items = query.unused_days ? this.#unused(query.unused_days, query.owner) : this.#owned(query.owner);
    const start = query.cursor ? Number(query.cursor) : 0;
    const limit = query.limit ?? 100;
    const page = items.slice(start, start + limit);
    return { items: page, next_cursor: start + limit < items.length ? String(start + limit) : null };
  }
  async getToken(id: string): Promise<TokenMeta> {
    const t = this.tokens.find((x) => x.id === id);
    if (!t) throw new ProviderError('not_found', 'not found');
    return t;
  }
  async createToken(draft: TokenDraft, confirm?: Confirmation): Promise<CreatedToken> {
    this.#call('createToken', draft, confirm);
    this.#checkPassword(confirm);
    const ownerUser = this.users.find((u) => u.id === (draft.owner_id ?? this.me.id)) ?? this.me;
    if (ownerUser.roles.includes('system_admin') && !confirm?.acknowledge_admin_token) {
      throw new ProviderError('admin_token_acknowledgement_required', 'ack');
    }
    const token = makeToken({
      name: draft.name,
      description: draft.description ?? '',
      expires_at: draft.expires_at === undefined ? new Date(Date.now() + 30 * 86_400_000).toISOString() : draft.expires_at,
      scopes: draft.scopes ?? [],
      owner: { kind: 'user', id: ownerUser.id, username: ownerUser.username, display_name: ownerUser.display_name },
    });
    this.tokens = [...this.tokens, token];
    return this.#issue(token);
  }
  async updateToken(id: string, patch: TokenPatch, confirm?: Confirmation): Promise<TokenMeta> {
    this.#call('updateToken', id, patch, confirm);
    const t = await this.getToken(id);
    const updated = { ...t, ...patch } as TokenMeta;
    this.tokens = this.tokens.map((x) => (x.id === id ? updated : x));
    return updated;
  }
  async regenerateToken(id: string, confirm?: Confirmation, options?: RegenerateOptions): Promise<CreatedToken> {
    // The options go into `calls` only when given, so a test sees exactly what the kit passed.
    const expiry = options?.expiresAt !== undefined ? { expiresAt: options.expiresAt } : {};
    if (options) this.#call('regenerateToken', id, confirm, { gracePeriodSeconds: options.gracePeriodSeconds, ...expiry });
    else this.#call('regenerateToken', id, confirm);
    this.#checkPassword(confirm);
    const t = await this.getToken(id);
    // As the server does: over the lifetime policy only a new, compliant expiry gets the token out.
    if (t.lifetime_exceeds_policy && options?.expiresAt === undefined) {
      const message = 'This token lives longer than the lifetime policy allows: regenerate it with an expiry within the policy.';
      throw new ProviderError('validation_failed', message, { fieldErrors: [{ field: 'expires_at', message }] });
    }
    const grace = options?.gracePeriodSeconds ?? 0;
    const max = Math.min(this.capabilities.rotationGraceMaxSeconds, this.settings.max_grace_period_seconds ?? 0);
    if (!Number.isInteger(grace) || grace < 0 || grace > max) {
      throw new ProviderError('validation_failed', `The grace period must be a whole number of seconds from 0 to ${max}.`);
    }
    // As the server does: a second regenerate ends the first grace (never more than two valid values).
    const previous_valid_until = grace > 0 ? new Date(Date.now() + grace * 1000).toISOString() : null;
    const created = this.#issue(t);
    const token = this.#replace({
      ...t,
      ...(options?.expiresAt !== undefined ? { expires_at: options.expiresAt, lifetime_exceeds_policy: false } : {}),
      last4: created.secret.slice(-4),
      updated_at: new Date().toISOString(),
      rotation: previous_valid_until ? { previous_valid_until, previous_last4: t.last4 ?? '' } : null,
    });
    this.#record('token.regenerated', token, { grace_period_seconds: grace, previous_valid_until });
    return { token, secret: created.secret };
  }
  async endGrace(id: string): Promise<TokenMeta> {
    this.#call('endGrace', id);
    const t = await this.getToken(id);
    if (!t.rotation) return t;
    const token = this.#replace({ ...t, rotation: null });
    this.#record('token.grace_ended', token);
    return token;
  }
  async disableUnusedTokens(request: DisableUnusedRequest): Promise<TokenMeta[]> {
    this.#call('disableUnusedTokens', request);
    const { days, owner, ids, dry_run } = request;
    if (!Number.isInteger(days) || days < 1 || days > 3650) throw new ProviderError('validation_failed', 'unused_days must be a whole number from 1 to 3650.');
    if (ids !== undefined && (!Array.isArray(ids) || ids.some((x) => typeof x !== 'string'))) throw new ProviderError('validation_failed', 'ids must be a list of token ids.');
    const chosen = ids === undefined ? null : new Set(ids);
    // Only tokens unused right now: one used since the preview is spared even when listed in `ids`.
    const affected = this.#unused(days, owner).filter((t) => !chosen || chosen.has(t.id));
    if (dry_run) return affected;
    return affected.map((t) => {
      const token = this.#replace({ ...t, status: 'disabled', rotation: null });
      this.#record('token.disabled', token, { reason: 'unused', unused_days: days });
      return token;
    });
  }
  async cloneToken(id: string, overrides?: Partial<TokenDraft>, confirm?: Confirmation): Promise<CreatedToken> {
    this.#call('cloneToken', id, overrides, confirm);
    const t = await this.getToken(id);
    const clone = makeToken({ ...t, name: overrides?.name ?? t.name });
    this.tokens = [...this.tokens, clone];
    return this.#issue(clone);
  }
  async disableToken(id: string): Promise<TokenMeta> {
    this.#call('disableToken', id);
    const t = { ...(await this.getToken(id)), status: 'disabled' as const, rotation: null };
    this.tokens = this.tokens.map((x) => (x.id === id ? t : x));
    return t;
  }
  async enableToken(id: string, confirm?: Confirmation): Promise<TokenMeta> {
    this.#call('enableToken', id, confirm);
    this.#checkPassword(confirm);
    const t = { ...(await this.getToken(id)), status: 'active' as const };
    this.tokens = this.tokens.map((x) => (x.id === id ? t : x));
    return t;
  }
  async deleteToken(id: string, confirm?: Confirmation): Promise<void> {
    this.#call('deleteToken', id, confirm);
    this.#checkPassword(confirm);
    this.tokens = this.tokens.filter((x) => x.id !== id);
  }
  async bulkDeleteTokens(ids: string[], confirm?: Confirmation): Promise<string[]> {
    this.#call('bulkDeleteTokens', ids, confirm);
    this.#checkPassword(confirm);
    const gone = new Set(ids);
    this.tokens = this.tokens.filter((x) => !gone.has(x.id));
    return ids;
  }
  async listUsers(query: UserQuery = {}): Promise<Page<User>> {
    this.#call('listUsers', query);
    const q = (query.text ?? '').toLowerCase();
    return { items: this.users.filter((u) => !q || u.username.includes(q)), next_cursor: null };
  }
  async listRoles(): Promise<Role[]> {
    return this.roles;
  }
  async setUserRoles(userId: string, roles: string[]): Promise<User> {
    this.#call('setUserRoles', userId, roles);
    const u = { ...this.users.find((x) => x.id === userId)!, roles };
    this.users = this.users.map((x) => (x.id === userId ? u : x));
    return u;
  }
  async setUserActive(userId: string, active: boolean): Promise<User> {
    this.#call('setUserActive', userId, active);
    const u = { ...this.users.find((x) => x.id === userId)!, active };
    this.users = this.users.map((x) => (x.id === userId ? u : x));
    return u;
  }
  async scopeCatalog(): Promise<ScopeCatalog> {
    return CATALOG;
  }
  async getSettings(): Promise<ServerSettings> {
    return this.settings;
  }
  async updateSettings(patch: Partial<ServerSettings>): Promise<ServerSettings> {
    this.settings = { ...this.settings, ...patch };
    return this.settings;
  }
  async listAudit(query: AuditQuery = {}): Promise<Page<AuditEvent>> {
    this.#call('listAudit', query);
    const items = this.audit.filter(
      (e) => (!query.token_id || e.token_id === query.token_id) && (!query.user_id || e.owner_id === query.user_id) && (!query.action || e.action === query.action),
    );
    const start = query.cursor ? Number(query.cursor) : 0;
    const limit = query.limit ?? 50;
    return { items: items.slice(start, start + limit), next_cursor: start + limit < items.length ? String(start + limit) : null };
  }
}

/** Every text in the document, including open shadow roots, for "is the secret gone?" checks. */
export function deepText(root: Node = document): string {
  let out = '';
  const walk = (node: Node): void => {
    if (node.nodeType === Node.TEXT_NODE) out += node.textContent;
    if (node instanceof Element) {
      for (const attr of node.attributes) out += ` ${attr.value} `;
      if (node.shadowRoot) walk(node.shadowRoot);
    }
    for (const child of node.childNodes) walk(child);
  };
  walk(root);
  return out;
}

/** `querySelector` through open shadow roots. */
export function deepQuery<T extends Element = HTMLElement>(selector: string, root: ParentNode = document): T | null {
  const direct = root.querySelector<T>(selector);
  if (direct) return direct;
  for (const el of root.querySelectorAll('*')) {
    if (el.shadowRoot) {
      const found = deepQuery<T>(selector, el.shadowRoot);
      if (found) return found;
    }
  }
  return null;
}

export const nextFrame = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => r()));
