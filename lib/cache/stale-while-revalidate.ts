/**
 * Stale-while-revalidate over a provider and the metadata cache: hand back the cached list at once,
 * fetch the fresh one, write it, hand it back. When the server cannot be reached the cached list
 * stays and the view says since when the server has been offline. Mutations go to the server and
 * the cache is updated from the server's answer (never from what the caller asked for).
 *
 * The cache holds the signed-in user's own tokens (`owner: 'me'`); admin inventories are not cached.
 */
import { ProviderError } from '../errors.ts';
import type { TokenCache } from './token-cache.ts';
import type { ServerSyncState } from './schema.ts';
import type { Confirmation, CreatedToken, Credentials, SignedIn, TokenDraft, TokenMeta, TokenPatch } from '../model.ts';
import type { CallOptions, RegenerateOptions, TokenProvider } from '../provider.ts';
import { requireOperation } from '../providers/require-operation.ts';

export interface TokenListView {
  server: string;
  tokens: TokenMeta[];
  /** `cache`: painted from IndexedDB; `server`: the list the server just sent. */
  source: 'cache' | 'server';
  /** True when this list may be out of date (from the cache, or the refresh failed). */
  stale: boolean;
  last_sync_at: string | null;
  /** Since when the server has been unreachable; `null` when the last attempt reached it. */
  offline_since: string | null;
  /** Why the refresh failed, if it did. */
  error: ProviderError | null;
}

export interface TokenSyncOptions {
  provider: TokenProvider;
  cache: TokenCache;
  /** Cache key of this server (any stable string); defaults to the provider's normalised base URL. */
  server?: string;
  /** Clock, for tests. */
  now?: () => Date;
  /** Page size when fetching the full list (default 100). */
  pageSize?: number;
  /** Safety stop for a server that never ends its cursor chain (default 100 pages). */
  maxPages?: number;
}

