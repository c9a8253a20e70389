/** lib/token-checksum.ts agrees with the server's own generator (node:zlib CRC32) and tells shape from checksum. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checksum, generateToken } from '../../server/auth/credentials.ts';
import { patkitChecksum, patkitTokenForm } from '../../lib/token-checksum.ts';

test('the checksum matches the server on many generated tokens', () => {
  for (let i = 0; i < 500; i++) {
    const token = generateToken();
    assert.equal(patkitTokenForm(token), 'ok', token);
    const randomPart = token.slice(4, 34);
    assert.equal(patkitChecksum(randomPart), checksum(randomPart));
  }
});

test('one mistyped character is a bad checksum; another shape is malformed', () => {
  const token = generateToken();
  const flip = (c: string): string => (c === 'a' ? 'b' : 'a');
  for (const at of [4, 20, 33, 34, 39]) {
    const typo = token.slice(0, at) + flip(token[at]!) + token.slice(at + 1);
    assert.equal(patkitTokenForm(typo), 'bad-checksum', `typo at ${at}`);
  }
  for (const value of ['', 'pat_short', `${token}x`, `ghp_${token.slice(4)}`, `pat_${'-'.repeat(36)}`]) {
    assert.equal(patkitTokenForm(value), 'malformed', value);
  }
});
