/**
 * The background's work, free of any global: it gets the browser APIs, the provider registry and
 * the metadata cache as arguments, so unit tests drive it with WXT's fake browser and a fake
 * provider. `index.ts` wires it to the real `browser`.
 *
 * It is the only part of the extension that talks to servers or touches credentials.
 */
import { ProviderError, UnsupportedOperation, type SerializedProviderError } from '../../lib/errors.ts';
import { GITHUB_API, reportToGitHub } from '../../lib/github-revoke.ts';
import { GITHUB_API_PERMISSION, recognizeSecret } from '../../lib/leaked.ts';
import type { CreatedToken, LeakedSecretResult, TokenMeta, TokenQuery, User } from '../../lib/model.ts';
import type { ProviderCapabilities, ProviderConfig, ProviderDescriptor, TokenProvider } from '../../lib/provider.ts';
import { badgeText, dayKey, expiringSoon, notificationMessage } from './expiry.ts';
import { scopedTokenGroups } from './org-tokens.ts';
import { originPermission, panelPatternMatches, panelScriptMatch } from '../../extension/url-patterns.ts';
import { validateRequest } from '../../extension/messaging/validation.ts';
import type {
  AlertSettings,
  Answer,
  LeakedRevokeAnswer,
  MessageType,
  PanelMapping,
  ProtocolMap,
  RequestOf,
  ResponseOf,
  ServerView,
  SignInRequest,
  TokenListing,
} from '../../extension/messaging/protocol.ts';
import { loadSettings, saveSettings, type Settings, type StorageAreaLike, type StoredServer } from '../../extension/settings.ts';
import { PENDING_TTL_MS, Vault } from './vault.ts';
import type { MetadataCacheLike } from '../../extension/metadata-cache.ts';

export type { MetadataCacheLike };

export const REFRESH_ALARM = 'patkit:refresh';
export const PENDING_ALARM = 'patkit:pending-wipe';
export const PANEL_SCRIPT = 'console-panel.js';
const PANEL_SCRIPT_PREFIX = 'patkit-panel-';
const ALERT_STATE_KEY = 'patkit:alert-state';
export const NOTIFICATION_ID = 'patkit-expiring';

/**
 * Messages the role panel page may send. It runs inside a third-party page's frame, so it gets
 * nothing that creates, reveals or holds a secret (docs/security.md rule 20: "never sends a secret to a
 * content script" — the panel is the closest thing to one).
 */
const PANEL_MESSAGES: ReadonlySet<MessageType> = new Set<MessageType>([
  'panels.context',
  'providers.list',
  'auth.status',
  'server.capabilities',
  'tokens.list',
  'tokens.disable',
  'tokens.delete',
  'users.list',
  'roles.list',
  'users.setRoles',
  'users.setActive',
]);

/** The few browser APIs the background uses (a subset of `browser`; WXT's fake browser fits). */
export interface BrowserApis {
  runtime: { id: string; getURL(path: string): string };
  storage: { local: StorageAreaLike; session: StorageAreaLike };
  action: {
    setBadgeText(details: { text: string }): Promise<void>;
    setBadgeBackgroundColor(details: { color: string }): Promise<void>;
    /** The toolbar tooltip: says what the badge's number counts. */
    setTitle?(details: { title: string }): Promise<void>;
    /** Opens the toolbar popup (Chrome 127+, Firefox); may refuse without a user gesture. */
    openPopup?(): Promise<void>;
  };
  tabs?: { create(details: { url: string }): Promise<unknown> };
  /** Translations (public/_locales); absent or empty answers fall back to English. */
  i18n?: { getMessage(key: string, substitutions?: string[]): string };
  alarms: {
    create(name: string, info: { periodInMinutes?: number; when?: number; delayInMinutes?: number }): unknown;
    clear(name: string): Promise<boolean>;
  };
  notifications?: { create(id: string, options: { type: 'basic'; iconUrl: string; title: string; message: string }): Promise<string> };
  permissions: { contains(permissions: { origins: string[] }): Promise<boolean> };
  scripting?: {
    registerContentScripts(scripts: Array<{ id: string; matches: string[]; js: string[]; runAt?: 'document_idle'; persistAcrossSessions?: boolean }>): Promise<void>;
    getRegisteredContentScripts(filter?: { ids?: string[] }): Promise<Array<{ id: string }>>;
    unregisterContentScripts(filter?: { ids?: string[] }): Promise<void>;
  };
}

