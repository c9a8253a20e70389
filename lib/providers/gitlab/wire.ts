/**
 * GitLab's JSON (the OpenAPI v2 excerpt and notes in test/contracts/gitlab/) onto the model, and
 * its `YYYY-MM-DD` expiry dates. Exported for the OpenAPI tests.
 */
import { ProviderError } from '../../errors.ts';
import type { OwnerRef, TokenMeta, TokenStatus, User } from '../../model.ts';
import {
  badShape,
  listParser,
  readBooleanOrNull,
  readNumber,
  readNumberOrNull,
  readObject,
  readString,
  readStringListOrNull,
  readStringOrNull,
  type Json,
  type Parser,
} from '../../parse.ts';
import { GITLAB_ACCESS_LEVELS } from './catalog.ts';

/** Since 16.0 a token's lifetime defaults to (and is capped by) 365 days. */
export const MAX_LIFETIME_DAYS = 365;
/** Lifetime patkit asks for when a draft names none (GitLab would pick its maximum). */
export const DEFAULT_LIFETIME_DAYS = 30;

// ---------------------------------------------------------------------------------------------
// Shapes (exported for the OpenAPI tests)
// ---------------------------------------------------------------------------------------------

/** `API_Entities_PersonalAccessToken` / `ResourceAccessToken` (+ `…WithToken`), newer fields from the notes. */
export interface GitLabToken {
  id: number;
  name: string;
  description: string;
  revoked: boolean;
  active: boolean;
  created_at: string | null;
  /** `YYYY-MM-DD` (docs) or a date-time (2024 spec); `null` = never. */
  expires_at: string | null;
  scopes: string[];
  user_id: number;
  last_used_at: string | null;
  last_used_ips: string[];
  access_level: number | null;
  /** Only in the create and rotate answers. */
  token: string | null;
}

function timeOrNull(o: Json, key: string, path: string): string | null {
  const v = readStringOrNull(o, key, path);
  if (v === null || v === '') return null;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(ms)) throw badShape(`${path}.${key}`, 'a date, a time or null', v);
  return new Date(ms).toISOString();
}

export const parseGitLabToken: Parser<GitLabToken> = (value, path) => {
  const o = readObject(value, path);
  const id = readNumber(o, 'id', path);
  if (!Number.isInteger(id) || id <= 0) throw badShape(`${path}.id`, 'a positive integer', id);
  return {
    id,
    name: readString(o, 'name', path),
    description: readStringOrNull(o, 'description', path) ?? '',
    revoked: readBooleanOrNull(o, 'revoked', path) ?? false,
    active: readBooleanOrNull(o, 'active', path) ?? true,
    created_at: timeOrNull(o, 'created_at', path),
    // Tokens expire at midnight UTC on their date.
    expires_at: timeOrNull(o, 'expires_at', path),
    scopes: readStringListOrNull(o, 'scopes', path) ?? [],
    user_id: readNumberOrNull(o, 'user_id', path) ?? 0,
    last_used_at: timeOrNull(o, 'last_used_at', path),
    last_used_ips: readStringListOrNull(o, 'last_used_ips', path) ?? [],
    access_level: readNumberOrNull(o, 'access_level', path),
    token: readStringOrNull(o, 'token', path),
  };
};

export const parseGitLabTokenList: Parser<GitLabToken[]> = listParser(parseGitLabToken);

export interface GitLabUser {
  id: number;
  username: string;
  name: string;
  state: string;
  is_admin: boolean;
  bot: boolean;
  created_at: string | null;
}

export const parseGitLabUser: Parser<GitLabUser> = (value, path) => {
  const o = readObject(value, path);
  return {
    id: readNumber(o, 'id', path),
    username: readString(o, 'username', path),
    name: readStringOrNull(o, 'name', path) ?? '',
    state: readStringOrNull(o, 'state', path) ?? 'active',
    // `is_admin` is in the administrator view only: absent means "not known to be an admin".
    is_admin: readBooleanOrNull(o, 'is_admin', path) ?? false,
    // The 2024 spec types `bot` as a string; the docs send a boolean.
    bot: o['bot'] === true || o['bot'] === 'true',
    created_at: timeOrNull(o, 'created_at', path),
  };
};

export const parseGitLabUserList: Parser<GitLabUser[]> = listParser(parseGitLabUser);

export interface GitLabAssociations {
  groups: Array<{ id: number; name: string; parent_id: number | null; access_level: number }>;
  projects: Array<{ id: number; name: string; created_at: string | null; namespace_id: number | null; namespace_kind: string; namespace_name: string; access_level: number }>;
}

