/**
 * Self-rotation (`tokens:self_rotate`): a token replaces its own secret, authenticated by itself, with
 * no password, so automation needs no second, stronger credential. Everything else is regenerate's:
 * the grace period is capped the same way and the change is audited `token.regenerated`.
 */
import type { AppContext } from '../app-context.ts';
import type { Caller } from '../auth/principal.ts';
import { Problem, problems } from '../http/problems.ts';
import type { TokenRecord } from '../store/store.ts';
import { graceUntil } from './grace.ts';
import { tokenStatus } from './token-dto.ts';
import { replaceSecret, requirePatsEnabled, type IssuedToken } from './token-service.ts';

/**
 * The one place that decides whether a token's state lets it rotate itself: only an active token
 * does (a disabled, expired, pending or denied one is refused with 409 `token_not_active`).
 */
export function requireRotatable(token: TokenRecord, now: number): void {
  const status: string = tokenStatus(token, now);
  if (status !== 'active') throw new Problem(409, 'token_not_active', `This token is ${status}: only an active token can rotate itself.`);
}

export async function rotateSelf(ctx: AppContext, caller: Caller, body: { grace_period_seconds?: number }): Promise<IssuedToken> {
  await requirePatsEnabled(ctx);
  const { tokenId } = caller.principal;
  if (tokenId === null) {
    throw new Problem(403, 'token_required', 'Self-rotation is authenticated by the token to rotate: send it as "Authorization: Bearer <token>".');
  }
  const token = await ctx.store.getToken(tokenId);
  if (!token) throw problems.notFound('That token');
  requireRotatable(token, ctx.now());
  const grace = body.grace_period_seconds ?? 0;
  const until = await graceUntil(ctx, token, grace);
  return replaceSecret(ctx, caller, token, grace, until, { self_rotation: true });
}
