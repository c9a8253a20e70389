/**
 * Mattermost pages by number (`page`, `per_page`) and cannot filter or sort a user's tokens: the
 * page cursor patkit hands out, and the filtering and sorting done here.
 */
import { ProviderError } from '../../errors.ts';
import type { TokenMeta, TokenQuery } from '../../model.ts';

const DEFAULT_PER_PAGE = 60;
/** Mattermost caps `per_page` at 200. */
const MAX_PER_PAGE = 200;

export interface PageCursor {
  page: number;
  perPage: number;
}

export function pageOf(query: { cursor?: string | null; limit?: number }): PageCursor {
  let page = 0;
  if (query.cursor !== undefined && query.cursor !== null && query.cursor !== '') {
    if (!/^\d{1,6}$/.test(query.cursor)) {
      throw new ProviderError('validation_failed', 'That page cursor does not belong to a Mattermost list. Start from the first page.', {
        fieldErrors: [{ field: 'cursor', message: 'Not a Mattermost page cursor' }],
      });
    }
    page = Number(query.cursor);
  }
  const perPage = Math.min(MAX_PER_PAGE, Math.max(1, Math.floor(query.limit ?? DEFAULT_PER_PAGE)));
  return { page, perPage };
}

export function matchesText(t: TokenMeta, text: string | undefined): boolean {
  if (!text) return true;
  const q = text.toLowerCase();
  return [t.id, t.description, t.owner.username, t.owner.id].some((s) => s.toLowerCase().includes(q));
}

export function sortTokens(items: TokenMeta[], query: TokenQuery): TokenMeta[] {
  if (query.sort !== 'name' && query.sort !== 'expires_at') return items;
  const key = query.sort;
  const dir = query.order === 'desc' ? -1 : 1;
  return [...items].sort((a, b) => {
    const av = a[key] ?? '';
    const bv = b[key] ?? '';
    return av < bv ? -dir : av > bv ? dir : 0;
  });
}
