/** Finding tokens: the list (own, one user's or everyone's; searched, filtered, sorted, paged) and "whose token is this value?". */
import type { TokenStatus } from '../../lib/model.ts';
import { nowIso, type AppContext } from '../app-context.ts';
import { auditEntry } from '../audit/audit-entry.ts';
import { credentialKind, digestCredential } from '../auth/credentials.ts';
import { patkitTokenForm } from '../../lib/token-checksum.ts';
import type { Caller, Principal } from '../auth/principal.ts';
import { decodeCursor, pageFrom, parseLimit } from '../http/paging.ts';
import { problems } from '../http/problems.ts';
import type { TokenListQuery, TokenRecord, UserRecord } from '../store/store.ts';
import { unusedBefore } from './expiry.ts';
import { listedOwner } from './ownership.ts';

export interface TokenListRequest {
  owner?: string;
  q?: string;
  status?: string;
  unused_days?: string;
  sort?: TokenListQuery['sort'];
  order?: TokenListQuery['order'];
  cursor?: string;
  limit?: string;
}

type Sort = TokenListQuery['sort'];

/** The value the list is sorted by, for the cursor of the next page (the stores order by the same). */
export function sortValue(token: TokenRecord, sort: Sort): string {
  if (sort === 'name') return token.name.toLowerCase();
  if (sort === 'expires_at') return token.expires_at ?? '9999';
  if (sort === 'last_used_at') return token.last_used_at ?? '';
  return token.created_at;
}

function isCursor(value: unknown): value is [string, string] {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string';
}

/** One page of the token list the query asks for, with the cursor of the next page. */
export async function listTokens(ctx: AppContext, principal: Principal, q: TokenListRequest): Promise<{ tokens: TokenRecord[]; next_cursor: string | null }> {
  const owner = listedOwner(principal, q.owner);
  const sort = q.sort ?? 'created_at';
  const limit = parseLimit(q.limit);
  const rows = await ctx.store.listTokens({
    owner_user_id: owner,
    text: q.q?.trim() || null,
    status: (q.status as TokenStatus | undefined) ?? null,
    unused_before: q.unused_days === undefined ? null : unusedBefore(ctx, Number(q.unused_days)),
    sort,
    order: q.order ?? 'desc',
    after: decodeCursor(q.cursor, isCursor),
    limit: limit + 1,
    now: nowIso(ctx),
  });
  const page = pageFrom(rows, limit, (t) => t, (last) => [sortValue(last, sort), last.id]);
  return { tokens: page.items, next_cursor: page.next_cursor };
}

export interface IdentifiedToken {
  token: TokenRecord;
  owner: UserRecord;
  matched: 'current' | 'previous';
}

/** Admins: the token (and owner) a secret value belongs to, current or in its grace period; every lookup is audited. */
export async function identifyToken(ctx: AppContext, caller: Caller, input: string): Promise<IdentifiedToken> {
  const value = input.trim();
  if (credentialKind(value) !== 'pat') {
    if (patkitTokenForm(value) === 'bad-checksum') {
      throw problems.field('token', 'The checksum at the end of this value is wrong: it was mistyped or only partly copied, or it is not a patkit token.');
    }
    throw problems.field('token', 'That is not a patkit token: they start with "pat_" followed by 36 letters and digits.');
  }
  const found = await ctx.store.findTokenByDigest(digestCredential(ctx.pepper, value));
  const current = found !== null && (found.matched === 'current' || (found.previous_valid_until !== null && Date.parse(found.previous_valid_until) > ctx.now()));
  const token = current ? await ctx.store.getToken(found.id) : null;
  const owner = token ? await ctx.store.getUser(token.owner.user_id) : null;
  await ctx.store.appendAudit(
    auditEntry(ctx, caller, 'token.identified', {
      token_id: token?.id ?? null,
      owner_id: token?.owner.user_id ?? null,
      detail: { found: token !== null && owner !== null, ...(token && found?.matched === 'previous' ? { previous_secret: true } : {}) },
    }),
  );
  if (!token || !owner) throw problems.notFound('A token with that value');
  return { token, owner, matched: found!.matched };
}
