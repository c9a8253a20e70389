/**
 * Secrets never at rest, never in lists or the audit log (docs/security.md rules 3, 5, 13); the audit
 * log records every lifecycle event, is append-only and filters by token and user.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createHmac } from 'node:crypto';
import { bytesAtRest, call, createToken, createUser, dropTestDatabase, openDatabase, startHarness, type Harness } from '../helpers.ts';

let h: Harness;
const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) => call(h.url, method, path, options);
const secrets: string[] = [];
let subjectId: string;
let user: { id: string; session: string; password: string };

before(async () => {
  h = await startHarness({ keepDataDir: true });
  user = await createUser(h, 'hank', ['system_user', 'user_access_token']);
  // Every kind of secret-bearing answer: create, regenerate, clone, plus sessions.
  const a = await createToken(h, { name: 'subject', scopes: ['tokens:read'] }, user.session);
  subjectId = a.id;
  secrets.push(a.secret);
  const regen = await api('POST', `/api/v1/tokens/${a.id}/regenerate`, { token: user.session });
  secrets.push(regen.json.secret);
  const clone = await api('POST', `/api/v1/tokens/${a.id}/clone`, { token: user.session, body: {} });
  secrets.push(clone.json.secret);
  for (let i = 0; i < 20; i++) secrets.push((await createToken(h, { name: `bulk ${i}` }, user.session)).secret);
  secrets.push(user.session, h.admin);
  // Use them, fail with some, disable and delete: every path that writes.
  for (const s of secrets.slice(1, 5)) await api('GET', '/api/v1/users/me', { token: s });
  await api('GET', '/api/v1/users/me', { token: secrets[0] });
  await api('POST', `/api/v1/tokens/${clone.json.token.id}/disable`, { token: user.session });
  await api('GET', '/api/v1/users/me', { token: secrets[2] });
  await api('DELETE', `/api/v1/tokens/${clone.json.token.id}`, { token: user.session });
  await api('PATCH', `/api/v1/tokens/${a.id}`, { token: user.session, body: { name: 'subject 2', scopes: ['tokens:read', 'tokens:write'] } });
});
after(async () => {
  await h.stop().catch(() => undefined);
  const { rm } = await import('node:fs/promises');
  await rm(h.dataDir, { recursive: true, force: true });
  await dropTestDatabase(h.databaseUrl);
});

function fragments(secret: string): string[] {
  // The whole secret, its random part, and a long middle slice, as text and as UTF-16.
  return [secret, secret.slice(4, 34), secret.slice(8, 28)];
}

describe('secrets', () => {
  test('no secret appears in list, get or audit responses', async () => {
    const bodies = [
      (await api('GET', '/api/v1/tokens?owner=all&limit=200', { token: h.admin })).text,
      (await api('GET', `/api/v1/tokens/${subjectId}`, { token: h.admin })).text,
      (await api('GET', '/api/v1/audit?limit=200', { token: h.admin })).text,
      (await api('GET', '/api/v1/users?limit=200', { token: h.admin })).text,
      (await api('GET', '/api/v1/users/me', { token: user.session })).text,
    ];
    for (const secret of secrets) for (const f of fragments(secret)) for (const body of bodies) assert.ok(!body.includes(f), `leak of ${f.slice(0, 8)}…`);
  });

  test('no secret appears in the database files; only keyed digests are stored (rule 3)', async () => {
    await h.app.close(); // SQLite: checkpoint the WAL into the main file, then look at every file in the data dir
    const files = await readdir(h.dataDir);
    assert.equal(files.includes('patkit.db'), h.databaseUrl === null, 'a SQLite file exists exactly when the store is SQLite');
    const blobs = await bytesAtRest(h);
    const total = blobs.reduce((n, b) => n + b.length, 0);
    assert.ok(total > 10_000, 'the files hold the data');
    for (const secret of secrets) {
      for (const f of fragments(secret)) {
        for (const blob of blobs) {
          assert.equal(blob.indexOf(Buffer.from(f, 'utf8')), -1, 'secret text at rest');
          assert.equal(blob.indexOf(Buffer.from(f, 'utf16le')), -1, 'secret text (UTF-16) at rest');
        }
      }
    }
    // The stored digest is HMAC-SHA256(pepper, secret), not a plain hash: a plain SHA-256 is absent.
    const pepper = await readFile(join(h.dataDir, 'pepper'));
    const db = await openDatabase(h, { readOnly: true });
    const digests = ((await db.all('SELECT digest FROM tokens')) as Array<{ digest: Uint8Array }>).map((r) => Buffer.from(r.digest).toString('hex'));
    const columns = await db.columnsOf('tokens');
    await db.close();
    assert.ok(!columns.some((c) => /secret|plain|token$/.test(c)), columns.join(','));
    const current = secrets[1]!; // the regenerated secret of the subject token
    assert.ok(digests.includes(createHmac('sha256', pepper).update(current).digest('hex')));
    const { createHash } = await import('node:crypto');
    assert.ok(!digests.includes(createHash('sha256').update(current).digest('hex')));
  });
});

describe('audit log (rule 13)', () => {
  before(async () => {
    if (h.app.server.listening) return;
    // Re-open the same data dir after the previous suite closed the server.
    const restarted = await import('../helpers.ts').then((m) => m.startHarness({ dataDir: h.dataDir, databaseUrl: h.databaseUrl ?? undefined, keepDataDir: true }));
    h = restarted;
  });

  test('every lifecycle event is recorded with actor, token id, owner, IP and UTC time', async () => {
    const events = (await api('GET', `/api/v1/audit?token_id=${subjectId}&limit=200`, { token: h.admin })).json.items;
    const actions = events.map((e: { action: string }) => e.action).reverse();
    assert.deepEqual(actions, ['token.created', 'token.regenerated', 'token.updated']);
    for (const e of events) {
      assert.equal(e.token_id, subjectId);
      assert.equal(e.owner_id, user.id);
      assert.equal(e.ip, '127.0.0.1');
      assert.match(e.at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      if (e.action !== 'token.verification_failed') assert.deepEqual(e.actor, { id: user.id, username: 'hank' });
    }
    const all = (await api('GET', '/api/v1/audit?limit=200', { token: h.admin })).json.items.map((e: { action: string }) => e.action);
    for (const expected of ['token.cloned', 'token.disabled', 'token.deleted', 'session.signed_in', 'user.created', 'settings.updated']) {
      assert.ok(all.includes(expected), expected);
    }
    // A failed verification names the token when the digest is known (here: the disabled clone)…
    const failures = (await api('GET', '/api/v1/audit?action=token.verification_failed', { token: h.admin })).json.items;
    const disabled = failures.find((e: { detail: { reason: string } }) => e.detail.reason === 'token_disabled');
    assert.ok(disabled.token_id?.startsWith('tok_'));
    assert.equal(disabled.owner_id, user.id);
    assert.equal(disabled.actor, null);
    // …and only the IP when it is not (the secret replaced by regenerate).
    const unknown = failures.find((e: { detail: { reason: string } }) => e.detail.reason === 'unauthorized');
    assert.equal(unknown.token_id, null);
    assert.equal(unknown.ip, '127.0.0.1');
  });

  test('filters by user and action; pages with a cursor', async () => {
    const byUser = (await api('GET', `/api/v1/audit?user_id=${user.id}&limit=200`, { token: h.admin })).json.items;
    assert.ok(byUser.length > 20);
    for (const e of byUser) assert.ok(e.owner_id === user.id || e.actor?.id === user.id);
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof api>> = await api('GET', `/api/v1/audit?user_id=${user.id}&limit=7${cursor ? `&cursor=${cursor}` : ''}`, { token: h.admin });
      for (const e of page.json.items) seen.add(e.id);
      cursor = page.json.next_cursor;
      pages++;
    } while (cursor);
    assert.equal(seen.size, byUser.length);
    assert.ok(pages > 2);
    const created = (await api('GET', '/api/v1/audit?action=token.created&limit=200', { token: h.admin })).json.items;
    assert.ok(created.length >= 21);
    for (const e of created) assert.equal(e.action, 'token.created');
  });

  test('the audit table is append-only, even for direct SQL', async () => {
    const db = await openDatabase(h);
    try {
      await assert.rejects(db.run("UPDATE audit SET action = 'x'"), /append-only/);
      await assert.rejects(db.run('DELETE FROM audit'), /append-only/);
      if (h.databaseUrl !== null) await assert.rejects(db.run('TRUNCATE audit'), /append-only/);
      assert.ok(((await db.all('SELECT COUNT(*) AS n FROM audit')) as Array<{ n: unknown }>)[0]!.n !== 0);
    } finally {
      await db.close();
    }
  });

  test('only audit:read may read the log', async () => {
    const r = await api('GET', '/api/v1/audit', { token: user.session });
    assert.equal(r.status, 403);
  });
});
