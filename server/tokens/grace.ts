/**
 * Grace periods: after a regenerate the replaced secret may keep working for a while, within the
 * server's maximum, and only for an active token; the owner can end it early.
 */
import type { AppContext } from '../app-context.ts';
import { auditEntry } from '../audit/audit-entry.ts';
import type { Caller } from '../auth/principal.ts';
import { problems } from '../http/problems.ts';
import type { TokenRecord } from '../store/store.ts';
import { visibleToken } from './ownership.ts';
import { graceRunning, tokenStatus } from './token-dto.ts';

/** When the replaced secret stops working for a regenerate asking `seconds` of grace (null: at once), or a 400. */
export async function graceUntil(ctx: AppContext, token: TokenRecord, seconds: number): Promise<string | null> {
  const maxGrace = (await ctx.store.getSettings()).max_grace_period_seconds ?? 0;
  if (seconds > maxGrace) {
    throw problems.field(
      'grace_period_seconds',
      maxGrace === 0
        ? 'This server does not keep old secrets valid after a regenerate: send grace_period_seconds 0 or leave it out.'
        : `grace_period_seconds can be at most ${maxGrace} on this server.`,
    );
  }
  if (seconds > 0 && tokenStatus(token, ctx.now()) !== 'active') {
    throw problems.field('grace_period_seconds', 'Only an active token keeps its old secret for a grace period: this one is disabled or expired.');
  }
  return seconds > 0 ? new Date(ctx.now() + seconds * 1000).toISOString() : null;
}

/** Ends a running grace period now (nothing to do when none runs). */
export async function endGrace(ctx: AppContext, caller: Caller, id: string): Promise<TokenRecord> {
  const token = await visibleToken(ctx, caller.principal, id, true);
  if (token.previous === null || !graceRunning(token, ctx.now())) return token;
  const updated = await ctx.store.updateToken(
    token.id,
    { end_grace: true },
    auditEntry(ctx, caller, 'token.grace_ended', { token_id: token.id, owner_id: token.owner.user_id, detail: { previous_valid_until: token.previous.valid_until } }),
  );
  if (!updated) throw problems.notFound('That token');
  return updated;
}
