/**
 * The reference server's `/api/v1` shapes that the shared model parsers (lib/parse.ts) do not
 * cover, and the request bodies and paths the provider sends.
 */
import { segment } from '../../http.ts';
import type { Confirmation, Role, TokenDraft, User } from '../../model.ts';
import {
  parseAuditEvent,
  parseRole,
  parseTokenMeta,
  parseUser,
  pageParser,
  readList,
  readObject,
  readStringList,
  readStringOrNull,
  readTimeOrNull,
  type Parser,
} from '../../parse.ts';
import type { ScopedOwner } from '../../provider.ts';

/** Header the server requires on cookie-authenticated requests (its CSRF defence). */
export const CSRF_HEADER = 'X-Patkit-CSRF';

export const parseTokenPage = pageParser(parseTokenMeta);
export const parseUserPage = pageParser(parseUser);
export const parseAuditPage = pageParser(parseAuditEvent);

export const parseRoleList: Parser<Role[]> = (value, path) => readList(readObject(value, path), 'items', path, parseRole);

export const parseDeleted: Parser<string[]> = (value, path) => readStringList(readObject(value, path), 'deleted', path);

export interface SessionAnswer {
  credential: string | null;
  expires_at: string | null;
  user: User;
}

export const parseSession: Parser<SessionAnswer> = (value, path) => {
  const o = readObject(value, path);
  return {
    credential: readStringOrNull(o, 'credential', path),
    expires_at: readTimeOrNull(o, 'expires_at', path),
    user: parseUser(o['user'], `${path}.user`),
  };
};

/** Password and admin acknowledgement go in the JSON body, never in the URL. */
export function confirmationBody(confirm: Confirmation | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (confirm?.password !== undefined) body['password'] = confirm.password;
  if (confirm?.acknowledge_admin_token !== undefined) body['acknowledge_admin_token'] = confirm.acknowledge_admin_token;
  return body;
}

export function draftBody(draft: Partial<TokenDraft>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (draft.name !== undefined) body['name'] = draft.name;
  if (draft.description !== undefined) body['description'] = draft.description;
  if (draft.expires_at !== undefined) body['expires_at'] = draft.expires_at;
  if (draft.scopes !== undefined) body['scopes'] = draft.scopes;
  if (draft.owner_id !== undefined) body['owner_id'] = draft.owner_id;
  // Fine-grained fields: a resource goes as `{type, id}` only (its name is the server's to say).
  if (draft.resources !== undefined) body['resources'] = draft.resources.map((r) => ({ type: r.type, id: r.id }));
  if (draft.allowed_ips !== undefined) body['allowed_ips'] = draft.allowed_ips;
  if (draft.not_before !== undefined) body['not_before'] = draft.not_before;
  if (draft.template_id !== undefined) body['template_id'] = draft.template_id;
  if (draft.justification !== undefined) body['justification'] = draft.justification;
  return body;
}

/** `/api/v1/orgs/{id}` or `/api/v1/orgs/{id}/groups/{gid}`. */
export function scopePath(owner: ScopedOwner): string {
  const org = `/api/v1/orgs/${segment(owner.kind === 'organization' ? owner.id : owner.org_id)}`;
  return owner.kind === 'organization' ? org : `${org}/groups/${segment(owner.id)}`;
}
