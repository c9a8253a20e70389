/**
 * Mattermost's JSON (REST API v4, the `api/v4/source/*.yaml` OpenAPI source) onto the model, and
 * its version string. Exported for the spec tests.
 */
import type { OwnerRef, TokenMeta, TokenStatus, User } from '../../model.ts';
import {
  badShape,
  listParser,
  readBooleanOrNull,
  readNumberOrNull,
  readObject,
  readString,
  readStringListOrNull,
  readStringOrNull,
  type Parser,
} from '../../parse.ts';

export interface MattermostVersion {
  major: number;
  minor: number;
  patch: number;
  raw: string;
}

/** `X-Version-Id` looks like `11.1.0.15473.2f6a….true` (version, build, hash, enterprise); config `Version` like `11.1.0`. */
export function parseMattermostVersion(value: string | null | undefined): MattermostVersion | null {
  if (!value) return null;
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(value.trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), raw: value.trim() };
}

/** A Mattermost token (`UserAccessToken` or `UserAccessTokenSanitized`), secret split off. */
export interface MattermostToken {
  id: string;
  user_id: string;
  description: string;
  is_active: boolean;
  /** Unix ms, 0 = never (11.x; absent on older servers). */
  expires_at: number;
  /** Only in the answers to create and rotate. */
  token: string | null;
}

export const parseMattermostToken: Parser<MattermostToken> = (value, path) => {
  const o = readObject(value, path);
  const id = readString(o, 'id', path);
  if (id === '') throw badShape(`${path}.id`, 'a non-empty string', id);
  return {
    id,
    user_id: readString(o, 'user_id', path),
    description: readStringOrNull(o, 'description', path) ?? '',
    // `UserAccessToken` (the create answer) has no `is_active` in the spec: a new token is active.
    is_active: readBooleanOrNull(o, 'is_active', path) ?? true,
    expires_at: readNumberOrNull(o, 'expires_at', path) ?? 0,
    token: readStringOrNull(o, 'token', path),
  };
};

export const parseMattermostTokenList: Parser<MattermostToken[]> = listParser(parseMattermostToken);

export interface MattermostUser {
  id: string;
  username: string;
  first_name: string;
  last_name: string;
  nickname: string;
  /** Space-separated system roles. */
  roles: string;
  create_at: number;
  /** 0 while active; the deactivation time otherwise. */
  delete_at: number;
  is_bot: boolean;
}

export const parseMattermostUser: Parser<MattermostUser> = (value, path) => {
  const o = readObject(value, path);
  return {
    id: readString(o, 'id', path),
    username: readString(o, 'username', path),
    first_name: readStringOrNull(o, 'first_name', path) ?? '',
    last_name: readStringOrNull(o, 'last_name', path) ?? '',
    nickname: readStringOrNull(o, 'nickname', path) ?? '',
    roles: readStringOrNull(o, 'roles', path) ?? '',
    create_at: readNumberOrNull(o, 'create_at', path) ?? 0,
    delete_at: readNumberOrNull(o, 'delete_at', path) ?? 0,
    is_bot: readBooleanOrNull(o, 'is_bot', path) ?? false,
  };
};

export const parseMattermostUserList: Parser<MattermostUser[]> = listParser(parseMattermostUser);

export interface MattermostRole {
  id: string;
  name: string;
  display_name: string;
  description: string;
  permissions: string[];
  scheme_managed: boolean;
  built_in: boolean;
}

export const parseMattermostRole: Parser<MattermostRole> = (value, path) => {
  const o = readObject(value, path);
  const permissions = readStringListOrNull(o, 'permissions', path) ?? [];
  return {
    id: readStringOrNull(o, 'id', path) ?? '',
    name: readString(o, 'name', path),
    display_name: readStringOrNull(o, 'display_name', path) ?? '',
    description: readStringOrNull(o, 'description', path) ?? '',
    permissions,
    scheme_managed: readBooleanOrNull(o, 'scheme_managed', path) ?? false,
    built_in: readBooleanOrNull(o, 'built_in', path) ?? false,
  };
};

export const parseMattermostRoleList: Parser<MattermostRole[]> = listParser(parseMattermostRole);

/** `StatusOK`: `{status: "OK"}`. */
export const parseStatusOk: Parser<void> = (value, path) => {
  const o = readObject(value, path);
  const status = readString(o, 'status', path);
  if (status.toUpperCase() !== 'OK') throw badShape(`${path}.status`, '"OK"', status);
};

/** `GET /api/v4/config/client?format=old`: a flat map of strings. */
export const parseClientConfig: Parser<Record<string, string>> = (value, path) => {
  const o = readObject(value, path);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (typeof v === 'string') out[k] = v;
  return out;
};

function msToIso(ms: number): string | null {
  return ms > 0 ? new Date(ms).toISOString() : null;
}

export function mattermostDisplayName(u: MattermostUser): string {
  const full = `${u.first_name} ${u.last_name}`.trim();
  return full || u.nickname || u.username;
}

export function splitRoles(roles: string): string[] {
  return roles.split(/\s+/).filter((r) => r !== '');
}

/** Token → model. `name` carries the description, since Mattermost tokens have no separate name. */
export function toTokenMeta(t: MattermostToken, owner: OwnerRef, now: number = Date.now()): TokenMeta {
  let status: TokenStatus = 'active';
  if (!t.is_active) status = 'disabled';
  else if (t.expires_at > 0 && t.expires_at <= now) status = 'expired';
  return {
    id: t.id,
    owner,
    name: t.description || t.id,
    description: t.description,
    created_at: null,
    created_by: null,
    updated_at: null,
    expires_at: msToIso(t.expires_at),
    scopes: [],
    status,
    last_used_at: null,
    last_used_ip: null,
    last4: null,
  };
}

export function toUser(u: MattermostUser, permissions: string[]): User {
  return {
    id: u.id,
    username: u.username,
    display_name: mattermostDisplayName(u),
    active: u.delete_at === 0,
    kind: u.is_bot ? 'technical' : 'person',
    roles: splitRoles(u.roles),
    permissions,
    created_at: msToIso(u.create_at),
  };
}
