/**
 * Concurrency and crashes (docs/security.md rule 11 and 16): 20 concurrent regenerates leave exactly one
 * valid secret; kill -9 during a stream of writes loses no committed token and leaves no half-written one.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, test } from 'node:test';
import { spawnServer, type ServerProcess } from '../../support/spawn-server.ts';
import { ADMIN_PASSWORD, call, createToken, startHarness, type Harness } from '../helpers.ts';

describe('concurrent regenerates (rule 11)', () => {
  let h: Harness;
  before(async () => {
    // All 20 password checks must run together to interleave, so the throttles that would refuse
    // most of them are lifted (docs/security.md rule 28): the bound on hashes in flight (2 per
    // account) and the slots each check takes before hashing (10 per account).
    const wide = { max: 100, windowMs: 60_000 };
    h = await startHarness({
      passwordPolicy: true,
      throttle: { passwordHashes: { perAccount: 20, perAddress: 20, total: 20 }, passwordPerAccount: wide, passwordPerIp: wide },
    });
  });
  after(() => h.stop());

  for (const withPassword of [true, false]) {
    test(`20 at once ${withPassword ? 'with password checks interleaving' : 'without the password policy'}: exactly one secret works`, async () => {
      if (!withPassword) await call(h.url, 'PATCH', '/api/v1/settings', { token: h.admin, body: { require_password_confirmation: false } });
      const { id, secret: original } = await createToken(h, { password: ADMIN_PASSWORD });
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          call(h.url, 'POST', `/api/v1/tokens/${id}/regenerate`, { token: h.admin, body: withPassword ? { password: ADMIN_PASSWORD } : {} }),
        ),
      );
      assert.deepEqual(answers.map((a) => a.status), Array(20).fill(200));
      const secrets = answers.map((a) => a.json.secret as string);
      assert.equal(new Set(secrets).size, 20);
      const results = await Promise.all([original, ...secrets].map((s) => call(h.url, 'GET', '/api/v1/users/me', { token: s })));
      const working = [original, ...secrets].filter((_, i) => results[i]!.status === 200);
      assert.equal(working.length, 1, `working secrets: ${working.length}`);
      const meta = await call(h.url, 'GET', `/api/v1/tokens/${id}`, { token: h.admin });
      assert.equal(meta.json.last4, working[0]!.slice(-4));
      const events = await call(h.url, 'GET', `/api/v1/audit?token_id=${id}&action=token.regenerated&limit=50`, { token: h.admin });
      assert.equal(events.json.items.length, 20);
    });
  }
});

function startChild(dataDir: string): Promise<ServerProcess> {
  return spawnServer({ dataDir, env: { PATKIT_ADMIN_PASSWORD: ADMIN_PASSWORD, PATKIT_ENABLE_PATS: '1' } });
}

describe('crash during writes (rule 16)', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'patkit-crash-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  test('kill -9 while creating, regenerating and deleting: every acknowledged token survives, nothing half-written', async () => {
    const first = await startChild(dataDir);
    const signIn = await call(first.url, 'POST', '/api/v1/sessions', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    const admin = signIn.json.credential as string;
    await call(first.url, 'PATCH', '/api/v1/settings', { token: admin, body: { require_password_confirmation: false } });

    const acknowledged = new Map<string, string>(); // token id → latest acknowledged secret
    const deleted = new Set<string>();
    // A regenerate or delete cut off by the kill may or may not have committed: such a token must
    // still be consistent, but which of its secrets works is unknown.
    const inFlight = new Map<string, number>();
    const uncertain = new Set<string>();
    const begin = (id: string) => inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
    const end = (id: string) => inFlight.set(id, inFlight.get(id)! - 1);
    let stop = false;
    let errors = 0;
    const worker = async (n: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const kind = i % 5;
          if (kind === 4 && acknowledged.size > 2) {
            const id = [...acknowledged.keys()][i % acknowledged.size]!;
            begin(id);
            const r = await call(first.url, 'POST', `/api/v1/tokens/${id}/regenerate`, { token: admin, body: {} });
            if (r.status === 200) acknowledged.set(id, r.json.secret);
            end(id);
          } else if (kind === 3 && acknowledged.size > 5 && i % 10 === 3) {
            const id = [...acknowledged.keys()][0]!;
            begin(id);
            const r = await call(first.url, 'DELETE', `/api/v1/tokens/${id}`, { token: admin });
            if (r.status === 204) {
              acknowledged.delete(id);
              deleted.add(id);
            }
            end(id);
          } else {
            const r = await call(first.url, 'POST', '/api/v1/tokens', {
              token: admin,
              body: { name: `crash ${n}-${i}`, scopes: ['tokens:read'], acknowledge_admin_token: true },
            });
            if (r.status === 201) acknowledged.set(r.json.token.id, r.json.secret);
          }
        } catch {
          errors++; // the connection died with the process
        }
      }
    };
    const workers = Array.from({ length: 6 }, (_, n) => worker(n));
    await new Promise((r) => setTimeout(r, 1500));
    await first.kill();
    stop = true;
    await Promise.all(workers);
    for (const [id, n] of inFlight) if (n > 0) uncertain.add(id);
    assert.ok(acknowledged.size > 10, `only ${acknowledged.size} tokens were written before the kill`);

    // The files are consistent and every token has exactly its own "created" event (same transaction).
    const db = new DatabaseSync(join(dataDir, 'patkit.db'));
    assert.equal((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
    const orphans = db
      .prepare(
        `SELECT COUNT(*) AS n FROM tokens t WHERE NOT EXISTS (SELECT 1 FROM audit a WHERE a.token_id = t.id AND a.action = 'token.created')`,
      )
      .get() as { n: number };
    assert.equal(orphans.n, 0, 'no token without its audit event');
    const regenerations = db.prepare(`SELECT COUNT(*) AS n FROM audit WHERE action = 'token.regenerated'`).get() as { n: number };
    db.close();

    const second = await startChild(dataDir);
    try {
      const again = await call(second.url, 'POST', '/api/v1/sessions', { body: { username: 'admin', password: ADMIN_PASSWORD } });
      const admin2 = again.json.credential as string;
      const results = await Promise.all(
        [...acknowledged].filter(([id]) => !uncertain.has(id)).map(async ([id, secret]) => {
          const r = await call(second.url, 'POST', '/api/v1/introspect', { token: admin2, body: { token: secret } });
          return r.json.active === true && r.json.token_id === id;
        }),
      );
      const lost = results.filter((ok) => !ok).length;
      assert.equal(lost, 0, `${lost} of ${acknowledged.size} acknowledged tokens lost (${regenerations.n} regenerations, ${errors} dropped requests)`);
      for (const id of deleted) assert.equal((await call(second.url, 'GET', `/api/v1/tokens/${id}`, { token: admin2 })).status, 404);
    } finally {
      await second.stop();
    }
  });
});
