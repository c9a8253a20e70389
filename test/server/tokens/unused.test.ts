/**
 * Unused tokens, over real HTTP on the store the suite runs against:
 * `GET /api/v1/tokens?unused_days=N` lists only active tokens whose last use (or creation, if never
 * used) is more than N days ago; `POST /api/v1/tokens/disable-unused` previews (`dry_run`, changes
 * nothing), disables (only the previewed `ids` when given: a token used since is spared), audits each
 * one, follows the admin rules for other users' tokens, and refuses bad input changing nothing.
 * Days pass by moving the harness's clock.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { PostgresStore } from '../../../server/store/postgres/postgres-store.ts';
import { SqliteStore } from '../../../server/store/sqlite/sqlite-store.ts';
import type { AuditEntry, Store } from '../../../server/store/store.ts';
import { assertProblem, call, createToken, createUser, dropTestDatabase, newTestDatabase, startHarness, type Harness } from '../helpers.ts';

const DAY = 86_400_000;
let h: Harness;
const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) => call(h.url, method, path, options);
const farExpiry = () => new Date(Date.now() + h.clock.offsetMs + 300 * DAY).toISOString();

before(async () => {
  h = await startHarness();
  // The admin acts through a PAT that outlives the days the clock moves (sessions last 12 hours).
  const scopes = ['tokens:read', 'tokens:write', 'users:read', 'users:write', 'roles:write', 'audit:read'];
  h.admin = (await createToken(h, { name: 'admin automation', scopes, expires_at: farExpiry() })).secret;
});
after(() => h.stop());
// Each fixture moves the clock 20 days on; its tokens and users are its own, so every test starts at now.
afterEach(() => {
  h.clock.offsetMs = 0;
});

/** A new session at the moved clock (sessions last 12 hours, the clock moves days). */
async function signIn(username: string, password: string): Promise<string> {
  const r = await api('POST', '/api/v1/sessions', { body: { username, password } });
  assert.equal(r.status, 201, r.text);
  return r.json.credential;
}

/**
 * A fresh member with: `idle` (never used, created 20 days ago), `used` (created 20 days ago, used
 * now), `disabled` and `expired` (both idle 20 days), `young` (never used, created 5 days ago).
 */
async function fixture(name: string) {
  const user = await createUser(h, name, ['system_user', 'user_access_token']);
  const make = async (label: string, extra: Record<string, unknown> = {}) =>
    createToken(h, { name: label, owner_id: user.id, scopes: ['tokens:read', 'tokens:write'], expires_at: farExpiry(), ...extra });
  const idle = await make('idle');
  const used = await make('used');
  const disabled = await make('disabled');
  const expired = await make('expired', { expires_at: new Date(Date.now() + h.clock.offsetMs + 10 * DAY).toISOString() });
  assert.equal((await api('POST', `/api/v1/tokens/${disabled.id}/disable`, { token: h.admin, body: {} })).status, 200);
  h.clock.offsetMs += 15 * DAY;
  const young = await make('young');
  h.clock.offsetMs += 5 * DAY;
  assert.equal((await api('GET', '/api/v1/users/me', { token: used.secret })).status, 200);
  return { user, idle, used, disabled, expired, young };
}

const names = (items: { name: string }[]) => items.map((t) => t.name).sort();
const statusOf = async (id: string) => (await api('GET', `/api/v1/tokens/${id}`, { token: h.admin })).json.status as string;
const disabledAudits = async (id: string) => (await api('GET', `/api/v1/audit?token_id=${id}&action=token.disabled`, { token: h.admin })).json.items;

