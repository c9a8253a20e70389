/**
 * Secret credential formats: personal access tokens (`pat_…`) and session credentials (`pks_…`).
 * Pure functions, no I/O: a malformed credential is rejected here, before any database access
 * (docs/security.md rules 1–3).
 */
import { createHmac, createSecretKey, hash, randomBytes, type KeyObject } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { PATKIT_TOKEN_PATTERN } from '../../lib/model.ts';

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const TOKEN_PREFIX = 'pat_';
export const SESSION_PREFIX = 'pks_';
/** Random part length: 30 × log2(62) ≈ 178 bits of entropy. */
export const RANDOM_LENGTH = 30;
export const CHECKSUM_LENGTH = 6;
/** The published pattern (README, OpenAPI) for secret scanners. */
export const TOKEN_PATTERN_SOURCE = PATKIT_TOKEN_PATTERN.source;
const CREDENTIAL_SHAPE = /^(pat|pks)_([0-9A-Za-z]{30})([0-9A-Za-z]{6})$/;

/** Uniform base62 characters from the CSPRNG (rejection sampling, so no modulo bias). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    const bytes = randomBytes(length * 2);
    for (const byte of bytes) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** CRC32 of the random part, base62, left-padded to 6 characters (62^6 > 2^32). */
export function checksum(randomPart: string): string {
  let value = crc32(randomPart);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

function generate(prefix: string): string {
  const randomPart = randomBase62(RANDOM_LENGTH);
  return prefix + randomPart + checksum(randomPart);
}

export function generateToken(): string {
  return generate(TOKEN_PREFIX);
}

export function generateSessionCredential(): string {
  return generate(SESSION_PREFIX);
}

export type CredentialKind = 'pat' | 'session';

/** The credential's kind when its prefix, length, alphabet and checksum are right; otherwise null. */
export function credentialKind(value: string): CredentialKind | null {
  if (value.length !== 40) return null;
  const match = CREDENTIAL_SHAPE.exec(value);
  if (!match) return null;
  const [, prefix, randomPart, check] = match;
  if (checksum(randomPart!) !== check) return null;
  return prefix === 'pat' ? 'pat' : 'session';
}

/** The pepper as a KeyObject: HMAC with a prepared key is ~5× faster than with raw bytes. */
export function pepperKey(pepper: Buffer): KeyObject {
  return createSecretKey(pepper);
}

/**
 * Keyed digest stored instead of the secret; lookups are by this digest (docs/security.md rule 3).
 * HMAC-SHA256 as RFC 2104 defines it, H((K ^ opad) || H((K ^ ipad) || m)), with the padded keys
 * prepared once per pepper: `createHmac` sets up an OpenSSL MAC context (and looks the digest up
 * in its provider) for every call, which was the largest single cost of a verified request.
 * Messages longer than the prepared room (never a credential) take `createHmac`.
 */
export function digestCredential(pepper: KeyObject, credential: string): Buffer {
  const pads = padsOf(pepper);
  const length = Buffer.byteLength(credential, 'utf8');
  if (length > MESSAGE_ROOM) return createHmac('sha256', pepper).update(credential, 'utf8').digest();
  pads.inner.write(credential, SHA256_BLOCK, 'utf8');
  hash('sha256', pads.inner.subarray(0, SHA256_BLOCK + length), 'buffer').copy(pads.outer, SHA256_BLOCK);
  return hash('sha256', pads.outer, 'buffer');
}

const SHA256_BLOCK = 64;
/** Room after the inner pad: a credential is 40 characters; anything up to this is digested here. */
const MESSAGE_ROOM = 256;

interface Pads {
  /** K ^ ipad, then room for the message. */
  readonly inner: Buffer;
  /** K ^ opad, then the inner hash (32 bytes). */
  readonly outer: Buffer;
}

const padsByPepper = new WeakMap<KeyObject, Pads>();

function padsOf(pepper: KeyObject): Pads {
  let pads = padsByPepper.get(pepper);
  if (pads === undefined) {
    let key = pepper.export();
    // RFC 2104: a key longer than the block is hashed first; a shorter one is padded with zeros.
    if (key.length > SHA256_BLOCK) key = hash('sha256', key, 'buffer');
    const inner = Buffer.alloc(SHA256_BLOCK + MESSAGE_ROOM);
    const outer = Buffer.alloc(SHA256_BLOCK + 32);
    for (let i = 0; i < SHA256_BLOCK; i++) {
      inner[i] = (key[i] ?? 0) ^ 0x36;
      outer[i] = (key[i] ?? 0) ^ 0x5c;
    }
    pads = { inner, outer };
    padsByPepper.set(pepper, pads);
  }
  return pads;
}

export function last4(credential: string): string {
  return credential.slice(-4);
}

/** Public, non-secret ids (`tok_…`, `usr_…`), independent of any secret. */
export function publicId(prefix: string): string {
  return `${prefix}_${randomBase62(16)}`;
}

/** A new token secret with what is stored of it: the peppered digest and the last four characters. */
export function issueTokenSecret(pepper: KeyObject): { secret: string; digest: Buffer; last4: string } {
  const secret = generateToken();
  return { secret, digest: digestCredential(pepper, secret), last4: last4(secret) };
}
