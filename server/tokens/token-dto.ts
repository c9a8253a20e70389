/** A token as the API shows it: metadata, status as of now, the running grace period; never a secret. */
import type { TokenMeta, TokenStatus } from '../../lib/model.ts';
import { lifetimeExceedsPolicy } from '../auth/token-policy.ts';
import type { ApprovalRecord, TokenRecord } from '../store/store.ts';

/** A token's status, with the approval states above the others (a denied or pending token works nowhere). */
export type ServerTokenStatus = TokenStatus | 'pending' | 'denied';

/** The token answer: the kit's metadata plus the approval, allow-list, not-before and lifetime policy fields. */
export type TokenAnswer = Omit<TokenMeta, 'status'> & {
  status: ServerTokenStatus;
  allowed_ips: string[];
  not_before: string | null;
  approval: ApprovalRecord | null;
  lifetime_exceeds_policy: boolean;
};

export function tokenStatus(token: { disabled: boolean; expires_at: string | null; approval?: ApprovalRecord | null }, now: number): ServerTokenStatus {
  if (token.approval?.state === 'denied' || token.approval?.state === 'pending') return token.approval.state;
  if (token.expires_at !== null && Date.parse(token.expires_at) <= now) return 'expired';
  return token.disabled ? 'disabled' : 'active';
}

/** True while the secret replaced by the last regenerate still works (its grace period runs). */
export function graceRunning(token: TokenRecord, now: number): boolean {
  return token.previous !== null && Date.parse(token.previous.valid_until) > now;
}

export function tokenDto(ctx: { now: () => number }, token: TokenRecord): TokenAnswer {
  const now = ctx.now();
  return {
    id: token.id,
    owner: {
      kind: token.owner.kind,
      id: token.owner.user_id,
      username: token.owner.username,
      display_name: token.owner.display_name,
      scope_id: token.owner.scope_id,
      scope_name: token.owner.scope_name,
    },
    name: token.name,
    description: token.description,
    created_at: token.created_at,
    created_by: token.created_by,
    updated_at: token.updated_at,
    expires_at: token.expires_at,
    scopes: token.scopes,
    status: tokenStatus(token, now),
    last_used_at: token.last_used_at,
    last_used_ip: token.last_used_ip,
    last4: token.last4,
    rotation: token.previous !== null && graceRunning(token, now) ? { previous_valid_until: token.previous.valid_until, previous_last4: token.previous.last4 } : null,
    recent_uses: token.recent_uses.map((u) => ({ ip: u.ip, at: u.at })),
    allowed_ips: token.allowed_ips,
    not_before: token.not_before,
    approval: token.approval,
    lifetime_exceeds_policy: lifetimeExceedsPolicy(token.issued_at, token.expires_at, token.lifetime_policy),
  };
}
