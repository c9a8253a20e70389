/**
 * Gitea's JSON (the Swagger excerpt in test/contracts/gitea/) onto the model, and its paging
 * `Link` header. Exported for the Swagger tests.
 */
import type { OwnerRef, TokenMeta, User } from '../../model.ts';
import {
  badShape,
  listParser,
  readBooleanOrNull,
  readNumber,
  readObject,
  readString,
  readStringListOrNull,
  readStringOrNull,
  type Json,
  type Parser,
} from '../../parse.ts';

/** `AccessToken`: `sha1` carries the secret in the create answer only (the spec's "SHA1 hash" is the token). */
export interface GiteaToken {
  id: number;
  name: string;
  sha1: string;
  token_last_eight: string;
  scopes: string[];
  created_at: string | null;
  last_used_at: string | null;
}

function timeOrNull(o: Json, key: string, path: string): string | null {
  const v = readStringOrNull(o, key, path);
  if (v === null || v === '') return null;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw badShape(`${path}.${key}`, 'an ISO time or null', v);
  // Go's zero time (`0001-01-01T00:00:00Z`) means "never".
  return ms <= 0 ? null : new Date(ms).toISOString();
}

function readId(o: Json, key: string, path: string): number {
  const id = readNumber(o, key, path);
  if (!Number.isInteger(id) || id <= 0) throw badShape(`${path}.${key}`, 'a positive integer', id);
  return id;
}

export const parseGiteaToken: Parser<GiteaToken> = (value, path) => {
  const o = readObject(value, path);
  return {
    id: readId(o, 'id', path),
    name: readString(o, 'name', path),
    sha1: readStringOrNull(o, 'sha1', path) ?? '',
    token_last_eight: readStringOrNull(o, 'token_last_eight', path) ?? '',
    scopes: readStringListOrNull(o, 'scopes', path) ?? [],
    // Both arrived in 1.24; older servers and Forgejo omit them.
    created_at: timeOrNull(o, 'created_at', path),
    last_used_at: timeOrNull(o, 'last_used_at', path),
  };
};

export const parseGiteaTokenList: Parser<GiteaToken[]> = listParser(parseGiteaToken);

/** `CurrentAccessToken` (`GET /token`). */
export interface GiteaCurrentToken {
  id: number;
  name: string;
  scopes: string[];
  created_at: string | null;
  last_used_at: string | null;
  user: { id: number; login: string } | null;
}

export const parseGiteaCurrentToken: Parser<GiteaCurrentToken> = (value, path) => {
  const o = readObject(value, path);
  let user: GiteaCurrentToken['user'] = null;
  if (o['user'] != null) {
    const u = readObject(o['user'], `${path}.user`);
    user = { id: readNumber(u, 'id', `${path}.user`), login: readString(u, 'login', `${path}.user`) };
  }
  return {
    id: readId(o, 'id', path),
    name: readString(o, 'name', path),
    scopes: readStringListOrNull(o, 'scopes', path) ?? [],
    created_at: timeOrNull(o, 'created_at', path),
    last_used_at: timeOrNull(o, 'last_used_at', path),
    user,
  };
};

export interface GiteaUser {
  id: number;
  login: string;
  full_name: string;
  is_admin: boolean;
  active: boolean;
  prohibit_login: boolean;
  created: string | null;
}

export const parseGiteaUser: Parser<GiteaUser> = (value, path) => {
  const o = readObject(value, path);
  const login = readString(o, 'login', path);
  if (login === '') throw badShape(`${path}.login`, 'a non-empty string', login);
  return {
    id: readNumber(o, 'id', path),
    login,
    full_name: readStringOrNull(o, 'full_name', path) ?? '',
    is_admin: readBooleanOrNull(o, 'is_admin', path) ?? false,
    active: readBooleanOrNull(o, 'active', path) ?? true,
    prohibit_login: readBooleanOrNull(o, 'prohibit_login', path) ?? false,
    created: timeOrNull(o, 'created', path),
  };
};

export const parseGiteaVersion: Parser<string> = (value, path) => readString(readObject(value, path), 'version', path);

export function giteaUserToModel(u: GiteaUser): User {
  return {
    id: String(u.id),
    username: u.login,
    display_name: u.full_name || u.login,
    active: u.active && !u.prohibit_login,
    kind: 'person',
    roles: u.is_admin ? ['site_admin'] : [],
    permissions: [],
    created_at: u.created,
  };
}

/**
 * Token → model. The id is Gitea's numeric id for the caller's own tokens and `login/id` for another
 * account's (site admins), so delete knows whose list the token is in without a lookup.
 */
export function giteaTokenToMeta(t: Pick<GiteaToken, 'id' | 'name' | 'scopes' | 'created_at' | 'last_used_at'> & { token_last_eight?: string }, owner: OwnerRef, mine: boolean): TokenMeta {
  // `last_used_at` is the row's update time: equal to (or before) the creation time means never used.
  const used = t.last_used_at !== null && (t.created_at === null || Date.parse(t.last_used_at) > Date.parse(t.created_at) + 1000);
  const last8 = t.token_last_eight ?? '';
  return {
    id: mine ? String(t.id) : `${owner.username}/${t.id}`,
    owner,
    name: t.name,
    description: '',
    created_at: t.created_at,
    created_by: null,
    updated_at: null,
    expires_at: null,
    scopes: [...t.scopes],
    status: 'active',
    last_used_at: used ? t.last_used_at : null,
    last_used_ip: null,
    last4: last8.length >= 4 ? last8.slice(-4) : null,
    ...(last8 !== '' ? { extra: { token_last_eight: last8 } } : {}),
  };
}

/** `Link: <…?page=3&limit=50>; rel="next"` → 3. */
export function nextPageFromLink(link: string | null): number | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (!m) continue;
    try {
      const page = Number(new URL(m[1]!, 'http://x').searchParams.get('page'));
      return Number.isInteger(page) && page > 0 ? page : null;
    } catch {
      return null;
    }
  }
  return null;
}
