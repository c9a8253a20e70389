/** docs/security.md rules 1–3: token format, checksum, rejection before any database access. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PATKIT_TOKEN_PATTERN } from '../../../lib/model.ts';
import { createHmac, createSecretKey, randomBytes } from 'node:crypto';
import { checksum, credentialKind, digestCredential, generateSessionCredential, generateToken, RANDOM_LENGTH } from '../../../server/auth/credentials.ts';
import { SqliteStore } from '../../../server/store/sqlite/sqlite-store.ts';
import type { Store } from '../../../server/store/store.ts';
import { assertProblem, call, createToken, startHarness, type Harness } from '../helpers.ts';

describe('the stored digest (rule 3)', () => {
  test('is HMAC-SHA256 with the pepper, for every key length and message, whatever was digested before', () => {
    for (const keyLength of [16, 32, 63, 64, 65, 100, 200]) {
      const raw = randomBytes(keyLength);
      const pepper = createSecretKey(raw);
      // Long before short: the prepared buffers must not leak one message's tail into the next.
      for (const message of ['x'.repeat(1000), 'é'.repeat(129), 'y'.repeat(257), 'z'.repeat(256), generateToken(), '', 'a', 'ü', 'b'.repeat(63), 'c'.repeat(64), 'd'.repeat(65), generateSessionCredential()]) {
        const expected = createHmac('sha256', raw).update(message, 'utf8').digest('hex');
        assert.equal(digestCredential(pepper, message).toString('hex'), expected, `key ${keyLength} bytes, message ${message.length} characters`);
      }
    }
  });

  test('another pepper gives another digest of the same secret', () => {
    const token = generateToken();
    assert.notEqual(digestCredential(createSecretKey(randomBytes(32)), token).toString('hex'), digestCredential(createSecretKey(randomBytes(32)), token).toString('hex'));
  });
});

describe('token format (rule 1)', () => {
  test('pat_ + 30 base62 + 6-char base62 CRC32, matching the published pattern', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const token = generateToken();
      assert.match(token, PATKIT_TOKEN_PATTERN);
      assert.match(token, /^pat_[0-9A-Za-z]{36}$/);
      assert.equal(checksum(token.slice(4, 4 + RANDOM_LENGTH)), token.slice(-6));
      assert.equal(credentialKind(token), 'pat');
      seen.add(token);
    }
    assert.equal(seen.size, 2000, 'no collisions');
    // 30 base62 characters carry > 128 bits.
    assert.ok(RANDOM_LENGTH * Math.log2(62) >= 128);
  });

  test('characters are spread over the whole alphabet (no modulo bias toward the start)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) for (const c of generateToken().slice(4, 34)) counts.set(c, (counts.get(c) ?? 0) + 1);
    assert.equal(counts.size, 62);
    const expected = (4000 * 30) / 62;
    for (const n of counts.values()) assert.ok(Math.abs(n - expected) < expected * 0.15, `count ${n} vs ${expected}`);
  });

  test('wrong prefix, length, alphabet or checksum is not a credential', () => {
    const token = generateToken();
    const flipped = token.slice(0, 10) + (token[10] === 'a' ? 'b' : 'a') + token.slice(11);
    for (const bad of [
      flipped,
      'pak_' + token.slice(4),
      token.slice(0, -1),
      token + 'x',
      token.slice(0, 20) + '-' + token.slice(21),
      'PAT_' + token.slice(4),
      '',
      token.slice(0, -6) + 'zzzzzz',
    ]) {
      assert.equal(credentialKind(bad), null, bad);
    }
    assert.equal(credentialKind(generateSessionCredential()), 'session');
  });
});

describe('rejection before any database access (rule 2)', () => {
  let h: Harness;
  let dataDir: string;
  const calls: string[] = [];
  let counting = false;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'patkit-rule2-'));
    const real = new SqliteStore(dataDir);
    // Every Store method call is recorded while `counting` is on.
    const watched = new Proxy(real, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (counting) calls.push(String(property));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as Store;
    h = await startHarness({ dataDir, store: watched });
  });
  after(async () => {
    await h.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('malformed tokens get 401 malformed_token and the store is never called', async () => {
    const { secret } = await createToken(h);
    const badChecksum = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
    const cases = [badChecksum, 'pat_short', secret + 'A', 'ghp_' + secret.slice(4), secret.replace('pat_', 'pat-'), 'x'.repeat(300)];
    counting = true;
    try {
      for (const bad of cases) {
        const r = await call(h.url, 'GET', '/api/v1/users/me', { token: bad });
        assertProblem(r, 401, 'malformed_token');
      }
    } finally {
      counting = false;
    }
    assert.deepEqual(calls, []);
  });

  test('control: a well-formed token does reach the store (the proxy sees calls)', async () => {
    const { secret } = await createToken(h);
    counting = true;
    try {
      const r = await call(h.url, 'GET', '/api/v1/users/me', { token: secret });
      assert.equal(r.status, 200);
    } finally {
      counting = false;
    }
    assert.ok(calls.includes('findTokenForVerification'), calls.join(','));
  });

  test('the token path makes one lookup per request and writes last use once a minute, not per request', async () => {
    const { secret } = await createToken(h);
    calls.length = 0;
    counting = true;
    try {
      for (let i = 0; i < 30; i++) assert.equal((await call(h.url, 'GET', '/api/v1/users/me', { token: secret })).status, 200);
    } finally {
      counting = false;
    }
    const count = (name: string) => calls.filter((c) => c === name).length;
    assert.equal(count('touchToken'), 1, calls.join(','));
    assert.equal(count('findTokenForVerification'), 30);
    const writes = calls.filter((c) => !['findTokenForVerification', 'touchToken'].includes(c));
    assert.deepEqual(writes, [], 'no other store call on the verification path');
  });
});

describe('constant-time comparison of secrets (rule 4)', () => {
  test('secrets are compared only by indexed lookup or crypto.timingSafeEqual', async () => {
    const { readFile, readdir } = await import('node:fs/promises');
    const dir = new URL('../../../server/', import.meta.url);
    const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.ts'));
    const offenders: string[] = [];
    for (const file of files) {
      const source = await readFile(new URL(file, dir), 'utf8');
      source.split('\n').forEach((line, i) => {
        // An equality test on a secret-bearing value (hash, digest, secret, password, credential).
        if (/\b\w*(hash|digest|secret|password|credential)\w*\s*[!=]==?\s*[\w'"`]/i.test(line) && !/=== (undefined|null|'')|!== (undefined|null|'')|typeof|\.length|kind|mode/.test(line)) {
          offenders.push(`${file}:${i + 1}: ${line.trim()}`);
        }
        if (/\b(actual|expected|\w*(hash|digest|secret|password|credential)\w*)\.equals\(|Buffer\.compare\(/i.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(offenders, []);
    const passwords = await readFile(new URL('auth/passwords.ts', dir), 'utf8');
    assert.match(passwords, /timingSafeEqual\(actual, expected\)/);
  });
});
