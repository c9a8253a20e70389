/** The audit log entry of one action: who (principal, and the token it came through), from where, when. */
import type { AuditEntry } from '../store/store.ts';

/** Who acted: the authenticated principal (with the token it came through), or nobody yet, and the client IP. */
export interface AuditActor {
  principal: { user: { id: string; username: string }; tokenId: string | null } | null;
  ip: string;
}

export interface AuditFields {
  token_id?: string | null;
  owner_id?: string | null;
  detail?: AuditEntry['detail'];
}

export function auditEntry(
  clock: { now: () => number },
  caller: AuditActor,
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
