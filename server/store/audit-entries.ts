/**
 * Audit entries a store writes on its own, for rows a change takes with it (the caller cannot know
 * them beforehand). Both backends write the same entries in the transaction of the change.
 */
import type { AuditEntry } from './records.ts';

/** A token deleted with its organisation or group (its technical user goes too). */
export function scopedTokenDeleted(template: AuditEntry, token: { id: string; owner_user_id: string; name: string }): AuditEntry {
  return {
    ...template,
    token_id: token.id,
    owner_id: token.owner_user_id,
    detail: { ...template.detail, name: token.name, technical_user_deleted: true },
  };
}

/** The technical user of an organisation or group token, deleted with that token. */
export function technicalUserDeleted(template: AuditEntry, tokenId: string, userId: string): AuditEntry {
  return { ...template, action: 'user.deleted', token_id: tokenId, owner_id: userId, detail: { technical: true, reason: 'token_deleted' } };
}

/** A token disabled by a leaked-token report (no actor: the reporter is anonymous, known by IP). */
export function reportedLeaked(tokenId: string, ownerId: string, ip: string | null, at: string, alreadyDisabled: boolean): AuditEntry {
  return { action: 'token.reported_leaked', actor: null, token_id: tokenId, owner_id: ownerId, ip, at, detail: { already_disabled: alreadyDisabled } };
}
