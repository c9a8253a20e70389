/**
 * The npm token API's JSON (`/-/npm/v1/tokens`, `/-/whoami`, the `npm login` answer) onto the
 * model, and the masked previews registries show instead of a token.
 */
import type { OwnerRef, TokenMeta } from '../../model.ts';
import { badShape, readBooleanOrNull, readObject, readString, readStringListOrNull, readStringOrNull, type Json, type Parser } from '../../parse.ts';

/** One token as the registry describes it; `token` is masked in lists and whole only on create. */
export interface NpmToken {
  key: string;
  token: string;
  user: string | null;
  readonly: boolean;
  cidr_whitelist: string[];
  created: string | null;
  updated: string | null;
}

function time(o: Json, key: string, path: string): string | null {
  const v = readStringOrNull(o, key, path);
  if (v === null || v === '') return null;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export const parseNpmToken: Parser<NpmToken> = (value, path) => {
  const o = readObject(value, path);
  const key = readString(o, 'key', path);
  if (key === '') throw badShape(`${path}.key`, 'a non-empty string', key);
  const readonly = readBooleanOrNull(o, 'readonly', path);
  return {
    key,
    token: readStringOrNull(o, 'token', path) ?? '',
    user: readStringOrNull(o, 'user', path),
    readonly: readonly === true,
    // registry.npmjs.org says `cidr_whitelist`; Verdaccio answers `cidr`.
    cidr_whitelist: readStringListOrNull(o, 'cidr_whitelist', path) ?? readStringListOrNull(o, 'cidr', path) ?? [],
    created: time(o, 'created', path),
    updated: time(o, 'updated', path),
  };
};

export interface NpmTokenPage {
  objects: NpmToken[];
  next: string | null;
}

export const parseNpmTokenPage: Parser<NpmTokenPage> = (value, path) => {
  const o = readObject(value, path);
  const objects = o['objects'];
  if (!Array.isArray(objects)) throw badShape(`${path}.objects`, 'a list', objects);
  const urls = o['urls'] == null ? {} : readObject(o['urls'], `${path}.urls`);
  const next = readStringOrNull(urls, 'next', `${path}.urls`);
  return { objects: objects.map((item, i) => parseNpmToken(item, `${path}.objects[${i}]`)), next: next || null };
};

export const parseWhoami: Parser<string | null> = (value, path) => {
  const o = readObject(value, path);
  const username = readStringOrNull(o, 'username', path);
  return username || null;
};

export const parseLogin: Parser<string> = (value, path) => {
  const token = readString(readObject(value, path), 'token', path);
  if (token === '') throw badShape(`${path}.token`, 'a non-empty string', token);
  return token;
};

/** The visible part of a masked token (`MmJkN...lZTg=`), for telling tokens apart. */
function tokenLabel(t: NpmToken): string {
  return t.token !== '' ? t.token : `${t.key.slice(0, 8)}…`;
}

export function npmTokenToMeta(t: NpmToken, owner: OwnerRef): TokenMeta {
  return {
    id: t.key,
    owner,
    name: tokenLabel(t),
    description: '',
    created_at: t.created,
    created_by: null,
    updated_at: t.updated,
    expires_at: null,
    scopes: [],
    status: 'active',
    last_used_at: null,
    last_used_ip: null,
    last4: null,
    extra: { readonly: t.readonly, cidr_whitelist: [...t.cidr_whitelist], token_preview: tokenLabel(t) },
    allowed_ips: [...t.cidr_whitelist],
  };
}

/** SHA-512 of the value as lowercase hex (Web Crypto: pages, service workers and Node alike). */
export async function sha512Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-512', new TextEncoder().encode(value));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Does a masked preview (`abcde...vwxyz`, at least 4 characters each side) fit the value? */
export function previewMatches(preview: string, value: string): boolean {
  const m = /^(.{4,})\.\.\.(.{4,})$/.exec(preview);
  return !!m && value.length > m[1]!.length + m[2]!.length && value.startsWith(m[1]!) && value.endsWith(m[2]!);
}