/** `GET /personal_access_tokens/self/associations`: the token's groups and projects with its access levels. */
export const parseGitLabAssociations: Parser<GitLabAssociations> = (value, path) => {
  const o = readObject(value, path);
  const list = (key: string): unknown[] => {
    const v = o[key];
    if (v == null) return [];
    if (!Array.isArray(v)) throw badShape(`${path}.${key}`, 'a list', v);
    return v;
  };
  return {
    groups: list('groups').map((g, i) => {
      const p = `${path}.groups[${i}]`;
      const x = readObject(g, p);
      return { id: readNumber(x, 'id', p), name: readString(x, 'name', p), parent_id: readNumberOrNull(x, 'parent_id', p), access_level: readNumberOrNull(x, 'access_levels', p) ?? 0 };
    }),
    projects: list('projects').map((g, i) => {
      const p = `${path}.projects[${i}]`;
      const x = readObject(g, p);
      const levels = x['access_levels'] == null ? {} : readObject(x['access_levels'], `${p}.access_levels`);
      const ns = x['namespace'] == null ? {} : readObject(x['namespace'], `${p}.namespace`);
      return {
        id: readNumber(x, 'id', p),
        name: readString(x, 'name', p),
        created_at: timeOrNull(x, 'created_at', p),
        namespace_id: readNumberOrNull(ns, 'id', `${p}.namespace`),
        namespace_kind: readStringOrNull(ns, 'kind', `${p}.namespace`) ?? 'group',
        namespace_name: readStringOrNull(ns, 'name', `${p}.namespace`) ?? '',
        access_level: Math.max(readNumberOrNull(levels, 'project_access_level', `${p}.access_levels`) ?? 0, readNumberOrNull(levels, 'group_access_level', `${p}.access_levels`) ?? 0),
      };
    }),
  };
};

export const parseGitLabMetadata: Parser<{ version: string; enterprise: boolean }> = (value, path) => {
  const o = readObject(value, path);
  return { version: readString(o, 'version', path), enterprise: readBooleanOrNull(o, 'enterprise', path) ?? false };
};

function statusOf(t: GitLabToken, now: number): TokenStatus {
  if (t.revoked) return 'disabled';
  if (!t.active || (t.expires_at !== null && Date.parse(t.expires_at) <= now)) return 'expired';
  return 'active';
}

/** Which list a token id belongs to: `42` (personal), `group:7:42`, `project:9:58`. */
export type TokenRef = { level: 'personal'; id: string } | { level: 'group' | 'project'; resource: string; id: string };

export function parseTokenRef(id: string): TokenRef {
  const m = /^(?:(group|project):(\d{1,18}):)?(\d{1,18})$/.exec(id);
  if (!m) throw new ProviderError('validation_failed', 'That is not a GitLab token id.', { fieldErrors: [{ field: 'id', message: 'Not a GitLab token id' }] });
  return m[1] ? { level: m[1] as 'group' | 'project', resource: m[2]!, id: m[3]! } : { level: 'personal', id: m[3]! };
}

export function gitlabTokenToMeta(t: GitLabToken, owner: OwnerRef, ref: { level: 'personal' } | { level: 'group' | 'project'; resource: string }, now: number = Date.now()): TokenMeta {
  const extra: Record<string, string | number | boolean | string[] | null> = { revoked: t.revoked };
  if (t.access_level !== null) {
    extra['access_level'] = t.access_level;
    extra['role'] = GITLAB_ACCESS_LEVELS[t.access_level] ?? String(t.access_level);
  }
  if (t.last_used_ips.length > 0) extra['last_used_ips'] = [...t.last_used_ips];
  return {
    id: ref.level === 'personal' ? String(t.id) : `${ref.level}:${ref.resource}:${t.id}`,
    owner,
    name: t.name,
    description: t.description,
    created_at: t.created_at,
    created_by: null,
    updated_at: null,
    expires_at: t.expires_at,
    scopes: [...t.scopes],
    status: statusOf(t, now),
    last_used_at: t.last_used_at,
    last_used_ip: t.last_used_ips[0] ?? null,
    last4: null,
    extra,
  };
}

export function gitlabUserToModel(u: GitLabUser): User {
  return {
    id: String(u.id),
    username: u.username,
    display_name: u.name || u.username,
    active: u.state === 'active',
    kind: u.bot ? 'technical' : 'person',
    roles: u.is_admin ? ['admin'] : [],
    permissions: [],
    created_at: u.created_at,
  };
}

function dateOnly(iso: string): string {
  return new Date(Date.parse(iso)).toISOString().slice(0, 10);
}

function inDays(days: number, now: number = Date.now()): string {
  return new Date(now + days * 86_400_000).toISOString().slice(0, 10);
}

/** A draft's expiry as GitLab's `YYYY-MM-DD` (required since 16.0; undefined → patkit's default). */
export function expiryDate(expires: string | null | undefined, what: string): string {
  if (expires === null) {
    throw new ProviderError('validation_failed', `GitLab ${what} must expire. Pick a date up to ${MAX_LIFETIME_DAYS} days ahead.`, { fieldErrors: [{ field: 'expires_at', message: 'Required on GitLab' }] });
  }
  if (expires === undefined) return inDays(DEFAULT_LIFETIME_DAYS);
  const ms = Date.parse(expires);
  if (!Number.isFinite(ms) || dateOnly(expires) <= inDays(0)) {
    throw new ProviderError('validation_failed', 'The expiry date must be after today.', { fieldErrors: [{ field: 'expires_at', message: 'After today' }] });
  }
  return dateOnly(expires);
}

/** A rotated token's new expiry: the old token's lifetime again (GitLab caps it at 365 days). */
export function rotatedExpiry(current: Pick<TokenMeta, 'created_at' | 'expires_at'>): string {
  let days = DEFAULT_LIFETIME_DAYS;
  if (current.expires_at && current.created_at) {
    days = Math.round((Date.parse(current.expires_at) - Date.parse(current.created_at)) / 86_400_000);
    days = Math.min(MAX_LIFETIME_DAYS, Math.max(1, days));
  }
  return inDays(days);
}