describe('GET /api/v1/tokens?unused_days=N', () => {
  test('only active tokens unused (or, never used, created) more than N days ago', async () => {
    const f = await fixture('unused-list');
    const list = async (days: number) => (await api('GET', `/api/v1/tokens?owner=${f.user.id}&unused_days=${days}`, { token: h.admin })).json.items;
    assert.deepEqual(names(await list(10)), ['idle']);
    assert.deepEqual(names(await list(3)), ['idle', 'young']);
    assert.deepEqual(names(await list(25)), []);
    // Without the filter every token is there: the filter is what removed them.
    assert.equal((await api('GET', `/api/v1/tokens?owner=${f.user.id}`, { token: h.admin })).json.items.length, 5);
    // The owner sees the same for their own tokens.
    const session = await signIn('unused-list', f.user.password);
    assert.deepEqual(names((await api('GET', '/api/v1/tokens?unused_days=3', { token: session })).json.items), ['idle', 'young']);
  });

  test('combines with q, sort and cursor paging', async () => {
    const f = await fixture('unused-paging');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { json: { items: { name: string }[]; next_cursor: string | null } } = await api(
        'GET',
        `/api/v1/tokens?owner=${f.user.id}&unused_days=3&sort=name&order=asc&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        { token: h.admin },
      );
      seen.push(...page.json.items.map((t) => t.name));
      cursor = page.json.next_cursor;
    } while (cursor !== null);
    assert.deepEqual(seen, ['idle', 'young']);
    assert.deepEqual(names((await api('GET', `/api/v1/tokens?owner=${f.user.id}&unused_days=3&q=you`, { token: h.admin })).json.items), ['young']);
  });

  test('bad unused_days gets a 400', async () => {
    for (const bad of ['0', '3651', 'abc', '-1', '1.5', '']) {
      assertProblem(await api('GET', `/api/v1/tokens?unused_days=${bad}`, { token: h.admin }), 400, 'validation_failed');
    }
  });
});

describe('POST /api/v1/tokens/disable-unused', () => {
  test('dry_run previews and changes nothing; then disabling the previewed ids spares one used since', async () => {
    const f = await fixture('unused-disable');
    const preview = await api('POST', '/api/v1/tokens/disable-unused', { token: h.admin, body: { unused_days: 3, dry_run: true, owner: f.user.id } });
    assert.equal(preview.status, 200, preview.text);
    assert.equal(preview.json.dry_run, true);
    assert.deepEqual(names(preview.json.tokens), ['idle', 'young']);
    assert.ok(preview.json.tokens.every((t: { status: string }) => t.status === 'active'));
    assert.equal(await statusOf(f.idle.id), 'active', 'a preview changes nothing');
    assert.deepEqual(await disabledAudits(f.idle.id), []);

    // "young" is used after the preview: disabling the previewed set spares it.
    assert.equal((await api('GET', '/api/v1/users/me', { token: f.young.secret })).status, 200);
    const ids = preview.json.tokens.map((t: { id: string }) => t.id);
    const done = await api('POST', '/api/v1/tokens/disable-unused', { token: h.admin, body: { unused_days: 3, dry_run: false, owner: f.user.id, ids } });
    assert.equal(done.status, 200, done.text);
    assert.equal(done.json.dry_run, false);
    assert.deepEqual(names(done.json.tokens), ['idle']);
    assert.equal(done.json.tokens[0].status, 'disabled');
    assert.equal(await statusOf(f.idle.id), 'disabled');
    assert.equal(await statusOf(f.young.id), 'active', 'used since the preview: spared');
    assert.equal(await statusOf(f.used.id), 'active');
    assert.equal((await api('GET', '/api/v1/users/me', { token: f.idle.secret })).status, 401, 'the disabled token no longer works');
    const [audit] = await disabledAudits(f.idle.id);
    assert.equal(audit.detail.reason, 'unused');
    assert.equal(audit.detail.unused_days, 3);
    assert.equal(audit.owner_id, f.user.id);
    assert.equal(audit.actor.username, 'admin');
    assert.deepEqual(await disabledAudits(f.young.id), []);
  });

  test('without ids every matching token of the owner is disabled, each audited; others are untouched', async () => {
    const other = await fixture('unused-bystander');
    const f = await fixture('unused-all-own');
    const session = await signIn('unused-all-own', f.user.password);
    const done = await api('POST', '/api/v1/tokens/disable-unused', { token: session, body: { unused_days: 3, dry_run: false } });
    assert.equal(done.status, 200, done.text);
    assert.deepEqual(names(done.json.tokens), ['idle', 'young']);
    for (const t of [f.idle, f.young]) {
      assert.equal(await statusOf(t.id), 'disabled');
      assert.equal((await disabledAudits(t.id)).length, 1);
    }
    assert.equal(await statusOf(f.used.id), 'active');
    assert.equal(await statusOf(other.idle.id), 'active', "another user's token is not touched by owner 'me'");
    // Again: nothing left to disable.
    const again = await api('POST', '/api/v1/tokens/disable-unused', { token: session, body: { unused_days: 3, dry_run: false } });
    assert.deepEqual(again.json.tokens, []);
  });

  test("owner 'all' and other users need users:write", async () => {
    const f = await fixture('unused-perms');
    await createUser(h, 'unused-perms-other', ['system_user', 'user_access_token'], 'unused-perms-other-pw');
    const member = { session: await signIn('unused-perms-other', 'unused-perms-other-pw') };
    for (const owner of ['all', f.user.id]) {
      for (const dry_run of [true, false]) {
        assertProblem(await api('POST', '/api/v1/tokens/disable-unused', { token: member.session, body: { unused_days: 3, dry_run, owner } }), 403, 'forbidden');
      }
    }
    // An admin's PAT without users:write is refused too; one with tokens:read only lacks tokens:write.
    const noUsersWrite = await createToken(h, { scopes: ['tokens:read', 'tokens:write', 'users:read'] });
    assertProblem(await api('POST', '/api/v1/tokens/disable-unused', { token: noUsersWrite.secret, body: { unused_days: 3, dry_run: false, owner: 'all' } }), 403, 'forbidden');
    const readOnly = await createToken(h, { scopes: ['tokens:read'] });
    assertProblem(await api('POST', '/api/v1/tokens/disable-unused', { token: readOnly.secret, body: { unused_days: 3, dry_run: true } }), 403, 'insufficient_scope');
    assertProblem(await api('POST', '/api/v1/tokens/disable-unused', { body: { unused_days: 3, dry_run: true } }), 401, 'unauthorized');
    assert.equal(await statusOf(f.idle.id), 'active', 'nothing changed');
    // Ids of someone else's tokens with owner 'me' are spared, not disabled.
    const mine = await api('POST', '/api/v1/tokens/disable-unused', { token: member.session, body: { unused_days: 3, dry_run: false, ids: [f.idle.id] } });
    assert.deepEqual(mine.json.tokens, []);
    assert.equal(await statusOf(f.idle.id), 'active');
    // The admin may, for everyone.
    const all = await api('POST', '/api/v1/tokens/disable-unused', { token: h.admin, body: { unused_days: 3, dry_run: true, owner: 'all' } });
    assert.equal(all.status, 200, all.text);
    assert.ok(names(all.json.tokens).includes('idle'));
    assert.ok(all.json.tokens.some((t: { owner: { id: string } }) => t.owner.id === f.user.id));
  });

  test('bad input gets a 400 and changes nothing', async () => {
    const f = await fixture('unused-bad');
    const bad: unknown[] = [
      { unused_days: 0, dry_run: false, owner: f.user.id },
      { unused_days: 3651, dry_run: false, owner: f.user.id },
      { unused_days: 2.5, dry_run: false, owner: f.user.id },
      { unused_days: '3', dry_run: false, owner: f.user.id },
      { unused_days: 3, owner: f.user.id },
      { unused_days: 3, dry_run: 'no', owner: f.user.id },
      { unused_days: 3, dry_run: false, owner: f.user.id, ids: [] },
      { unused_days: 3, dry_run: false, owner: f.user.id, ids: 'tok_x' },
      { unused_days: 3, dry_run: false, owner: f.user.id, ids: [7] },
      { unused_days: 3, dry_run: false, owner: f.user.id, extra: true },
      { unused_days: 3, dry_run: false, owner: 'usr_nobody' },
      { unused_days: 3, dry_run: false, owner: '' },
      [],
    ];
    for (const body of bad) {
      assertProblem(await api('POST', '/api/v1/tokens/disable-unused', { token: h.admin, body }), 400, 'validation_failed');
    }
    for (const t of [f.idle, f.young]) {
      assert.equal(await statusOf(t.id), 'active', JSON.stringify(t.json.token.name));
      assert.deepEqual(await disabledAudits(t.id), []);
    }
  });
});

describe('disable-unused is one transaction', () => {
  let own: Harness;
  let store: Store;
  let dataDir: string;
  let databaseUrl: string | null = null;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'patkit-unused-'));
    databaseUrl = await newTestDatabase();
    store = databaseUrl === null ? new SqliteStore(dataDir) : await PostgresStore.open(databaseUrl);
    own = await startHarness({ store, dataDir, keepDataDir: true });
  });
  after(async () => {
    await own.stop();
    await store.close();
    await dropTestDatabase(databaseUrl);
    await rm(dataDir, { recursive: true, force: true });
  });

  test('a failure while writing the second audit entry leaves the first token enabled too', async () => {
    const first = await createToken(own);
    const second = await createToken(own);
    const now = new Date(Date.now() + DAY).toISOString();
    const audit = (id: string, detail: Record<string, unknown>) =>
      ({ action: 'token.disabled', actor: null, token_id: id, owner_id: own.adminId, ip: null, at: now, detail }) as AuditEntry;
    // A BigInt cannot be serialised: the store throws in the middle of the batch.
    await assert.rejects(store.disableUnusedTokens([first.id, second.id], now, now, [audit(first.id, {}), audit(second.id, { bad: 1n })]));
    assert.equal((await store.getToken(first.id))!.disabled, false, 'rolled back');
    assert.equal((await store.getToken(second.id))!.disabled, false);
    // Control: the same batch with good entries disables both.
    const done = await store.disableUnusedTokens([first.id, second.id], now, now, [audit(first.id, {}), audit(second.id, {})]);
    assert.deepEqual(done.map((t) => t.id), [first.id, second.id]);
    assert.ok(done.every((t) => t.disabled));
  });
});