/** The order the cached and the fresh list share, so a refresh does not reshuffle the screen. */
export function compareTokens(a: TokenMeta, b: TokenMeta): number {
  const ta = a.created_at ?? '';
  const tb = b.created_at ?? '';
  if (ta !== tb) return ta < tb ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export class TokenSync {
  readonly server: string;
  private readonly provider: TokenProvider;
  private readonly cache: TokenCache;
  private readonly now: () => Date;
  private readonly pageSize: number;
  private readonly maxPages: number;
  /** Bumped by every mutation; a refresh that raced one fetches again instead of writing an older list. */
  private generation = 0;

  constructor(options: TokenSyncOptions) {
    this.provider = options.provider;
    this.cache = options.cache;
    const server = options.server ?? options.provider.baseUrl;
    if (!server) throw new TypeError('TokenSync needs a server key: pass `server` or use a provider with a baseUrl.');
    this.server = server;
    this.now = options.now ?? (() => new Date());
    this.pageSize = options.pageSize ?? 100;
    this.maxPages = options.maxPages ?? 100;
  }

  /** The cached list alone, without asking the server. */
  async cached(): Promise<TokenListView> {
    const [tokens, state] = await Promise.all([this.cache.list(this.server), this.cache.getSyncState(this.server)]);
    return this.view(tokens.sort(compareTokens), 'cache', true, state, null);
  }

  /**
   * Stale-while-revalidate: `onView` gets the cached list at once, then the fresh one (or the
   * cached one again with the error and `offline_since`). Resolves with the last view.
   * Rejects only when the caller aborts (`options.signal`).
   */
  async load(onView?: (view: TokenListView) => void, options?: CallOptions): Promise<TokenListView> {
    const first = await this.cached();
    onView?.(first);
    const fresh = await this.refresh(options);
    onView?.(fresh);
    return fresh;
  }

  /** The same as {@link load}, as an async iterator: `for await (const view of sync.views())`. */
  async *views(options?: CallOptions): AsyncGenerator<TokenListView> {
    yield await this.cached();
    yield await this.refresh(options);
  }

  /** Fetches the full list, writes it to the cache atomically, and returns it. Never throws a ProviderError. */
  async refresh(options?: CallOptions): Promise<TokenListView> {
    const attemptAt = this.now().toISOString();
    try {
      let tokens: TokenMeta[] = [];
      for (let tries = 0; tries < 3; tries++) {
        const generation = this.generation;
        tokens = await this.fetchAll(options);
        if (generation === this.generation) break;
      }
      tokens.sort(compareTokens);
      const state = { last_sync_at: attemptAt, last_attempt_at: attemptAt, last_error: null, offline_since: null };
      await this.cache.replaceSnapshot(this.server, tokens, state);
      return this.view(tokens, 'server', false, { server: this.server, user: null, ...state }, null);
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      const previous = await this.cache.getSyncState(this.server);
      const offline = error.code === 'offline';
      const state = await this.cache.updateSyncState(this.server, {
        last_attempt_at: attemptAt,
        last_error: error.toJSON(),
        offline_since: offline ? (previous?.offline_since ?? attemptAt) : null,
      });
      const tokens = (await this.cache.list(this.server)).sort(compareTokens);
      return this.view(tokens, 'cache', true, state, error);
    }
  }

  private async fetchAll(options?: CallOptions): Promise<TokenMeta[]> {
    const all: TokenMeta[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < this.maxPages; page++) {
      const answer = await this.provider.listTokens(
        { owner: 'me', sort: 'created_at', order: 'desc', limit: this.pageSize, cursor },
        options,
      );
      all.push(...answer.items);
      cursor = answer.next_cursor;
      if (cursor === null) return all;
    }
    throw new ProviderError('bad_response', `The server's token list did not end after ${this.maxPages} pages.`, {
      serverCode: 'endless_pages',
    });
  }

  private view(tokens: TokenMeta[], source: 'cache' | 'server', stale: boolean, state: ServerSyncState | undefined, error: ProviderError | null): TokenListView {
    return {
      server: this.server,
      tokens,
      source,
      stale,
      last_sync_at: state?.last_sync_at ?? null,
      offline_since: state?.offline_since ?? null,
      error,
    };
  }

  /** Runs a mutation; a `not_found` answer means the token is gone, so the cache forgets it too. */
  private async mutate<T>(id: string | null, run: () => Promise<T>): Promise<T> {
    this.generation++;
    try {
      return await run();
    } catch (error) {
      if (id !== null && error instanceof ProviderError && error.code === 'not_found') await this.cache.remove(this.server, id);
      throw error;
    }
  }

  async signIn(credentials: Credentials, options?: CallOptions): Promise<SignedIn> {
    const signedIn = await this.provider.signIn(credentials, options);
    const previous = await this.cache.getSyncState(this.server);
    // Someone else's snapshot must not show under this user.
    if (previous?.user && previous.user.id !== signedIn.user.id) await this.cache.clearServer(this.server);
    await this.cache.updateSyncState(this.server, { user: { id: signedIn.user.id, username: signedIn.user.username } });
    return signedIn;
  }

  /** Signs out and forgets this server's cached metadata (docs/security.md rule 23), even if the server is unreachable. */
  async signOut(options?: CallOptions): Promise<void> {
    try {
      await this.provider.signOut(options);
    } finally {
      await this.cache.clearServer(this.server);
    }
  }

  async createToken(draft: TokenDraft, confirm?: Confirmation, options?: CallOptions): Promise<CreatedToken> {
    const created = await this.mutate(null, () => requireOperation(this.provider, 'createToken')(draft, confirm, options));
    await this.cacheOwn(created.token);
    return created;
  }

  async updateToken(id: string, patch: TokenPatch, confirm?: Confirmation, options?: CallOptions): Promise<TokenMeta> {
    const token = await this.mutate(id, () => requireOperation(this.provider, 'updateToken')(id, patch, confirm, options));
    await this.cacheOwn(token);
    return token;
  }

  async regenerateToken(id: string, confirm?: Confirmation, options?: RegenerateOptions): Promise<CreatedToken> {
    const created = await this.mutate(id, () => requireOperation(this.provider, 'regenerateToken')(id, confirm, options));
    await this.cacheOwn(created.token);
    return created;
  }

  async cloneToken(id: string, overrides?: Partial<TokenDraft>, confirm?: Confirmation, options?: CallOptions): Promise<CreatedToken> {
    const created = await this.mutate(id, () => requireOperation(this.provider, 'cloneToken')(id, overrides, confirm, options));
    await this.cacheOwn(created.token);
    return created;
  }

  async disableToken(id: string, options?: CallOptions): Promise<TokenMeta> {
    const token = await this.mutate(id, () => requireOperation(this.provider, 'disableToken')(id, options));
    await this.cacheOwn(token);
    return token;
  }

  async enableToken(id: string, confirm?: Confirmation, options?: CallOptions): Promise<TokenMeta> {
    const token = await this.mutate(id, () => requireOperation(this.provider, 'enableToken')(id, confirm, options));
    await this.cacheOwn(token);
    return token;
  }

  async deleteToken(id: string, confirm?: Confirmation, options?: CallOptions): Promise<void> {
    await this.mutate(id, () => requireOperation(this.provider, 'deleteToken')(id, confirm, options));
    await this.cache.remove(this.server, id);
  }

  async bulkDeleteTokens(ids: string[], confirm?: Confirmation, options?: CallOptions): Promise<string[]> {
    const deleted = await this.mutate(null, () => requireOperation(this.provider, 'bulkDeleteTokens')(ids, confirm, options));
    await this.cache.removeMany(this.server, deleted);
    return deleted;
  }

  /**
   * The cache holds the signed-in user's own tokens; an admin acting on someone else's token must
   * not add it to that list. Only the metadata goes in, never the secret of a created token.
   */
  private async cacheOwn(token: TokenMeta): Promise<void> {
    const state = await this.cache.getSyncState(this.server);
    if (state?.user && token.owner.id !== state.user.id) {
      await this.cache.remove(this.server, token.id);
      return;
    }
    await this.cache.upsert(this.server, token);
  }
}
