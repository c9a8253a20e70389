/** Shape checks for organisation answers of the patkit server (see `parse.ts` for the approach). */
import type { Group, MemberRole, Membership, Organization } from './model.ts';
import { badShape, readBoolean, readList, readNumberOrNull, readObject, readString, readStringOrNull, readTimeOrNull, type Parser } from './parse.ts';

function readRoleOrNull(o: Record<string, unknown>, key: string, path: string): MemberRole | null {
  const v = readStringOrNull(o, key, path);
  if (v !== null && v !== 'admin' && v !== 'user') throw badShape(`${path}.${key}`, 'admin, user or null', v);
  return v;
}

export const parseOrganization: Parser<Organization> = (value, path) => {
  const o = readObject(value, path);
  const org: Organization = {
    id: readString(o, 'id', path),
    name: readString(o, 'name', path),
    created_at: readTimeOrNull(o, 'created_at', path),
    role: readRoleOrNull(o, 'role', path),
    can_manage_tokens: readBoolean(o, 'can_manage_tokens', path),
  };
  // Token policies, only where the server sends them.
  if (o['require_token_approval'] != null) org.require_token_approval = readBoolean(o, 'require_token_approval', path);
  if ('max_token_lifetime_days' in o) org.max_token_lifetime_days = readNumberOrNull(o, 'max_token_lifetime_days', path);
  return org;
};

export const parseGroup: Parser<Group> = (value, path) => {
  const o = readObject(value, path);
  return {
    id: readString(o, 'id', path),
    org_id: readString(o, 'org_id', path),
    name: readString(o, 'name', path),
    created_at: readTimeOrNull(o, 'created_at', path),
    role: readRoleOrNull(o, 'role', path),
    can_manage_tokens: readBoolean(o, 'can_manage_tokens', path),
  };
};

export const parseOrganizationList: Parser<Organization[]> = (value, path) => readList(readObject(value, path), 'items', path, parseOrganization);
export const parseGroupList: Parser<Group[]> = (value, path) => readList(readObject(value, path), 'items', path, parseGroup);

export const parseMembership: Parser<Membership> = (value, path) => {
  const o = readObject(value, path);
  const user = readObject(o['user'], `${path}.user`);
  const kind = readString(user, 'kind', `${path}.user`);
  if (kind !== 'person' && kind !== 'technical') throw badShape(`${path}.user.kind`, 'person or technical', kind);
  const role = readRoleOrNull(o, 'role', path);
  if (role === null) throw badShape(`${path}.role`, 'admin or user', null);
  return {
    user: {
      id: readString(user, 'id', `${path}.user`),
      username: readString(user, 'username', `${path}.user`),
      display_name: readString(user, 'display_name', `${path}.user`),
      kind,
    },
    role,
    created_at: readTimeOrNull(o, 'created_at', path),
  };
};

export const parseMembershipList: Parser<Membership[]> = (value, path) => readList(readObject(value, path), 'items', path, parseMembership);
