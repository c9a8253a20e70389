/**
 * The leaked-token report, in the shape of GitHub's credential revocation API, over real
 * HTTP on the store the suite runs against: anyone may report, every matching token is disabled
 * (moments after the answer: docs/security.md rule 33; each check here waits for that deterministically)
 * and audited `token.reported_leaked` with the reporter's IP and never the secret, the answer is
 * the same 202 whether anything matched, bad input is a clear 400 that changes nothing, and each IP
 * is rate limited (through the shared quota counters, so every instance on PostgreSQL counts together).
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { assertProblem, call, createToken, startHarness, type Harness } from '../helpers.ts';
import { settleLeakReports } from './leak-report-support.ts';

let h: Harness;
const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) => call(h.url, method, path, options);
const works = async (secret: string) => (await api('GET', '/api/v1/users/me', { token: secret })).status;
const REPORT_LIMIT = 5;

before(async () => {
  h = await startHarness({ throttle: { leakReportPerIp: { max: REPORT_LIMIT, windowMs: 60_000 } } });
});
after(() => h.stop());

/**
 * A report sent from a chosen loopback address (the client socket bound with `localAddress`); resolves
 * once the server has also processed it (after its answer: docs/security.md rule 33).
 */
async function reportFrom(localAddress: string, body: unknown): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  const answer = await send(localAddress, body);
  await settleLeakReports(h);
  return answer;
}

function send(localAddress: string, body: unknown): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  const target = new URL(h.url);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method: 'POST',
        path: '/api/v1/credentials/revoke',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('POST /api/v1/credentials/revoke', () => {
  test('disables every matching token at once, without a credential; audited with the IP, never the secret', async () => {
    const a = await createToken(h, { name: 'leaked a' });
    const b = await createToken(h, { name: 'leaked b' });
    const kept = await createToken(h, { name: 'kept' });
    const r = await reportFrom('127.0.0.1', { credentials: [a.secret, 'ghp_notours', b.secret] });
    assert.equal(r.status, 202, r.text);
    assertProblem(await api('GET', '/api/v1/users/me', { token: a.secret }), 401, 'token_disabled');
    assertProblem(await api('GET', '/api/v1/users/me', { token: b.secret }), 401, 'token_disabled');
    assert.equal(await works(kept.secret), 200, 'other tokens are untouched');
    for (const { id, secret } of [a, b]) {
      assert.equal((await api('GET', `/api/v1/tokens/${id}`, { token: h.admin })).json.status, 'disabled');
      const events = await api('GET', `/api/v1/audit?token_id=${id}&action=token.reported_leaked`, { token: h.admin });
      assert.equal(events.json.items.length, 1);
      const event = events.json.items[0];
      assert.equal(event.ip, '127.0.0.1');
      assert.equal(event.actor, null);
      assert.ok(!events.text.includes(secret), 'the secret is not in the audit');
    }
    const all = await api('GET', '/api/v1/audit?action=token.reported_leaked&limit=200', { token: h.admin });
    assert.ok(!all.text.includes('ghp_notours'), 'not even a non-matching credential is recorded');
  });

  test('the old secret of a token in its grace period is a match too, and reporting ends the grace', async () => {
    const { id, secret: old } = await createToken(h);
    const rotated = await api('POST', `/api/v1/tokens/${id}/regenerate`, { token: h.admin, body: { grace_period_seconds: 600 } });
    assert.equal((await reportFrom('127.0.0.1', { credentials: [old] })).status, 202);
    const meta = await api('GET', `/api/v1/tokens/${id}`, { token: h.admin });
    assert.equal(meta.json.status, 'disabled');
    assert.equal(meta.json.rotation, null);
    assert.equal((await api('POST', `/api/v1/tokens/${id}/enable`, { token: h.admin, body: {} })).status, 200);
    assertProblem(await api('GET', '/api/v1/users/me', { token: old }), 401, 'unauthorized');
    assert.equal(await works(rotated.json.secret), 200);
  });

  test('the same 202 and body whether anything matched or not', async () => {
    const { secret } = await createToken(h);
    const match = await reportFrom('127.0.0.1', { credentials: [secret] });
    const miss = await reportFrom('127.0.0.1', { credentials: ['pat_' + 'A'.repeat(40)] });
    const foreign = await reportFrom('127.0.0.1', { credentials: ['glpat-whatever'] });
    for (const r of [match, miss, foreign]) {
      assert.equal(r.status, 202);
      assert.equal(r.text, match.text);
      assert.equal(r.headers['content-type'], match.headers['content-type']);
    }
  });

  test('bad input: clear 400, nothing changed', async () => {
    const { id, secret } = await createToken(h);
    const cases: unknown[] = [
      {},
      { credentials: secret },
      { credentials: [] },
      { credentials: [secret, 42] },
      { credentials: [secret, null] },
      { credentials: Array.from({ length: 1001 }, (_, i) => (i === 0 ? secret : `pat_x${i}`)) },
      { credentials: [secret], extra: true },
      [secret],
    ];
    for (const body of cases) {
      const r = await reportFrom('127.0.0.4', body);
      assert.equal(r.status, 400, `${JSON.stringify(body).slice(0, 80)} → ${r.status} ${r.text.slice(0, 200)}`);
      assert.equal(JSON.parse(r.text).code, 'validation_failed');
    }
    assert.equal(await works(secret), 200, 'the token still works');
    assert.equal((await api('GET', `/api/v1/audit?token_id=${id}&action=token.reported_leaked`, { token: h.admin })).json.items.length, 0);
    // 1,000 is allowed.
    const many = Array.from({ length: 1000 }, (_, i) => (i === 999 ? secret : `pat_x${i}`));
    assert.equal((await reportFrom('127.0.0.5', { credentials: many })).status, 202);
    assertProblem(await api('GET', '/api/v1/users/me', { token: secret }), 401, 'token_disabled');
  });

  test('rate limited per IP: 429 with Retry-After, nothing disabled; another IP is unaffected', async () => {
    const { secret } = await createToken(h);
    for (let i = 0; i < REPORT_LIMIT; i++) assert.equal((await reportFrom('127.0.0.3', { credentials: ['pat_nothing'] })).status, 202);
    const limited = await reportFrom('127.0.0.3', { credentials: [secret] });
    assert.equal(limited.status, 429);
    assert.equal(JSON.parse(limited.text).code, 'rate_limited');
    assert.ok(Number(limited.headers['retry-after']) > 0);
    assert.equal(await works(secret), 200, 'a throttled report disables nothing');
    assert.equal((await reportFrom('127.0.0.2', { credentials: [secret] })).status, 202);
    assertProblem(await api('GET', '/api/v1/users/me', { token: secret }), 401, 'token_disabled');
  });
});