export interface ProviderRegistryLike {
  descriptors(): ProviderDescriptor[];
  /** Throws for an unknown kind. May load the provider's code first (lib/providers/registry.ts). */
  create(kind: string, config: ProviderConfig): TokenProvider | Promise<TokenProvider>;
}


export interface MessageSenderLike {
  id?: string;
  url?: string;
  tab?: unknown;
  frameId?: number;
}

export interface BackgroundOptions {
  browser: BrowserApis;
  providers: ProviderRegistryLike;
  cache: MetadataCacheLike;
  now?: () => number;
  newId?: (prefix: string) => string;
  /**
   * Where GitHub's API is (default https://api.github.com). Only the e2e build sets another, a
   * loopback stand-in, because GitHub cannot be reached from the test machines.
   */
  githubApi?: () => Promise<string>;
}

type Handler<T extends MessageType> = (payload: RequestOf<T>, context: { fromPanel: boolean }) => Promise<ResponseOf<T>>;

function randomId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  return prefix + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}


function toSerialized(error: unknown): SerializedProviderError {
  if (error instanceof ProviderError) return error.toJSON();
  console.error('patkit background: unexpected error', error);
  return new ProviderError('server_error', 'Something went wrong inside the extension. Try again.').toJSON();
}

export class BackgroundService {
  private readonly browser: BrowserApis;
  private readonly providers: ProviderRegistryLike;
  private readonly cache: MetadataCacheLike;
  private readonly now: () => number;
  private readonly newId: (prefix: string) => string;
  private readonly githubApi: () => Promise<string>;
  readonly vault: Vault;
  /** Providers by server id; rebuilt from storage after the service worker restarts. */
  private readonly live = new Map<string, { provider: TokenProvider; signedIn: boolean }>();
  private readonly offline = new Set<string>();
  /** Serialises settings writes so two quick saves cannot lose one another. */
  private settingsQueue: Promise<unknown> = Promise.resolve();

  constructor(options: BackgroundOptions) {
    this.browser = options.browser;
    this.providers = options.providers;
    this.cache = options.cache;
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? randomId;
    this.githubApi = options.githubApi ?? (() => Promise.resolve(GITHUB_API));
    this.vault = new Vault(options.browser.storage.session, options.browser.storage.local, this.now);
  }

  // --- the message entry point ---------------------------------------------------------------

  /** The extension's own pages, by id and URL; content scripts and other extensions are refused. */
  senderKind(sender: MessageSenderLike): 'page' | 'panel' | null {
    if (sender.id !== this.browser.runtime.id || typeof sender.url !== 'string') return null;
    const root = this.browser.runtime.getURL('/');
    if (!sender.url.startsWith(root)) return null;
    const path = new URL(sender.url).pathname;
    return path === '/panel.html' ? 'panel' : 'page';
  }

