/**
 * What the background is given: the few browser APIs it uses (a subset of `browser`, so WXT's fake
 * browser fits in unit tests), the provider registry and the metadata cache. `index.ts` passes the
 * real ones.
 */
import type { ProviderConfig, ProviderDescriptor, TokenProvider } from '../../lib/provider.ts';
import type { SealKeyStore } from '../../extension/credential-seal.ts';
import type { MetadataCacheLike } from '../../extension/metadata-cache.ts';
import type { StorageAreaLike } from '../../extension/settings.ts';

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
  /** Chromium only: the sending document (a frame keeps its id across navigations, a document does not). */
  documentId?: string;
}

export interface BackgroundOptions {
  browser: BrowserApis;
  providers: ProviderRegistryLike;
  cache: MetadataCacheLike;
  /**
   * Where the key that seals "keep me signed in" credentials lives (docs/security.md rule 34):
   * `index.ts` passes the extension origin's IndexedDB; unit tests may leave it out (memory, so a
   * browser restart would lose those sign-ins).
   */
  credentialKeys?: SealKeyStore;
  now?: () => number;
  newId?: (prefix: string) => string;
  /**
   * Where GitHub's API is (default https://api.github.com). Only the e2e build sets another, a
   * loopback stand-in, because GitHub cannot be reached from the test machines.
   */
  githubApi?: () => Promise<string>;
}
