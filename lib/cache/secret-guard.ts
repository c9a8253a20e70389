/**
 * The cache holds metadata only (docs/security.md rule 19). This guard refuses, before anything is
 * written, a record that carries a secret: a field whose name says credential (`secret`, `token`,
 * `password`, …) or a string shaped like a token patkit knows. The types say the same up front
 * ({@link MetadataOnly}); the runtime check catches what the types cannot (JSON from elsewhere,
 * `as` casts, another provider's raw object).
 */
import type { TokenMeta } from '../model.ts';

/** A value of `T` that provably has no secret-bearing field. */
export type MetadataOnly<T> = T & {
  secret?: never;
  token?: never;
  credential?: never;
  password?: never;
  access_token?: never;
};

/** What the cache accepts: token metadata and nothing that could hold a secret. */
export type CacheableToken = MetadataOnly<TokenMeta>;

const SECRET_KEYS = new Set([
  'secret',
  'token',
  'credential',
  'password',
  'access_token',
  'refresh_token',
  'api_key',
  'apikey',
  'authorization',
]);

/** patkit PATs and sessions, npm automation/granular tokens, GitHub-style PATs, JWTs. */
const SECRET_VALUE = /\b(?:pat|pks)_[0-9A-Za-z]{20,}|\bnpm_[0-9A-Za-z]{36}\b|\bgh[pousr]_[0-9A-Za-z]{36}\b|\beyJ[0-9A-Za-z_-]{10,}\.[0-9A-Za-z_-]{10,}\./;

export class SecretRefusedError extends Error {
  /** Where in the record the secret was found, e.g. `extra.token`. Never the secret itself. */
  readonly path: string;
  constructor(path: string) {
    super(`Refusing to cache a record that carries a secret (at "${path}"): the cache holds metadata only.`);
    this.name = 'SecretRefusedError';
    this.path = path;
  }
}

function walk(value: unknown, path: string, depth: number): void {
  if (typeof value === 'string') {
    if (SECRET_VALUE.test(value)) throw new SecretRefusedError(path);
    return;
  }
  if (typeof value !== 'object' || value === null || depth > 6) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, `${path}[${i}]`, depth + 1));
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const at = path === '' ? key : `${path}.${key}`;
    if (SECRET_KEYS.has(key.toLowerCase()) && item !== undefined && item !== null && item !== '') {
      throw new SecretRefusedError(at);
    }
    walk(item, at, depth + 1);
  }
}

/** Throws {@link SecretRefusedError} when `value` carries a secret; returns it unchanged otherwise. */
export function assertNoSecret<T>(value: T): T {
  walk(value, '', 0);
  return value;
}

export function carriesSecret(value: unknown): boolean {
  try {
    walk(value, '', 0);
    return false;
  } catch (error) {
    if (error instanceof SecretRefusedError) return true;
    throw error;
  }
}
