/**
 * Leak reports under attack, over real HTTP on the store the suite runs against (SQLite, or
 * PostgreSQL with `npm run test:server:postgres`):
 * - the per-IP quota holds against a burst of concurrent reports (docs/security.md rule 28): taking a
 *   use and testing the limit are one step, one SQL statement on PostgreSQL;
 * - the answer does not wait for the matching work (docs/security.md rule 33): with the queue held,
 *   a report of a live token is answered while that token still works and before the store has been
 *   asked to match anything, exactly as a report that matches nothing. Structural, so it cannot be
 *   flaky the way a timing comparison on a shared machine would be (bench/RESULTS.md has the figures).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateToken } from '../../../server/auth/credentials.ts';
import { PostgresStore } from '../../../server/store/postgres/postgres-store.ts';
import { SqliteStore } from '../../../server/store/sqlite/sqlite-store.ts';
import type { Store } from '../../../server/store/store.ts';
import { call, createToken, dropTestDatabase, newTestDatabase, startHarness, type Answer, type Harness } from '../helpers.ts';
import { settleLeakReports } from './leak-report-support.ts';

let h: Harness;
let real: Store;
let dataDir: string;
let databaseUrl: string | null;
/** Store methods called while `watching` is on, in order. */
const calls: string[] = [];
let watching = false;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'patkit-leak-queue-'));
  databaseUrl = await newTestDatabase();
  real = databaseUrl === null ? new SqliteStore(dataDir) : await PostgresStore.open(databaseUrl);
  // Every Store method call is recorded while `watching` is on; everything goes to the real store.
  const store = new Proxy(real, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (watching) calls.push(String(key));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  // The default limit: 30 reports per IP per hour.
  h = await startHarness({ store, dataDir, keepDataDir: true });
});
after(async () => {
  await h.stop();
  await real.close();
  await dropTestDatabase(databaseUrl);
  await rm(dataDir, { recursive: true, force: true });
});

const report = (credentials: string[], headers: Record<string, string> = {}) => call(h.url, 'POST', '/api/v1/credentials/revoke', { body: { credentials }, headers });
const works = async (secret: string) => (await call(h.url, 'GET', '/api/v1/users/me', { token: secret })).status === 200;

describe('leak reports under a burst (docs/security.md rule 28)', () => {
  test('80 concurrent reports from one address against the limit of 30: exactly 30 accepted', async () => {
    const answers = await Promise.all(Array.from({ length: 80 }, (_, i) => report([`pat_burst${i}`])));
    const statuses = answers.map((a) => a.status);
    assert.equal(statuses.filter((s) => s === 202).length, 30, `202s: ${statuses.join(' ')}`);
    assert.equal(statuses.filter((s) => s === 429).length, 50);
    for (const a of answers.filter((x) => x.status === 429)) assert.ok(Number(a.headers.get('retry-after')) > 0);
    await settleLeakReports(h);
  });
});

describe('a leak report is answered before it is matched (docs/security.md rule 33)', () => {
  /** One report with the queue held: its answer, the store calls made before it, and whether `secret` still worked then. */
  async function heldReport(credential: string, secret: string): Promise<{ answer: Answer; calls: string[]; stillWorked: boolean }> {
    h.app.ctx.leakReportQueue.pause();
    try {
      calls.length = 0;
      watching = true;
      const answer = await report([credential]);
      watching = false;
      const seen = [...calls];
      return { answer, calls: seen, stillWorked: await works(secret) };
    } finally {
      watching = false;
      h.app.ctx.leakReportQueue.resume();
      await settleLeakReports(h);
    }
  }

  test('a match and a miss do the same store work before the answer, none of it matching or writing; the match takes effect after', async () => {
    // A fresh quota: the burst above used this address's 30.
    h.clock.offsetMs += 2 * 3_600_000;
    try {
      const { id, secret } = await createToken(h, { name: 'reported while the queue is held' });
      const bystander = await createToken(h, { name: 'bystander' });
      const match = await heldReport(secret, secret);
      // A well-formed PAT (length, checksum) that is no token here: the request does all the same steps.
      const miss = await heldReport(generateToken(), bystander.secret);
      assert.ok(match.stillWorked, 'answered while the work was held: the reported token still worked then');
      for (const r of [match, miss]) {
        assert.equal(r.answer.status, 202, r.answer.text);
        assert.equal(r.answer.text, match.answer.text);
      }
      assert.deepEqual(match.calls, miss.calls, 'the same store calls before the answer, match or not');
      assert.ok(!match.calls.includes('reportLeakedTokens'), `nothing is matched before the answer: ${match.calls.join(', ')}`);
      // Once the queue ran: disabled and audited.
      assert.equal((await call(h.url, 'GET', `/api/v1/tokens/${id}`, { token: h.admin })).json.status, 'disabled');
      assert.equal(await works(secret), false);
      const events = await call(h.url, 'GET', `/api/v1/audit?token_id=${id}&action=token.reported_leaked`, { token: h.admin });
      assert.equal(events.json.items.length, 1);
      assert.ok(await works(bystander.secret));
    } finally {
      h.clock.offsetMs -= 2 * 3_600_000;
    }
  });

  test('the answer is sent while the matching work is still held; closing the server processes what was accepted', async () => {
    const own = await startHarness();
    try {
      const { id, secret } = await createToken(own, { name: 'reported just before close' });
      own.app.ctx.leakReportQueue.pause();
      const answer = await call(own.url, 'POST', '/api/v1/credentials/revoke', { body: { credentials: [secret] } });
      assert.equal(answer.status, 202);
      assert.equal((await call(own.url, 'GET', '/api/v1/users/me', { token: secret })).status, 200, 'answered before the work: the token still works');
      // Closing resumes and drains the queue before the store closes: the accepted report is not lost.
      await own.app.close();
      const reopened = await startHarness({ dataDir: own.dataDir, databaseUrl: own.databaseUrl ?? undefined, keepDataDir: true });
      try {
        assert.equal((await call(reopened.url, 'GET', `/api/v1/tokens/${id}`, { token: reopened.admin })).json.status, 'disabled');
      } finally {
        await reopened.stop();
      }
    } finally {
      await own.stop();
    }
  });
});
