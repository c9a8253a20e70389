/**
 * The coalesced epoch checks of the PostgreSQL store, on their own: a lone caller sends one statement
 * at once; callers arriving while a check is in flight join the next one, sent when it answers (never
 * the in-flight one); one statement per eight callers with a fixed arity; each caller gets its own
 * counters; a failed statement rejects exactly its callers and the next check works. The database is
 * replaced by a function the test answers by hand (the statement's SQL runs in the PostgreSQL suite:
 * test/server/store/epoch-coalescing.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BATCH, EPOCH_CHECK, EPOCH_CHECK_BATCH, EpochChecks, type EpochAnswer } from '../../../server/store/postgres/epoch-checks.ts';

interface Sent {
  name: string;
  text: string;
  values: unknown[];
  answer(epoch: string, counters?: [string, number, number][]): void;
  fail(error: Error): void;
}

/** A fake pool: records each statement and lets the test answer it. */
function fakeDatabase() {
  const sent: Sent[] = [];
  const send = (statement: { name: string; text: string; values: unknown[] }) =>
    new Promise<{ rows: unknown[] }>((resolve, reject) => {
      sent.push({ ...statement, answer: (epoch, counters = []) => resolve({ rows: [{ epoch, counters }] }), fail: reject });
    });
  return { sent, send };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('coalesced epoch checks', () => {
  test('a lone caller sends its own statement at once, with the single-caller shape', async () => {
    const db = fakeDatabase();
    const checks = new EpochChecks(db.send);
    const answer = checks.check('token:ip:a', null, 1000);
    assert.equal(db.sent.length, 1, 'sent synchronously: no timer, no wait');
    assert.deepEqual([db.sent[0]!.name, db.sent[0]!.text, db.sent[0]!.values], ['verification_epoch_check', EPOCH_CHECK, ['token:ip:a', null, 1000]]);
    db.sent[0]!.answer('7', [['token:ip:a', 3, 2000]]);
    assert.deepEqual(await answer, { epoch: '7', counters: [{ key: 'token:ip:a', count: 3, resetAt: 2000 }] });
  });

  test('a caller arriving while a check is in flight is answered by the next statement, sent after the in-flight one answered', async () => {
    const db = fakeDatabase();
    const checks = new EpochChecks(db.send);
    const first = checks.check('k1', null, 1);
    const second = checks.check('k2', null, 2);
    const third = checks.check('k3', 'acct', 3);
    assert.equal(db.sent.length, 1, 'the later callers send nothing while one is in flight');
    let secondAnswer: EpochAnswer | undefined;
    void second.then((a) => (secondAnswer = a));
    db.sent[0]!.answer('1');
    assert.deepEqual(await first, { epoch: '1', counters: [] });
    await tick();
    assert.equal(secondAnswer, undefined, 'not answered from the statement in flight when it arrived');
    assert.equal(db.sent.length, 2, 'the next check is sent when the in-flight one answers');
    const batch = db.sent[1]!;
    assert.equal(batch.name, 'verification_epoch_check_batch');
    assert.equal(batch.text, EPOCH_CHECK_BATCH);
    assert.equal(batch.values.length, 2 * BATCH + 1, 'a fixed arity');
    assert.deepEqual(batch.values.slice(0, 4), ['k2', 'k2', 'k3', 'acct'], 'an absent account key repeats the first key');
    assert.ok(batch.values.slice(4, 2 * BATCH).every((v) => v === 'k2'), 'unused slots repeat the first key: no null, so the generic plan stays');
    assert.equal(batch.values[2 * BATCH], 2, 'live at the earliest now of the callers');
    batch.answer('2', [['k2', 1, 10], ['k3', 5, 10], ['acct', 9, 10]]);
    assert.deepEqual(await second, { epoch: '2', counters: [{ key: 'k2', count: 1, resetAt: 10 }] }, 'only its own counters');
    assert.deepEqual((await third).counters.map((c) => c.key), ['k3', 'acct']);
    await tick();
    assert.equal(db.sent.length, 2, 'nothing more to send');
    const lone = checks.check('k4', null, 4);
    assert.equal(db.sent.length, 3, 'idle again: the next caller sends at once');
    db.sent[2]!.answer('2');
    await lone;
  });

  test('more than eight waiting callers: several statements sent together, each caller answered by its own', async () => {
    const db = fakeDatabase();
    const checks = new EpochChecks(db.send);
    const head = checks.check('head', null, 0);
    const waiting = Array.from({ length: 2 * BATCH + 1 }, (_, i) => checks.check(`k${i}`, null, 0));
    db.sent[0]!.answer('1');
    await head;
    await tick();
    assert.deepEqual(
      db.sent.slice(1).map((s) => s.name),
      ['verification_epoch_check_batch', 'verification_epoch_check_batch', 'verification_epoch_check'],
    );
    db.sent.slice(1).forEach((s, i) => s.answer('1', [[`k${i * BATCH}`, i, 1]]));
    const answers = await Promise.all(waiting);
    assert.deepEqual(answers[0]!.counters, [{ key: 'k0', count: 0, resetAt: 1 }]);
    assert.deepEqual(answers[BATCH]!.counters, [{ key: `k${BATCH}`, count: 1, resetAt: 1 }]);
    assert.deepEqual(answers[2 * BATCH]!.counters, [{ key: `k${2 * BATCH}`, count: 2, resetAt: 1 }]);
    assert.deepEqual(answers[1]!.counters, []);
  });

  test('a failed statement rejects every caller that joined it, and the next check works', async () => {
    const db = fakeDatabase();
    const checks = new EpochChecks(db.send);
    const head = checks.check('head', null, 0);
    const joined = [checks.check('a', null, 0), checks.check('b', null, 0), checks.check('c', null, 0)];
    db.sent[0]!.answer('1');
    await head;
    await tick();
    const broken = new Error('connection lost');
    db.sent[1]!.fail(broken);
    for (const p of joined) await assert.rejects(p, (e) => e === broken);
    await tick();
    const after = checks.check('d', null, 0);
    assert.equal(db.sent.length, 3);
    db.sent[2]!.answer('5');
    assert.equal((await after).epoch, '5');
  });

  test('callers joining while the seam holds an answer wait for the next statement', async () => {
    const db = fakeDatabase();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const joined: number[] = [];
    const checks = new EpochChecks(db.send, { joined: () => joined.push(1), answered: () => held });
    const first = checks.check('a', null, 0);
    db.sent[0]!.answer('1');
    await tick();
    const late = checks.check('b', null, 0);
    assert.equal(joined.length, 1);
    release();
    assert.equal((await first).epoch, '1');
    await tick();
    db.sent[1]!.answer('2');
    assert.equal((await late).epoch, '2', 'answered by the statement sent after it arrived');
  });

  test('an epoch-only lookup joins the next check like any caller, with no key a counter has and without lowering the group\'s now', async () => {
    const db = fakeDatabase();
    const checks = new EpochChecks(db.send);
    const lone = checks.epoch();
    assert.equal(db.sent.length, 1, 'alone: a statement of its own at once');
    assert.deepEqual(db.sent[0]!.values, ['', null, Number.MAX_SAFE_INTEGER], 'a key no counter has, and no live counter at all');
    const verifier = checks.check('token:ip:a', null, 1000);
    const joined = checks.epoch();
    db.sent[0]!.answer('3');
    assert.equal(await lone, '3');
    await tick();
    assert.equal(db.sent.length, 2, 'the verifier and the epoch-only lookup share the next statement');
    const values = db.sent[1]!.values;
    assert.equal(values.at(-1), 1000, "the group's now is the verifier's");
    assert.ok(values.includes('token:ip:a'));
    db.sent[1]!.answer('4', [['token:ip:a', 2, 5000]]);
    assert.deepEqual(await verifier, { epoch: '4', counters: [{ key: 'token:ip:a', count: 2, resetAt: 5000 }] });
    assert.equal(await joined, '4', 'answered from the statement sent after it arrived');
  });
});
