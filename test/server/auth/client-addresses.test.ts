/**
 * Which client a request is counted for: throttle state cannot be flushed (docs/security.md rule 29)
 * and client addresses cannot be forged (rule 32). `X-Forwarded-For` is ignored unless the socket's
 * peer is a configured trusted proxy; then the rightmost address that is not a trusted proxy is the
 * client, for throttling, recent uses and the audit log alike. IPv6 clients are counted by /64.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildServer } from '../../../server/app.ts';
import { addressBucket } from '../../../server/auth/client-address.ts';
import { FailurePolicy, MemoryFailureCounters } from '../../../server/auth/throttle.ts';
import { generateToken } from '../../../server/auth/credentials.ts';
import { killAllServers, runServer, spawnServer } from '../../support/spawn-server.ts';
import { assertProblem, call, createToken, startHarness, type Harness } from '../helpers.ts';

describe('throttle memory cannot be flushed', () => {
  // The counters and policies as the SQLite store and the server wire them (one memory store shared
  // by every policy); the flood's addresses are passed in directly, since 100,000 distinct client
  // addresses cannot be opened over loopback within a test.
  const window = { windowMs: 15 * 60_000 };
  const wired = () => {
    const counters = new MemoryFailureCounters();
    return {
      signIn: new FailurePolicy('sign_in', { max: 30, ...window }, { max: 3, ...window }, counters),
      token: new FailurePolicy('token', { max: 100, ...window }, { max: 100, ...window }, counters),
    };
  };
  const address = (i: number) => `10.${(i >> 16) & 0xff}.${(i >> 8) & 0xff}.${i & 0xff}`;

  test("100,001 bad bearer tokens from distinct addresses do not reset an account's sign-in lockout", async () => {
    const { signIn, token } = wired();
    for (let i = 0; i < 3; i++) await signIn.fail('192.0.2.1', 'usr_victim');
    assert.ok((await signIn.retryAfter('198.51.100.1', 'usr_victim')) > 0, 'locked before the flood');
    for (let i = 0; i <= 100_000; i++) await token.fail(address(i), null);
    assert.ok((await signIn.retryAfter('198.51.100.1', 'usr_victim')) > 0, 'still locked after the flood');
  });

  test("100,001 failed sign-ins for unknown names from distinct addresses do not reset a real account's lockout", async () => {
    const { signIn } = wired();
    for (let i = 0; i < 3; i++) await signIn.fail('192.0.2.1', 'usr_victim');
    for (let i = 0; i <= 100_000; i++) await signIn.fail(address(i), { name: `nobody-${i}` });
    assert.ok((await signIn.retryAfter('198.51.100.1', 'usr_victim')) > 0);
  });

  test('addresses are counted by bucket: an IPv6 address by its /64, an IPv4-mapped one as its IPv4', () => {
    assert.equal(addressBucket('2001:db8:1:2::a'), addressBucket('2001:0db8:0001:0002:ffff:ffff:ffff:ffff'));
    assert.notEqual(addressBucket('2001:db8:1:2::a'), addressBucket('2001:db8:1:3::a'));
    assert.equal(addressBucket('::ffff:198.51.100.9'), '198.51.100.9');
    assert.equal(addressBucket('198.51.100.9'), '198.51.100.9');
    assert.notEqual(addressBucket('198.51.100.9'), addressBucket('198.51.100.10'));
  });
});

describe('X-Forwarded-For without a trusted proxy (the default)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ throttle: { tokenPerIp: { max: 5, windowMs: 60_000 } } });
  });
  after(() => h.stop());

  test('a forged X-Forwarded-For is ignored: throttling, recent uses and the audit log see the socket address', async () => {
    const { id, secret } = await createToken(h);
    for (let i = 0; i < 5; i++) {
      const forged = { 'x-forwarded-for': `203.0.113.${i + 1}` };
      assertProblem(await call(h.url, 'GET', '/api/v1/users/me', { token: generateToken(), headers: forged }), 401, 'unauthorized');
    }
    // Five different forged addresses were one client: it is now blocked, whatever it claims.
    assertProblem(await call(h.url, 'GET', '/api/v1/users/me', { token: secret, headers: { 'x-forwarded-for': '203.0.113.99' } }), 429, 'rate_limited');
    h.clock.offsetMs = 61_000;
    try {
      const audit = await call(h.url, 'GET', '/api/v1/audit?action=token.verification_failed', { token: h.admin });
      assert.equal(audit.json.items.length, 5);
      assert.deepEqual([...new Set(audit.json.items.map((e: { ip: string }) => e.ip))], ['127.0.0.1']);
      assert.equal((await call(h.url, 'GET', '/api/v1/users/me', { token: secret, headers: { 'x-forwarded-for': '203.0.113.7' } })).status, 200);
      const token = await call(h.url, 'GET', `/api/v1/tokens/${id}`, { token: h.admin });
      assert.deepEqual(token.json.recent_uses.map((u: { ip: string }) => u.ip), ['127.0.0.1']);
    } finally {
      h.clock.offsetMs = 0;
    }
  });
});

describe('behind a trusted proxy (trustedProxies: loopback and 10.0.0.0/8)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ trustedProxies: ['127.0.0.1', '10.0.0.0/8'], throttle: { tokenPerIp: { max: 3, windowMs: 60_000 } } });
  });
  after(() => h.stop());
  const me = (token: string, forwardedFor: string) => call(h.url, 'GET', '/api/v1/users/me', { token, headers: { 'x-forwarded-for': forwardedFor } });

  test('the client is the rightmost forwarded address that is not a trusted proxy, in recent uses and the audit log', async () => {
    const { id, secret } = await createToken(h);
    // What the client claims (198.51.100.66), then what the proxies saw (203.0.113.5, then 10.1.2.3).
    assertProblem(await me(generateToken(), '198.51.100.66, 203.0.113.5, 10.1.2.3'), 401, 'unauthorized');
    assert.equal((await me(secret, '198.51.100.66, 203.0.113.5, 10.1.2.3')).status, 200);
    const token = await call(h.url, 'GET', `/api/v1/tokens/${id}`, { token: h.admin });
    assert.deepEqual(token.json.recent_uses.map((u: { ip: string }) => u.ip), ['203.0.113.5']);
    const audit = await call(h.url, 'GET', '/api/v1/audit?action=token.verification_failed', { token: h.admin });
    assert.equal(audit.json.items[0].ip, '203.0.113.5');
  });

  test("a valid token behind the proxy is not blocked by other clients' bad tokens", async () => {
    const { secret } = await createToken(h);
    for (let i = 0; i < 3; i++) assertProblem(await me(generateToken(), '198.51.100.1'), 401, 'unauthorized');
    assertProblem(await me(secret, '198.51.100.1'), 429, 'rate_limited');
    assert.equal((await me(secret, '198.51.100.2')).status, 200, 'another client behind the same proxy');
    assert.equal((await call(h.url, 'GET', '/api/v1/users/me', { token: secret })).status, 200, 'the proxy itself, without a forwarded address');
  });

  test('IPv6 clients in one /64 share one bucket; the audit log keeps the full address', async () => {
    const { secret } = await createToken(h);
    for (const client of ['2001:db8:1:2::a', '2001:db8:1:2::b', '2001:db8:1:2:ffff::1']) assertProblem(await me(generateToken(), client), 401, 'unauthorized');
    assertProblem(await me(secret, '2001:db8:1:2::c'), 429, 'rate_limited');
    assert.equal((await me(secret, '2001:db8:1:3::1')).status, 200, 'the next /64 is another client');
    const audit = await call(h.url, 'GET', '/api/v1/audit?action=token.verification_failed', { token: h.admin });
    assert.equal(audit.json.items[0].ip, '2001:db8:1:2:ffff::1');
    // An IPv4-mapped IPv6 address is the IPv4 client it wraps.
    for (let i = 0; i < 3; i++) assertProblem(await me(generateToken(), '::ffff:198.51.100.9'), 401, 'unauthorized');
    assertProblem(await me(secret, '198.51.100.9'), 429, 'rate_limited');
  });
});

test('a trusted-proxy entry that is not an address or CIDR range stops start-up with a clear message, before anything is created', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'patkit-proxies-'));
  try {
    await assert.rejects(buildServer({ dataDir, consoleDir: null, trustedProxies: ['10.0.0.0/8', 'proxy.internal'] }), /PATKIT_TRUSTED_PROXIES: "proxy.internal" is not an IP address or a CIDR range/);
    await assert.rejects(buildServer({ dataDir, consoleDir: null, trustedProxies: ['10.0.0.0/40'] }), /"10\.0\.0\.0\/40"/);
    assert.deepEqual(await readdir(dataDir), []);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('PATKIT_TRUSTED_PROXIES sets the trusted proxies of `node server/main.ts`; a wrong entry stops it with that message', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'patkit-proxies-env-'));
  try {
    const refused = await runServer({ dataDir, env: { PATKIT_TRUSTED_PROXIES: '127.0.0.1, proxy.internal' } });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /PATKIT_TRUSTED_PROXIES: "proxy.internal" is not an IP address or a CIDR range/);
    const server = await spawnServer({ dataDir, env: { PATKIT_TRUSTED_PROXIES: '127.0.0.1', PATKIT_ADMIN_PASSWORD: 'proxies-admin-password' } });
    try {
      const forwarded = { 'x-forwarded-for': '203.0.113.8' };
      assertProblem(await call(server.url, 'POST', '/api/v1/sessions', { body: { username: 'admin', password: 'wrong' }, headers: forwarded }), 401, 'invalid_credentials');
      const admin = (await call(server.url, 'POST', '/api/v1/sessions', { body: { username: 'admin', password: 'proxies-admin-password' } })).json.credential;
      const audit = await call(server.url, 'GET', '/api/v1/audit?action=session.sign_in_failed', { token: admin });
      assert.deepEqual(audit.json.items.map((e: { ip: string }) => e.ip), ['203.0.113.8']);
    } finally {
      await server.stop();
    }
  } finally {
    killAllServers();
    await rm(dataDir, { recursive: true, force: true });
  }
});
