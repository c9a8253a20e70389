/**
 * PostgreSQL's coalesced epoch checks in a running server: a request that arrives while an epoch
 * check is in flight is answered by the next statement, sent after it arrived, so a revocation
 * committed through another instance before it arrived is refused (docs/security.md rule 8); each
 * coalesced caller gets its own throttle verdict; a failed coalesced statement fails each of its
 * callers and the next request works. Instance B's store is opened with the test seam that holds a
 * check's answer after its statement answered (production passes none).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { addressBucket } from '../../../server/auth/client-address.ts';
import type { EpochCheckSeam } from '../../../server/store/postgres/epoch-checks.ts';
import { PostgresStore } from '../../../server/store/postgres/postgres-store.ts';
import { TEST_STORE } from '../../support/postgres.ts';
import { assertProblem, call, createToken, startHarness, type Harness } from '../helpers.ts';

/** The seam: counts callers that joined a next check, records each check's callers, holds one answer on demand. */
function heldChecks() {
  let hold: { entered(): void; release: Promise<void> } | null = null;
  const state = { joined: 0, checks: [] as number[] };
  const seam: EpochCheckSeam = {
    joined: () => void state.joined++,
    async answered(callers) {
      state.checks.push(callers);
      const h = hold;
      hold = null;
      if (h) {
        h.entered();
        await h.release;
      }
    },
  };
  /** The next check to answer is held until `release()`; `entered` settles once it is held. */
  function holdNext() {
    let entered!: () => void;
    let release!: () => void;
    const enteredP = new Promise<void>((resolve) => (entered = resolve));
    hold = { entered, release: new Promise<void>((resolve) => (release = resolve)) };
    return { entered: enteredP, release };
  }
  return { seam, state, holdNext };
}

/** The held check, or a clear failure when no check got held (the token was not cached). */
async function entered(held: { entered: Promise<void> }): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no epoch check was held: the token was not cached on b')), 5_000)));
  try {
    await Promise.race([held.entered, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `condition` every 5 ms for at most `ms`. */
async function until(condition: () => boolean, ms = 2_000): Promise<boolean> {
  const end = performance.now() + ms;
  while (!condition() && performance.now() < end) await new Promise((resolve) => setTimeout(resolve, 5));
  return condition();
}

describe('coalesced epoch checks on PostgreSQL', { skip: TEST_STORE !== 'postgres' && 'PostgreSQL only: the epoch check is a PostgreSQL statement (npm run test:server:postgres)' }, () => {
  let a: Harness;
  let b: Harness;
  let sql: pg.Client;
  const checks = heldChecks();
  before(async () => {
    a = await startHarness();
    const store = await PostgresStore.open(a.databaseUrl!, { epochCheckSeam: checks.seam });
    // The same pepper as the first instance; the loopback proxy lets requests name their address.
    b = await startHarness({ store, pepperFile: join(a.dataDir, 'pepper'), trustedProxies: ['127.0.0.1'] });
    sql = new pg.Client({ connectionString: a.databaseUrl! });
    await sql.connect();
  });
  after(async () => {
    await sql.end();
    await b.stop();
    await a.stop();
  });

  const me = (h: Harness, secret: string, from?: string) =>
    call(h.url, 'GET', '/api/v1/users/me', { token: secret, headers: from === undefined ? {} : { 'x-forwarded-for': from } });
  /** Twice: the first use records the use (which drops that token's entry), the second leaves it cached on b. */
  async function cachedOnB(secret: string): Promise<void> {
    for (let i = 0; i < 2; i++) assert.equal((await me(b, secret)).status, 200);
  }

  test('a revocation committed through one instance while a check is in flight on the other is refused for a request arriving after it', async () => {
    const t = await createToken(a);
    await cachedOnB(t.secret);
    const joinedBefore = checks.state.joined;
    const held = checks.holdNext();
    const early = me(b, t.secret);
    let late: ReturnType<typeof me>;
    try {
      // Its statement has answered with the epoch before the change; the answer is held.
      await entered(held);
      assert.ok((await call(a.url, 'POST', `/api/v1/tokens/${t.id}/disable`, { token: a.admin, body: {} })).status < 300);
      late = me(b, t.secret);
      await until(() => checks.state.joined > joinedBefore);
    } finally {
      held.release();
    }
    assert.equal((await early).status, 200, 'the request that arrived before the change was answered from the held check');
    assertProblem(await late, 401, 'token_disabled');
  });

  test('concurrent requests from different addresses share checks and each gets its own throttle verdict', async () => {
    const t = await createToken(a);
    await cachedOnB(t.secret);
    const addresses = Array.from({ length: 12 }, (_, i) => `192.0.2.${i + 10}`);
    const throttled = new Set([addresses[3]!, addresses[10]!]);
    for (const address of throttled) {
      await sql.query('INSERT INTO throttle_failures (key, count, reset_at) VALUES ($1, 100000, $2)', [`token:ip:${addressBucket(address)}`, Date.now() + 600_000]);
    }
    try {
      const joinedBefore = checks.state.joined;
      const held = checks.holdNext();
      const first = me(b, t.secret);
      let answers: ReturnType<typeof me>[];
      try {
        await entered(held);
        answers = addresses.map((address) => me(b, t.secret, address));
        assert.ok(await until(() => checks.state.joined === joinedBefore + addresses.length), 'every request joined the next check');
      } finally {
        held.release();
      }
      assert.equal((await first).status, 200);
      const statuses = (await Promise.all(answers)).map((r) => r.status);
      assert.deepEqual(
        statuses,
        addresses.map((address) => (throttled.has(address) ? 429 : 200)),
      );
      assert.ok(checks.state.checks.includes(addresses.length), `one check carried all ${addresses.length} (checks: ${checks.state.checks.join(', ')})`);
    } finally {
      await sql.query("DELETE FROM throttle_failures WHERE key LIKE 'token:ip:192.0.2.%'");
    }
  });

  test('a failed coalesced check fails each request that joined it, and the next request works', async () => {
    const t = await createToken(a);
    await cachedOnB(t.secret);
    const joinedBefore = checks.state.joined;
    const held = checks.holdNext();
    const first = me(b, t.secret);
    let joined: ReturnType<typeof me>[] = [];
    try {
      await entered(held);
      joined = Array.from({ length: 4 }, () => me(b, t.secret));
      assert.ok(await until(() => checks.state.joined === joinedBefore + joined.length), 'every request joined the next check');
      // The next statement cannot run: the table it reads is gone (for a moment).
      await sql.query('ALTER TABLE throttle_failures RENAME TO throttle_failures_away');
    } finally {
      held.release();
    }
    try {
      assert.equal((await first).status, 200);
      for (const answer of await Promise.all(joined)) assertProblem(answer, 500, 'internal_error');
    } finally {
      await sql.query('ALTER TABLE IF EXISTS throttle_failures_away RENAME TO throttle_failures');
    }
    assert.equal((await me(b, t.secret)).status, 200);
  });
});
