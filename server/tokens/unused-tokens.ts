/**
 * Tokens not used for N days: preview them, or disable them in one transaction (at most
 * UNUSED_BATCH_MAX a call). A previewed set is re-checked as it is now: a token gone, someone
 * else's or used since the preview is spared.
 */
import { nowIso, type AppContext } from '../app-context.ts';
import { auditEntry } from '../audit/audit-entry.ts';
import type { Caller } from '../auth/principal.ts';
import { UNUSED_BATCH_MAX } from '../http/schemas.ts';
import type { TokenRecord } from '../store/store.ts';
import { unusedBefore } from './expiry.ts';
import { unusedTokensOwner } from './ownership.ts';
import { graceRunning, tokenStatus } from './token-dto.ts';

export interface UnusedTokensRequest {
  unused_days: number;
  dry_run: boolean;
  owner?: string;
  ids?: string[];
}

/** A token that counts as unused: active, and last used (or created, if never used) before `before`. */
function isUnused(ctx: AppContext, token: TokenRecord, before: string): boolean {
  return tokenStatus(token, ctx.now()) === 'active' && (token.last_used_at ?? token.created_at) < before;
}

async function candidates(ctx: AppContext, owner: string | null, before: string, ids: string[] | undefined): Promise<TokenRecord[]> {
  if (ids === undefined) {
    return ctx.store.listTokens({
      owner_user_id: owner,
      text: null,
      status: 'active',
      unused_before: before,
      sort: 'last_used_at',
      order: 'asc',
      after: null,
      limit: UNUSED_BATCH_MAX,
      now: nowIso(ctx),
    });
  }
  const found: TokenRecord[] = [];
  for (const id of new Set(ids)) {
    const token = await ctx.store.getToken(id);
    if (token && (owner === null || token.owner.user_id === owner) && isUnused(ctx, token, before)) found.push(token);
  }
  return found;
}

/** The tokens that would be disabled (dry run) or were disabled. */
export async function disableUnusedTokens(ctx: AppContext, caller: Caller, body: UnusedTokensRequest): Promise<TokenRecord[]> {
  const before = unusedBefore(ctx, body.unused_days);
  const owner = await unusedTokensOwner(ctx, caller.principal, body.owner);
  const tokens = await candidates(ctx, owner, before, body.ids);
  if (body.dry_run || tokens.length === 0) return tokens;
  const audits = tokens.map((t) =>
    auditEntry(ctx, caller, 'token.disabled', {
      token_id: t.id,
      owner_id: t.owner.user_id,
      detail: { reason: 'unused', unused_days: body.unused_days, ...(graceRunning(t, ctx.now()) ? { ended_grace: true } : {}) },
    }),
  );
  return ctx.store.disableUnusedTokens(tokens.map((t) => t.id), before, nowIso(ctx), audits);
}
