/**
 * Token requests (docs/security.md rule 35): tokens created under an approval policy wait, pending,
 * until an approver decides. Approvers hold `tokens:approve` (System Admins: every request) or are
 * admins of an organisation governing the request (only those). Nobody approves their own request;
 * a decision is final (a second one is 409 `token_not_pending`).
 */
import type { AppContext } from '../app-context.ts';
import { auditEntry } from '../audit/audit-entry.ts';
import type { Caller, Principal } from '../auth/principal.ts';
import { decodeCursor, pageFrom, parseLimit } from '../http/paging.ts';
import { Problem, problems } from '../http/problems.ts';
import { ConflictError, type ApprovalState, type AuditEntry, type TokenRecord } from '../store/store.ts';

export const APPROVE_PERMISSION = 'tokens:approve';

/** The audit entry (and webhook event) of a new request, written with the token. */
export function requestCreatedAudit(ctx: AppContext, caller: Caller, tokenId: string, ownerId: string, justification: string): AuditEntry {
  return auditEntry(ctx, caller, 'token.request_created', { token_id: tokenId, owner_id: ownerId, detail: { justification } });
}

/** The organisations whose requests the caller decides: null = every request; a 403 for non-approvers. */
async function approverScope(ctx: AppContext, principal: Principal): Promise<string[] | null> {
  if (principal.effective.has(APPROVE_PERMISSION)) return null;
  const memberships = await ctx.store.orgs.membershipsOf(principal.user.id);
  const orgs = memberships.filter((m) => m.kind === 'organization' && m.role === 'admin').map((m) => m.scope_id);
  if (orgs.length === 0) {
    throw problems.forbidden('Deciding token requests needs the tokens:approve permission (System Admins) or the admin role of an organization.');
  }
  return orgs;
}

const isCursor = (v: unknown): v is [string, string] => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string');

export async function listTokenRequests(
  ctx: AppContext,
  principal: Principal,
  query: { state?: ApprovalState; cursor?: string; limit?: number },
): Promise<{ tokens: TokenRecord[]; next_cursor: string | null }> {
  const orgIds = await approverScope(ctx, principal);
  const limit = parseLimit(query.limit === undefined ? undefined : String(query.limit));
  const rows = await ctx.store.listTokenRequests({ state: query.state ?? 'pending', org_ids: orgIds, after: decodeCursor(query.cursor, isCursor), limit: limit + 1 });
  const page = pageFrom(rows, limit, (t) => t, (last) => [last.approval?.requested_at ?? '', last.id]);
  return { tokens: page.items, next_cursor: page.next_cursor };
}

const notPending = () => new Problem(409, 'token_not_pending', 'This token request is not pending: it was decided already, or never needed approval.');

/** Approves or denies one pending request; returns the token as decided. */
export async function decideTokenRequest(ctx: AppContext, caller: Caller, id: string, state: 'approved' | 'denied', reason: string | null): Promise<TokenRecord> {
  const { principal } = caller;
  const orgIds = await approverScope(ctx, principal);
  const token = await ctx.store.getToken(id);
  // Requests outside the approver's organisations are not theirs to see: 404, as for any hidden token.
  if (!token || (orgIds !== null && !(await ctx.store.tokenPolicyOrgIds(id)).some((o) => orgIds.includes(o)))) throw problems.notFound('That token request');
  if (token.approval?.state !== 'pending') throw notPending();
  if (state === 'approved' && token.created_by?.id === principal.user.id) {
    throw problems.forbidden('You cannot approve your own token request: another approver decides it.');
  }
  const decidedAt = new Date(ctx.now()).toISOString();
  const action = state === 'approved' ? 'token.request_approved' : 'token.request_denied';
  const audit = auditEntry(ctx, caller, action, { token_id: id, owner_id: token.owner.user_id, detail: reason === null ? {} : { reason } });
  try {
    const decided = await ctx.store.decideTokenRequest(id, { state, decided_at: decidedAt, decided_by: { id: principal.user.id, username: principal.user.username }, reason }, audit);
    if (!decided) throw problems.notFound('That token request');
    return decided;
  } catch (error) {
    // Decided by someone else since it was read (docs/security.md rule 27).
    if (error instanceof ConflictError) throw notPending();
    throw error;
  }
}
