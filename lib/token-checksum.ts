/**
 * The checksum at the end of a patkit token (`pat_` + 30 random base62 + 6 base62 of the random
 * part's CRC32), computed without Node so browsers can tell a mistyped value from a value of
 * another format before sending it anywhere.
 */
import { PATKIT_TOKEN_PATTERN } from './model.ts';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_LENGTH = 30;

/** CRC-32 (IEEE 802.3, the one zlib computes) of ASCII text. */
function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    crc ^= text.charCodeAt(i) & 0xff;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** The 6-character checksum of a 30-character random part, as the server writes it. */
export function patkitChecksum(randomPart: string): string {
  let value = crc32(randomPart);
  let out = '';
  for (let i = 0; i < 6; i++) {
    out = BASE62[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

/**
 * What a value is, as a patkit token: `malformed` (not its shape: prefix, length, alphabet),
 * `bad-checksum` (its shape, but mistyped, cut and re-typed, or of another product), or `ok`.
 */
export function patkitTokenForm(value: string): 'malformed' | 'bad-checksum' | 'ok' {
  if (!PATKIT_TOKEN_PATTERN.test(value)) return 'malformed';
  const body = value.slice(4);
  return patkitChecksum(body.slice(0, RANDOM_LENGTH)) === body.slice(RANDOM_LENGTH) ? 'ok' : 'bad-checksum';
}
