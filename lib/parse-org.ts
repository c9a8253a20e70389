/** Shape checks for organisation answers of the patkit server (see `parse.ts` for the approach). */
import type { Group, MemberRole, Organization } from './model.ts';
import { badShape, readBoolean, readList, readObject, readString, readStringOrNull, readTimeOrNull, type Parser } from './parse.ts';

function readRoleOrNull(o: Record<string, unknown>, key: string, path: string): MemberRole | null {
  const v = readStringOrNull(o, key, path);
  if (v !== null && v !== 'admin' && v !== 'user') throw badShape(`${path}.${key}`, 'admin, user or null', v);
  return v;
}

export const parseOrganization: Parser<Organization> = (value, path) => {
  const o = readObject(value, path);
  return {
    id: readString(o, 'id', path),
    name: readString(o, 'name', path),
    created_at: readTimeOrNull(o, 'created_at', path),
    role: readRoleOrNull(o, 'role', path),
    can_manage_tokens: readBoolean(o, 'can_manage_tokens', path),
  };
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
