/** The audit log entry of one action: who (principal, and the token it came through), from where, when. */
import type { Principal } from '../auth/principal.ts';
import type { AuditEntry } from '../store/store.ts';

export interface AuditFields {
  token_id?: string | null;
  owner_id?: string | null;
  detail?: AuditEntry['detail'];
}

export function auditEntry(
  clock: { now: () => number },
  caller: { principal: Principal | null; ip: string },
  action: string,
  fields: AuditFields = {},
): AuditEntry {
  const { principal } = caller;
  const detail: AuditEntry['detail'] = { ...fields.detail };
  if (principal?.tokenId) detail.via_token = principal.tokenId;
  return {
    action,
    actor: principal ? { id: principal.user.id, username: principal.user.username } : null,
    token_id: fields.token_id ?? null,
    owner_id: fields.owner_id ?? null,
    ip: caller.ip,
    at: new Date(clock.now()).toISOString(),
    detail,
  };
}
