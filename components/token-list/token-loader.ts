import type { TokenMeta } from '../../lib/model.ts';
import type { ScopedOwner, TokenProvider } from '../../lib/provider.ts';

export interface LoadQuery {
  /** `me`, `all` or a user id. */
  owner: string;
  /** An organisation or group whose tokens to load instead (`owner` is then ignored). */
  scopeOwner: ScopedOwner | null;
  /** The server's `unused_days` filter (0 = off). */
  unusedDays: number;
  signal: AbortSignal;
}

/** Every token the list shows, page after page (at most 500 pages of 200). */
export async function loadTokens(provider: TokenProvider, query: LoadQuery): Promise<TokenMeta[]> {
  const { signal } = query;
  if (query.scopeOwner) {
    if (!provider.listScopedTokens) throw new Error('This server has no organization or group tokens.');
    return [...(await provider.listScopedTokens(query.scopeOwner, { signal }))];
  }
  const all: TokenMeta[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await provider.listTokens({ owner: query.owner, cursor, limit: 200, ...(query.unusedDays ? { unused_days: query.unusedDays } : {}) }, { signal });
    all.push(...page.items);
    cursor = page.next_cursor;
    pages += 1;
  } while (cursor && pages < 500);
  return all;
}
