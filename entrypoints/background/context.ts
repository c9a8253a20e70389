/**
 * What every message family of the background shares: the stored settings, the configured servers
 * as pages see them, and one provider per server with its credential. It is the only part of the
 * extension that talks to servers or touches credentials (docs/security.md rule 19).
 */
import { ProviderError } from '../../lib/errors.ts';
import { GITHUB_API } from '../../lib/github-revoke.ts';
import type { TokenProvider } from '../../lib/provider.ts';
import type { ServerView } from '../../extension/messaging/protocol.ts';
import type { MetadataCacheLike } from '../../extension/metadata-cache.ts';
import { CredentialSeal, memoryKeyStore } from '../../extension/credential-seal.ts';
import { loadSettings, saveSettings, type Settings, type StoredServer } from '../../extension/settings.ts';
import { originPermission } from '../../extension/url-patterns.ts';
import type { BackgroundOptions, BrowserApis, ProviderRegistryLike } from './browser-apis.ts';
import { PanelFrames } from './panel-frames.ts';
import { Vault } from './vault.ts';

/** A server's provider as long as the service worker lives; rebuilt from storage after a restart. */
export interface LiveProvider {
  provider: TokenProvider;
  signedIn: boolean;
}

function randomId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  return prefix + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** 256 bits from the CSPRNG, base64url: a console panel ticket (docs/security.md rule 30). */
function randomTicket(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export class BackgroundContext {
  readonly browser: BrowserApis;
  readonly providers: ProviderRegistryLike;
  readonly cache: MetadataCacheLike;
  readonly now: () => number;
  readonly newId: (prefix: string) => string;
  readonly githubApi: () => Promise<string>;
  readonly vault: Vault;
  /** Which role-panel frames may act (docs/security.md rule 30). */
  readonly panelFrames: PanelFrames;
  private readonly live = new Map<string, LiveProvider>();
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
    this.vault = new Vault(options.browser.storage.session, options.browser.storage.local, this.now, new CredentialSeal(options.credentialKeys ?? memoryKeyStore()));
    this.panelFrames = new PanelFrames(options.browser.storage.session, this.now, randomTicket);
  }

  // --- settings ----------------------------------------------------------------------------

  settings(): Promise<Settings> {
    return loadSettings(this.browser.storage.local);
  }

  updateSettings(change: (s: Settings) => void | Promise<void>): Promise<Settings> {
    const run = this.settingsQueue.then(async () => {
      const settings = await this.settings();
      await change(settings);
      await saveSettings(this.browser.storage.local, settings);
      return settings;
    });
    this.settingsQueue = run.catch(() => {});
    return run;
  }

  async server(serverId: string): Promise<StoredServer> {
    const server = (await this.settings()).servers.find((s) => s.id === serverId);
    if (!server) throw new ProviderError('not_found', 'That server is not configured any more. Reopen the popup.');
    return server;
  }

  /** A translated message (public/_locales), English where the browser has none. */
  message(key: string, substitutions: string[], english: string): string {
    return this.browser.i18n?.getMessage(key, substitutions) || english;
  }

  // --- providers and credentials --------------------------------------------------------------

  async provider(serverId: string): Promise<{ provider: TokenProvider; server: StoredServer; signedIn: boolean }> {
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

  /** The provider already set up for a server, if any (no storage read, no provider created). */
  liveProvider(serverId: string): LiveProvider | undefined {
    return this.live.get(serverId);
  }

  /** After a sign-in: this provider, with its new credential, serves the server from now on. */
  adoptSignedIn(serverId: string, provider: TokenProvider): void {
    this.live.set(serverId, { provider, signedIn: true });
  }

  /** Forgets the provider and the reachability of a server (sign-out, removal, new address). */
  dropProvider(serverId: string): void {
    this.live.delete(serverId);
    this.offline.delete(serverId);
  }

  async requireOrigin(baseUrl: string): Promise<void> {
    const granted = await this.browser.permissions.contains({ origins: [originPermission(baseUrl)] });
    if (!granted) {
      throw new ProviderError('forbidden', `patkit may not contact ${new URL(baseUrl).origin} yet. Open the options page and allow it.`);
    }
  }

  /** Runs a request to a server, noting whether it could be reached (server views say `offline`). */
  async reach<R>(serverId: string, run: () => Promise<R>): Promise<R> {
    try {
      const result = await run();
      this.offline.delete(serverId);
      return result;
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'offline') this.offline.add(serverId);
      throw error;
    }
  }

  /** Runs a server call as the signed-in user, dropping a credential the server refused. */
  async call<R>(serverId: string, run: (provider: TokenProvider) => Promise<R>): Promise<R> {
    const { provider, server, signedIn } = await this.provider(serverId);
    if (!signedIn) throw new ProviderError('unauthorized', `You are not signed in to ${server.name}. Sign in on the options page.`);
    await this.requireOrigin(server.baseUrl);
    try {
      return await this.reach(serverId, () => run(provider));
    } catch (error) {
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
  async keepRotatedCredential(serverId: string): Promise<void> {
    const now = this.live.get(serverId)?.provider.credentialValue;
    if (!now) return;
    const stored = await this.vault.getCredential(serverId);
    if (!stored || stored.credential === now) return;
    await this.vault.setCredential(serverId, { credential: now, user: stored.user, expiresAt: stored.expiresAt }, stored.keep);
  }

  async forgetCredential(serverId: string): Promise<void> {
    await this.vault.clearCredential(serverId);
    const entry = this.live.get(serverId);
    if (entry) {
      entry.provider.setCredential(null);
      entry.signedIn = false;
    }
  }

  /** A configured server as pages see it: never a credential. */
  async view(server: StoredServer): Promise<ServerView> {
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
}
