/**
 * Throttles reserve before they spend (docs/security.md rule 28): bursts of concurrent real HTTP
 * requests, as an attacker sends them, against sign-in and the password re-check, with the default
 * limits (10 failures per account). Each attempt takes its slot before scrypt runs, so a burst
 * cannot all pass the check; and no more than a few hashes run at once per account, per client
 * address and in total. Uses the real scrypt cost. On the PostgreSQL run the counters are the
 * database's (one atomic statement per take).
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_THROTTLE } from '../../../server/auth/throttle.ts';
import { assertProblem, call, createUser, startHarness, type Harness } from '../helpers.ts';
import { callFrom, loopbackSource, type FromAnswer } from './from-address.ts';

const LIMIT = DEFAULT_THROTTLE.signInPerAccount.max;
const CAPS = DEFAULT_THROTTLE.passwordHashes;

/**
 * Counts scrypt runs in flight by wrapping node:crypto's own `scrypt` (the real one still does the
 * work): the server imports it by name, and `syncBuiltinESMExports` points that binding at the
 * wrapper. Nothing in the server is made for the test; this observes the work actually started.
 */
const scryptRuns = { running: 0, most: 0 };
const realScrypt = crypto.scrypt;
function countingScrypt(...args: unknown[]): void {
  const done = args.pop() as (error: Error | null, key: Buffer) => void;
  scryptRuns.running++;
  scryptRuns.most = Math.max(scryptRuns.most, scryptRuns.running);
  (realScrypt as (...a: unknown[]) => void)(...args, (error: Error | null, key: Buffer) => {
    scryptRuns.running--;
    done(error, key);
  });
}

/** Lets requests just sent reach the server and start their work before the next is sent. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('password bursts (real scrypt, default limits)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ passwordPolicy: true });
    (crypto as { scrypt: unknown }).scrypt = countingScrypt;
    syncBuiltinESMExports();
  });
  after(async () => {
    (crypto as { scrypt: unknown }).scrypt = realScrypt;
    syncBuiltinESMExports();
    await h.stop();
  });

  const failedFor = async (action: string, userId: string) =>
    (await call(h.url, 'GET', `/api/v1/audit?action=${action}&user_id=${userId}&limit=200`, { token: h.admin })).json.items.length as number;

  test('9 wrong sign-ins, then 14 wrong and the right one at once: the right one is refused and the account stops at 10', async () => {
    const bob = await createUser(h, 'bob');
    for (let i = 0; i < LIMIT - 1; i++) {
      assertProblem(await call(h.url, 'POST', '/api/v1/sessions', { body: { username: 'bob', password: `wrong-${i}` } }), 401, 'invalid_credentials');
    }
    // From 14 addresses at once, then the right password while they are in flight.
    const wrong = Array.from({ length: 14 }, (_, i) =>
      callFrom(h.url, loopbackSource(i), 'POST', '/api/v1/sessions', { body: { username: 'bob', password: `burst-${i}` } }),
    );
    await settle();
    const right = await callFrom(h.url, loopbackSource(20), 'POST', '/api/v1/sessions', { body: { username: 'bob', password: bob.password } });
    const answers = await Promise.all(wrong);
    assert.equal(right.status, 429, `the right password got ${right.status} after ${LIMIT - 1} + 14 failures`);
    assert.ok(answers.every((a) => a.status === 401 || a.status === 429), answers.map((a) => a.status).join(','));
    assert.equal(answers.filter((a) => a.status === 401).length, 1, 'exactly one more wrong password was checked');
    assert.equal(await failedFor('session.sign_in_failed', bob.id), LIMIT, 'failures stop at the limit');
    const after = await call(h.url, 'POST', '/api/v1/sessions', { body: { username: 'bob', password: bob.password } });
    assertProblem(after, 429, 'rate_limited');
    assert.ok(Number(after.headers.get('retry-after')) > 0);
  });

  test('password re-check: 9 wrong, then 4 wrong and the right one at once: the right one is refused and the account stops at 10', async () => {
    const carol = await createUser(h, 'carol', ['system_user', 'user_access_token']);
    const create = (password: string) => ({ body: { name: 'x', scopes: [], password }, token: carol.session });
    for (let i = 0; i < LIMIT - 1; i++) assertProblem(await call(h.url, 'POST', '/api/v1/tokens', create(`wrong-${i}`)), 403, 'password_incorrect');
    const wrong = Array.from({ length: 4 }, (_, i) => callFrom(h.url, loopbackSource(30 + i), 'POST', '/api/v1/tokens', create(`burst-${i}`)));
    await settle();
    const right = await callFrom(h.url, loopbackSource(40), 'POST', '/api/v1/tokens', create(carol.password));
    const answers = await Promise.all(wrong);
    assert.equal(right.status, 429, `the right password got ${right.status} after ${LIMIT - 1} + 4 failures`);
    assert.equal(answers.filter((a) => a.status === 403).length, 1, answers.map((a) => a.status).join(','));
    assert.equal(await failedFor('password.check_failed', carol.id), LIMIT, 'failures stop at the limit');
    assertProblem(await call(h.url, 'POST', '/api/v1/tokens', create(carol.password)), 429, 'rate_limited');
    assert.equal((await call(h.url, 'GET', '/api/v1/tokens', { token: carol.session })).json.items.length, 0, 'nothing was created');
  });

  const burst = async (requests: Array<() => Promise<FromAnswer>>): Promise<FromAnswer[]> => {
    scryptRuns.most = 0;
    const answers = await Promise.all(requests.map((send) => send()));
    for (const a of answers.filter((x) => x.status === 429)) {
      assert.equal(a.json.code, 'rate_limited');
      assert.equal(a.retryAfter, '1', 'a busy refusal says to retry in a second');
    }
    return answers;
  };

  test('bursts of wrong passwords never have more scrypt runs in flight than the caps: per address, per account, in total', async () => {
    await createUser(h, 'dave');
    // One address, twelve names (so only the address bound applies).
    const oneAddress = await burst(
      Array.from({ length: 12 }, (_, i) => () => callFrom(h.url, loopbackSource(100), 'POST', '/api/v1/sessions', { body: { username: `ghost-a${i}`, password: 'x' } })),
    );
    assert.ok(scryptRuns.most <= CAPS.perAddress, `one address: ${scryptRuns.most} hashes at once`);
    assert.ok(oneAddress.filter((a) => a.status === 429).length >= 12 - CAPS.perAddress);
    // Twelve addresses, one account.
    await burst(
      Array.from({ length: 12 }, (_, i) => () => callFrom(h.url, loopbackSource(200 + i), 'POST', '/api/v1/sessions', { body: { username: 'dave', password: `w${i}` } })),
    );
    assert.ok(scryptRuns.most <= CAPS.perAccount, `one account: ${scryptRuns.most} hashes at once`);
    // Twenty addresses, twenty names: the total bound.
    const spread = await burst(
      Array.from({ length: 20 }, (_, i) => () => callFrom(h.url, loopbackSource(300 + i), 'POST', '/api/v1/sessions', { body: { username: `ghost-b${i}`, password: 'x' } })),
    );
    assert.ok(scryptRuns.most <= CAPS.total, `in total: ${scryptRuns.most} hashes at once`);
    assert.ok(spread.filter((a) => a.status === 429).length >= 20 - CAPS.total);
    assert.ok(scryptRuns.most > 0, 'the spy saw the hashes');
  });
});