  async handleMessage(message: unknown, sender: MessageSenderLike): Promise<Answer<unknown>> {
    try {
      const kind = this.senderKind(sender);
      if (kind === null) throw new ProviderError('forbidden', 'patkit only answers its own extension pages.');
      const { type, payload } = validateRequest(message);
      if (kind === 'panel' && !PANEL_MESSAGES.has(type)) {
        throw new ProviderError('forbidden', `The console panel may not send ${type}.`);
      }
      if (kind === 'panel' && typeof (payload as { serverId?: unknown }).serverId === 'string') {
        const settings = await this.settings();
        const serverId = (payload as { serverId: string }).serverId;
        if (!settings.panels.some((p) => p.serverId === serverId)) {
          throw new ProviderError('forbidden', 'That server is not mapped to a console panel.');
        }
      }
      const handler = this.handlers[type] as Handler<MessageType>;
      const value = await handler(payload as RequestOf<MessageType>, { fromPanel: kind === 'panel' });
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error: toSerialized(error) };
    }
  }

  // --- lifecycle ---------------------------------------------------------------------------

  /** On install / startup: migrate settings, schedule the refresh alarm, re-register panels. */
  async start(): Promise<void> {
    const settings = await this.settings();
    await this.scheduleRefresh(settings.alerts);
    await this.syncPanelScripts(settings.panels).catch((e) => console.warn('patkit: could not register console panels', e));
    await this.updateBadge(settings).catch(() => {});
  }

  async onAlarm(name: string): Promise<void> {
    if (name === REFRESH_ALARM) await this.refreshAll();
    if (name === PENDING_ALARM) await this.vault.getPending(); // wipes it when timed out
  }

  // --- settings ----------------------------------------------------------------------------

  private settings(): Promise<Settings> {
    return loadSettings(this.browser.storage.local);
  }

  private updateSettings(change: (s: Settings) => void | Promise<void>): Promise<Settings> {
    const run = this.settingsQueue.then(async () => {
      const settings = await this.settings();
      await change(settings);
      await saveSettings(this.browser.storage.local, settings);
      return settings;
    });
    this.settingsQueue = run.catch(() => {});
    return run;
  }

  private async server(serverId: string): Promise<StoredServer> {
    const server = (await this.settings()).servers.find((s) => s.id === serverId);
    if (!server) throw new ProviderError('not_found', 'That server is not configured any more. Reopen the popup.');
    return server;
  }

  // --- providers and credentials --------------------------------------------------------------

  private async provider(serverId: string): Promise<{ provider: TokenProvider; server: StoredServer; signedIn: boolean }> {
    const server = await this.server(serverId);
    let entry = this.live.get(serverId);
    if (!entry) {
      const stored = await this.vault.getCredential(serverId);
      const provider = await this.providers.create(server.kind, { baseUrl: server.baseUrl, credential: stored?.credential ?? null });
      // Another call may have set one up while the provider's code loaded: keep the first.
      entry = this.live.get(serverId) ?? { provider, signedIn: stored !== null };
      this.live.set(serverId, entry);
    }
    return { provider: entry.provider, server, signedIn: entry.signedIn };
  }

  private async signedInProvider(serverId: string): Promise<TokenProvider> {
    const { provider, server, signedIn } = await this.provider(serverId);
    if (!signedIn) throw new ProviderError('unauthorized', `You are not signed in to ${server.name}. Sign in on the options page.`);
    await this.requireOrigin(server.baseUrl);
    return provider;
  }

  private async requireOrigin(baseUrl: string): Promise<void> {
    const granted = await this.browser.permissions.contains({ origins: [originPermission(baseUrl)] });
    if (!granted) {
      throw new ProviderError('forbidden', `patkit may not contact ${new URL(baseUrl).origin} yet. Open the options page and allow it.`);
    }
  }

  /** Runs a server call, tracking reachability and dropping a credential the server refused. */
  private async call<R>(serverId: string, run: (provider: TokenProvider) => Promise<R>): Promise<R> {
    const provider = await this.signedInProvider(serverId);
    try {
      const result = await run(provider);
      this.offline.delete(serverId);
      return result;
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'offline') this.offline.add(serverId);
      if (error instanceof ProviderError && error.code === 'unauthorized' && error.status === 401) {
        await this.forgetCredential(serverId);
      }
      throw error;
    }
  }

  /**
   * A provider whose credential changed during a call (GitLab rotating the very token it signed in
   * with: the old value is dead at once) hands the new one back; store it where the old one was, or
   * the next service-worker start would load a revoked credential and sign the user out.
   */
  private async keepRotatedCredential(serverId: string): Promise<void> {
    const now = this.live.get(serverId)?.provider.credentialValue;
    if (!now) return;
    const stored = await this.vault.getCredential(serverId);
    if (!stored || stored.credential === now) return;
    await this.vault.setCredential(serverId, { credential: now, user: stored.user, expiresAt: stored.expiresAt }, stored.keep);
  }

  private async forgetCredential(serverId: string): Promise<void> {
    await this.vault.clearCredential(serverId);
    const entry = this.live.get(serverId);
    if (entry) {
      entry.provider.setCredential(null);
      entry.signedIn = false;
    }
  }

  private async view(server: StoredServer): Promise<ServerView> {
    const stored = await this.vault.getCredential(server.id);
    return {
      id: server.id,
      name: server.name,
      kind: server.kind,
      baseUrl: server.baseUrl,
      state: stored === null ? 'signed_out' : this.offline.has(server.id) ? 'offline' : 'signed_in',
      user: stored?.user ?? null,
      keepSignedIn: stored?.keep ?? false,
    };
  }

  private async signIn(request: SignInRequest): Promise<ServerView> {
    const server = await this.server(request.serverId);
    await this.requireOrigin(server.baseUrl);
    const { provider } = await this.provider(server.id);
    const credentials =
      request.kind === 'password'
        ? { kind: 'password' as const, username: request.username, password: request.password, remember: request.keepSignedIn, ...(request.otp ? { otp: request.otp } : {}) }
        : { kind: 'token' as const, token: request.token };
    let signedIn;
    try {
      signedIn = await provider.signIn(credentials);
      this.offline.delete(server.id);
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'offline') this.offline.add(server.id);
      throw error;
    }
    provider.setCredential(signedIn.credential);
    await provider.refreshCapabilities().catch(() => undefined);
    await this.vault.setCredential(server.id, { credential: signedIn.credential, user: signedIn.user, expiresAt: signedIn.expires_at }, request.keepSignedIn);
    this.live.set(server.id, { provider, signedIn: true });
    // Fill the cache and the badge now, not at the next alarm (up to 30 minutes later).
    await this.listTokens(server.id, undefined).catch((e) => console.warn(`patkit: first refresh of ${server.name} failed`, e));
    return this.view(server);
  }

  private async signOut(serverId: string): Promise<ServerView> {
    const server = await this.server(serverId);
    const entry = this.live.get(serverId);
    if (entry?.signedIn) {
      // Best effort: ending the server session must not keep the local credential alive.
      await entry.provider.signOut().catch(() => undefined);
    }
    await this.forgetServerData(serverId);
    return this.view(server);
  }

  /** docs/security.md rule 23: signing out or removing a server clears its cache and its credentials. */
  private async forgetServerData(serverId: string): Promise<void> {
    await this.forgetCredential(serverId);
    await this.vault.clearPendingFor(serverId);
    await this.cache.clear(serverId);
    this.live.delete(serverId);
    this.offline.delete(serverId);
    await this.updateBadge().catch(() => {});
  }

  // --- tokens ----------------------------------------------------------------------------------

  private static isFullListing(query: TokenQuery | undefined): boolean {
    return !query || (Object.keys(query).every((k) => k === 'owner' || k === 'limit') && (query.owner === undefined || query.owner === 'me'));
  }

  /** Every page of the caller's own tokens (bounded, so a hostile server cannot loop us). */
  private async fetchAll(provider: TokenProvider): Promise<TokenMeta[]> {
    const items: TokenMeta[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page += 1) {
      const result = await provider.listTokens({ owner: 'me', limit: 100, cursor });
      items.push(...result.items);
      cursor = result.next_cursor;
      if (!cursor) break;
    }
    return items;
  }

  private async listTokens(serverId: string, query: TokenQuery | undefined): Promise<TokenListing> {
    if (!BackgroundService.isFullListing(query)) {
      const page = await this.call(serverId, (p) => p.listTokens(query));
      return { items: page.items, cachedAt: null, offline: false, nextCursor: page.next_cursor };
    }
    try {
      const items = await this.call(serverId, (p) => this.fetchAll(p));
      const cachedAt = new Date(this.now()).toISOString();
      await this.cache.write(serverId, items, cachedAt);
      await this.updateBadge().catch(() => {});
      return { items, cachedAt, offline: false };
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'offline') {
        const cached = await this.cache.read(serverId);
        return { items: cached?.items ?? [], cachedAt: cached?.cachedAt ?? null, offline: true };
      }
      throw error;
    }
  }

  /** Keeps the cache in step after a change, without another round trip. */
  private async patchCache(serverId: string, change: (items: TokenMeta[]) => TokenMeta[]): Promise<void> {
    const cached = await this.cache.read(serverId);
    if (!cached) return;
    await this.cache.write(serverId, change(cached.items), cached.cachedAt);
    await this.updateBadge().catch(() => {});
  }

  private async replaceInCache(serverId: string, token: TokenMeta): Promise<void> {
    await this.patchCache(serverId, (items) => {
      const at = items.findIndex((t) => t.id === token.id);
      return at === -1 ? [token, ...items] : items.map((t) => (t.id === token.id ? token : t));
    });
  }

  /** A new secret goes to the page that asked and to storage.session; the cache gets metadata. */
  private async holdSecret(serverId: string, created: CreatedToken): Promise<CreatedToken> {
    await this.vault.setPending(serverId, created);
    await this.browser.alarms.create(PENDING_ALARM, { when: this.now() + PENDING_TTL_MS + 1000 });
    await this.replaceInCache(serverId, created.token);
    return { token: created.token, secret: created.secret };
  }

  // --- leaked secrets ----------------------------------------------------------------------------

  /**
   * "Revoke a leaked token": the secret is recognised by its prefix, then sent once, to the place
   * it belongs and nowhere else: GitHub's revocation API for GitHub tokens (after the user granted
   * api.github.com from the popup's click), else the chosen configured server of the matching
   * kind, by that provider's own means. It is never stored, cached or logged (errors carry no value).
   */
  private async revokeLeaked(req: { secret: string; serverId?: string }): Promise<LeakedRevokeAnswer> {
    const recognised = recognizeSecret(req.secret);
    if (!recognised.ok) throw new ProviderError('validation_failed', recognised.message, { fieldErrors: [{ field: 'secret', message: recognised.message }] });
    const { kind, secret } = recognised;
    if (kind.target === 'github') {
      if (req.serverId !== undefined) throw new ProviderError('validation_failed', 'GitHub tokens go to GitHub, not to a configured server.', { fieldErrors: [{ field: 'serverId', message: 'Not for GitHub tokens' }] });
      const granted = await this.browser.permissions.contains({ origins: [GITHUB_API_PERMISSION] });
      if (!granted) throw new ProviderError('forbidden', 'patkit may not contact api.github.com yet. Try again and allow it when the browser asks.', { serverCode: 'github_permission' });
      const result = await reportToGitHub([secret], { baseUrl: await this.githubApi() });
      return { outcome: result.outcome, token: null, kind: kind.id, target: 'github', serverName: null };
    }
    if (req.serverId === undefined) throw new ProviderError('validation_failed', `Choose the ${kind.target} server this token belongs to.`, { fieldErrors: [{ field: 'serverId', message: 'Required' }] });
    const server = await this.server(req.serverId);
    if (server.kind !== kind.target) {
      throw new ProviderError('validation_failed', `That is a ${kind.label}; ${server.name} is not a ${kind.target} server.`, { fieldErrors: [{ field: 'serverId', message: 'Wrong kind of server' }] });
    }
    await this.requireOrigin(server.baseUrl);
    const { provider, signedIn } = await this.provider(server.id);
    if (!provider.revokeLeakedSecret) throw new UnsupportedOperation('revoke a leaked token', server.name);
    // npm looks the token up among the account's tokens: that needs the sign-in. patkit's report
    // endpoint and GitLab's self-revoke need none.
    const run = (p: TokenProvider): Promise<LeakedSecretResult> => p.revokeLeakedSecret!(secret);
    const result = kind.target === 'npm' || signedIn ? await this.call(server.id, run).catch((e: unknown) => {
      if (!signedIn && e instanceof ProviderError && e.code === 'unauthorized') throw new ProviderError('unauthorized', `Sign in to ${server.name} first: npm finds the token among your own tokens.`);
      throw e;
    }) : await run(provider);
    // The leaked value was the credential patkit signed in with: that sign-in is over.
    if ((await this.vault.getCredential(server.id))?.credential === secret) await this.forgetCredential(server.id);
    const token = result.token;
    if (result.outcome === 'revoked' && token) {
      await this.patchCache(server.id, (items) => (kind.target === 'npm' ? items.filter((t) => t.id !== token.id) : items.map((t) => (t.id === token.id ? token : t))));
    }
    return { outcome: result.outcome, token, kind: kind.id, target: kind.target, serverName: server.name };
  }

  // --- alerts ----------------------------------------------------------------------------------

  private async scheduleRefresh(alerts: AlertSettings): Promise<void> {
    await this.browser.alarms.clear(REFRESH_ALARM);
    await this.browser.alarms.create(REFRESH_ALARM, { periodInMinutes: alerts.refreshMinutes, delayInMinutes: 1 });
  }

  /** What the alarm does: refresh every signed-in server, then badge and (daily) notification. */
  async refreshAll(): Promise<{ expiring: number }> {
    const settings = await this.settings();
    for (const server of settings.servers) {
      if ((await this.vault.getCredential(server.id)) === null) continue;
      await this.listTokens(server.id, undefined).catch((e) => console.warn(`patkit: refresh of ${server.name} failed`, e));
    }
    const expiring = await this.updateBadge(settings);
    await this.maybeNotify(settings).catch((e) => console.warn('patkit: notification failed', e));
    return { expiring };
  }

  private async expiringEntries(settings: Settings): Promise<Array<{ server: string; token: TokenMeta }>> {
    const entries: Array<{ server: string; token: TokenMeta }> = [];
    for (const server of settings.servers) {
      // A signed-out server (e.g. after a restart without "Keep me signed in") counts for nothing:
      // its list cannot be refreshed or acted on until the user signs in again.
      if ((await this.vault.getCredential(server.id)) === null) continue;
      const cached = await this.cache.read(server.id);
      for (const token of expiringSoon(cached?.items ?? [], settings.alerts.expiryWarningDays, this.now())) {
        entries.push({ server: server.name, token });
      }
    }
    return entries;
  }

  async updateBadge(given?: Settings): Promise<number> {
    const settings = given ?? (await this.settings());
    const count = (await this.expiringEntries(settings)).length;
    await this.browser.action.setBadgeBackgroundColor({ color: '#b45309' });
    await this.browser.action.setBadgeText({ text: badgeText(count) });
    const days = String(settings.alerts.expiryWarningDays);
    const title =
      count === 0
        ? this.message('actionTitle', [], 'patkit — personal access tokens')
        : this.message('actionTitleExpiring', [String(count), days], `patkit — ${count} token(s) expire within ${days} days`);
    await this.browser.action.setTitle?.({ title });
    return count;
  }

  /**
   * A click on the expiry notification: the popup, where the expiring tokens are (their rows say
   * "Expiring soon"); a tab with the popup page where the browser will not open the popup itself.
   */
  async onNotificationClicked(notificationId: string): Promise<void> {
    if (notificationId !== NOTIFICATION_ID) return;
    try {
      if (!this.browser.action.openPopup) throw new Error('no action.openPopup');
      await this.browser.action.openPopup();
    } catch {
      await this.browser.tabs?.create({ url: this.browser.runtime.getURL('/popup.html') });
    }
  }

  private message(key: string, substitutions: string[], english: string): string {
    return this.browser.i18n?.getMessage(key, substitutions) || english;
  }

  private async maybeNotify(settings: Settings): Promise<void> {
    if (!settings.alerts.notify || !this.browser.notifications) return;
    const entries = await this.expiringEntries(settings);
    if (entries.length === 0) return;
    const today = dayKey(this.now());
    const state = (await this.browser.storage.local.get(ALERT_STATE_KEY))[ALERT_STATE_KEY] as { lastNotifiedDay?: string } | undefined;
    if (state?.lastNotifiedDay === today) return;
    await this.browser.storage.local.set({ [ALERT_STATE_KEY]: { lastNotifiedDay: today } });
    await this.browser.notifications.create(NOTIFICATION_ID, {
      type: 'basic',
      iconUrl: this.browser.runtime.getURL('/icon/128.png'),
      title:
        entries.length === 1
          ? this.message('notifyTitleOne', [], '1 token expires soon')
          : this.message('notifyTitleMany', [String(entries.length)], `${entries.length} tokens expire soon`),
      message: notificationMessage(entries, this.now(), (key, subs, text) => this.message(key, subs, text)),
    });
  }

  // --- console panels ----------------------------------------------------------------------------

  /** Registers one content script per mapping whose origin the user granted; drops the rest. */
  async syncPanelScripts(panels: PanelMapping[]): Promise<void> {
    const scripting = this.browser.scripting;
    if (!scripting) return;
    const existing = await scripting.getRegisteredContentScripts();
    const ours = existing.filter((s) => s.id.startsWith(PANEL_SCRIPT_PREFIX)).map((s) => s.id);
    if (ours.length > 0) await scripting.unregisterContentScripts({ ids: ours });
    const wanted = [];
    for (const panel of panels) {
      if (await this.browser.permissions.contains({ origins: [originPermission(panel.pattern)] })) {
        wanted.push({ id: PANEL_SCRIPT_PREFIX + panel.id, matches: [panelScriptMatch(panel.pattern)], js: [PANEL_SCRIPT], runAt: 'document_idle' as const, persistAcrossSessions: true });
      }
    }
    if (wanted.length > 0) await scripting.registerContentScripts(wanted);
  }

  private async panelContext(origin: string): Promise<ResponseOf<'panels.context'>> {
    const settings = await this.settings();
    const mapping = settings.panels.find((p) => panelPatternMatches(p.pattern, origin));
    if (!mapping) throw new ProviderError('not_found', 'No console panel is configured for this page.');
    const server = await this.server(mapping.serverId);
    const { provider } = await this.provider(server.id);
    return { mapping, server: await this.view(server), capabilities: provider.capabilities };
  }

  // --- the handlers, one per message type -------------------------------------------------------

  private readonly handlers: { [T in MessageType]: Handler<T> } = {
    'providers.list': async () => this.providers.descriptors(),
    'servers.list': async () => Promise.all((await this.settings()).servers.map((s) => this.view(s))),
    'servers.save': async (req) => {
      const known = this.providers.descriptors().some((d) => d.kind === req.kind);
      if (!known) throw new ProviderError('validation_failed', `kind: no provider named ${req.kind}`, { fieldErrors: [{ field: 'kind', message: 'unknown provider' }] });
      await this.requireOrigin(req.baseUrl);
      let saved: StoredServer | undefined;
      await this.updateSettings(async (settings) => {
        if (req.id !== undefined) {
          const existing = settings.servers.find((s) => s.id === req.id);
          if (!existing) throw new ProviderError('not_found', 'That server is not configured any more.');
          const changedTarget = existing.baseUrl !== req.baseUrl || existing.kind !== req.kind;
          Object.assign(existing, { name: req.name, kind: req.kind, baseUrl: req.baseUrl });
          saved = existing;
          // A credential belongs to one server: a new address or kind needs a new sign-in.
          if (changedTarget) await this.forgetServerData(existing.id);
        } else {
          saved = { id: this.newId('srv_'), name: req.name, kind: req.kind, baseUrl: req.baseUrl };
          settings.servers.push(saved);
        }
      });
      return this.view(saved as StoredServer);
    },
    'servers.remove': async ({ serverId }) => {
      await this.server(serverId);
      await this.forgetServerData(serverId);
      const settings = await this.updateSettings((s) => {
        s.servers = s.servers.filter((x) => x.id !== serverId);
        s.panels = s.panels.filter((p) => p.serverId !== serverId);
      });
      await this.syncPanelScripts(settings.panels).catch(() => {});
      return null;
    },
    'auth.signIn': (req) => this.signIn(req),
    'auth.signOut': ({ serverId }) => this.signOut(serverId),
    'auth.status': async ({ serverId }) => {
      const server = await this.server(serverId);
      const { signedIn } = await this.provider(serverId);
      if (signedIn) {
        try {
          const user: User = await this.call(serverId, (p) => p.currentUser());
          const stored = await this.vault.getCredential(serverId);
          if (stored) await this.vault.setCredential(serverId, { ...stored, user }, stored.keep);
        } catch (error) {
          if (!(error instanceof ProviderError) || !['offline', 'unauthorized', 'forbidden'].includes(error.code)) throw error;
        }
      }
      return this.view(server);
    },
    'server.capabilities': async ({ serverId }) => {
      const { provider, signedIn } = await this.provider(serverId);
      if (!signedIn) return provider.capabilities;
      return this.call(serverId, (p) => p.refreshCapabilities()).catch((): ProviderCapabilities => provider.capabilities);
    },
    'server.scopes': ({ serverId }) => this.call(serverId, (p) => p.scopeCatalog()),
    'server.settings': ({ serverId }) => this.call(serverId, (p) => p.getSettings()),
    'tokens.list': ({ serverId, query }) => this.listTokens(serverId, query),
    'tokens.create': async ({ serverId, draft, confirm }) => {
      const created = await this.call(serverId, (p) => p.createToken(draft, confirm));
      return this.holdSecret(serverId, created);
    },
    'tokens.clone': async ({ serverId, tokenId, overrides, confirm }) => {
      const created = await this.call(serverId, (p) => p.cloneToken(tokenId, overrides, confirm));
      return this.holdSecret(serverId, created);
    },
    'tokens.update': async ({ serverId, tokenId, patch, confirm }) => {
      const token = await this.call(serverId, (p) => p.updateToken(tokenId, patch, confirm));
      await this.replaceInCache(serverId, token);
      return token;
    },
    'tokens.regenerate': async ({ serverId, tokenId, confirm, gracePeriodSeconds }) => {
      const created = await this.call(serverId, (p) => {
        const max = p.capabilities.rotationGraceMaxSeconds;
        if (gracePeriodSeconds && gracePeriodSeconds > max) {
          const message = max > 0 ? `The grace period may be at most ${max} seconds on this server.` : 'This server cannot keep the old value working after a regenerate.';
          throw new ProviderError('validation_failed', message, { fieldErrors: [{ field: 'gracePeriodSeconds', message }] });
        }
        return gracePeriodSeconds ? p.regenerateToken(tokenId, confirm, { gracePeriodSeconds }) : p.regenerateToken(tokenId, confirm);
      });
      await this.keepRotatedCredential(serverId);
      return this.holdSecret(serverId, created);
    },
    'tokens.endGrace': async ({ serverId, tokenId }) => {
      const token = await this.call(serverId, (p) => {
        if (!p.endGrace) throw new UnsupportedOperation('end a grace period', p.descriptor.label);
        return p.endGrace(tokenId);
      });
      await this.replaceInCache(serverId, token);
      return token;
    },
    'leaked.revoke': (req) => this.revokeLeaked(req),
    'tokens.disable': async ({ serverId, tokenId }) => {
      const token = await this.call(serverId, (p) => p.disableToken(tokenId));
      await this.replaceInCache(serverId, token);
      return token;
    },
    'tokens.enable': async ({ serverId, tokenId, confirm }) => {
      const token = await this.call(serverId, (p) => p.enableToken(tokenId, confirm));
      await this.replaceInCache(serverId, token);
      return token;
    },
    'tokens.delete': async ({ serverId, tokenId, confirm }) => {
      await this.call(serverId, (p) => p.deleteToken(tokenId, confirm));
      await this.patchCache(serverId, (items) => items.filter((t) => t.id !== tokenId));
      await this.vault.clearPending(tokenId);
      return null;
    },
    'orgs.tokens': ({ serverId }) => this.call(serverId, (p) => scopedTokenGroups(p)),
    'users.list': ({ serverId, query }) => this.call(serverId, (p) => p.listUsers(query)),
    'roles.list': ({ serverId }) => this.call(serverId, (p) => p.listRoles()),
    'users.setRoles': ({ serverId, userId, roles }) => this.call(serverId, (p) => p.setUserRoles(userId, roles)),
    'users.setActive': ({ serverId, userId, active }) => this.call(serverId, (p) => p.setUserActive(userId, active)),
    'pending.get': () => this.vault.getPending(),
    'pending.confirm': async ({ tokenId }) => {
      await this.vault.clearPending(tokenId);
      return null;
    },
    'alerts.get': async () => (await this.settings()).alerts,
    'alerts.save': async (req) => {
      const settings = await this.updateSettings((s) => {
        s.alerts = { ...s.alerts, ...req };
      });
      await this.scheduleRefresh(settings.alerts);
      await this.updateBadge(settings).catch(() => {});
      return settings.alerts;
    },
    'alerts.refresh': () => this.refreshAll(),
    'panels.list': async () => (await this.settings()).panels,
    'panels.save': async (req) => {
      await this.server(req.serverId);
      const granted = await this.browser.permissions.contains({ origins: [originPermission(req.pattern)] });
      if (!granted) throw new ProviderError('forbidden', `patkit may not run on ${req.pattern} yet. Allow it when the browser asks.`);
      let saved: PanelMapping | undefined;
      const settings = await this.updateSettings((s) => {
        if (req.id !== undefined) {
          const existing = s.panels.find((p) => p.id === req.id);
          if (!existing) throw new ProviderError('not_found', 'That console panel is not configured any more.');
          Object.assign(existing, { pattern: req.pattern, serverId: req.serverId, inventory: req.inventory });
          saved = existing;
        } else {
          saved = { id: this.newId('pnl_'), pattern: req.pattern, serverId: req.serverId, inventory: req.inventory };
          s.panels.push(saved);
        }
      });
      await this.syncPanelScripts(settings.panels);
      return saved as PanelMapping;
    },
    'panels.remove': async ({ id }) => {
      const settings = await this.updateSettings((s) => {
        s.panels = s.panels.filter((p) => p.id !== id);
      });
      await this.syncPanelScripts(settings.panels);
      return null;
    },
    'panels.context': ({ origin }) => this.panelContext(origin),
  };
}

export type { ProtocolMap };
