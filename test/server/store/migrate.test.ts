/**
 * `npm run serve -- --migrate-to postgres://…` on a seeded SQLite data dir: 1,000 tokens,
 * an organisation with a group, memberships and an organisation token, a signed-in session, roles
 * and an audit log. Afterwards a server on PostgreSQL (same pepper) verifies every token and the
 * session, and shows the same organisations and audit; a second copy into the now non-empty target
 * is refused. Runs on the PostgreSQL run of the suite (it needs both stores).
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildServer } from '../../../server/app.ts';
import { digestCredential, generateToken, last4, pepperKey } from '../../../server/auth/credentials.ts';
import { SqliteStore } from '../../../server/store/sqlite/sqlite-store.ts';
import type { NewToken } from '../../../server/store/store.ts';
import { TEST_STORE, testCluster } from '../../support/postgres.ts';
import { runServer, spawnServer } from '../../support/spawn-server.ts';
import { call } from '../helpers.ts';

const PASSWORD = 'migrate-admin-password';

/** main.ts with these variables and arguments: run to its exit, or (untilListening) until it serves. */
async function runMain(env: Record<string, string>, args: string[], untilListening = false): Promise<{ code: number | null; out: string; url?: string; stop?: () => Promise<void> }> {
  if (!untilListening) {
    const { code, output } = await runServer({ env, args });
    return { code, out: output };
  }
  const server = await spawnServer({ env, args });
  return { code: null, out: server.output(), url: server.url, stop: server.stop };
}

describe('--migrate-to: a SQLite data dir into an empty PostgreSQL database', { skip: TEST_STORE !== 'postgres' && 'PostgreSQL only: it copies into a PostgreSQL database (npm run test:server:postgres)' }, () => {
  let dir: string;
  let dataDir: string;
  let target: string;
  const secrets: string[] = [];
  let session: string;
  let orgTokenSecret: string;
  let orgId: string;
  let counts: Record<string, number>;
  let webhookSecret: string;
  let receiverUrl: string;
  const received: Array<{ headers: Record<string, string | string[] | undefined>; body: string }> = [];
  const receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (c: Buffer) => (body += c.toString()));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.end('ok');
    });
  });

  before(async () => {
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
    dir = await mkdtemp(join(tmpdir(), 'patkit-migrate-'));
    dataDir = join(dir, 'sqlite');
    target = await (await testCluster()).createDatabase();
    // Seed through the real API on SQLite: users and roles, an organisation, a group, members,
    // an organisation token, a session, failed verifications (audit).
    const app = await buildServer({ dataDir, adminPassword: PASSWORD, enablePats: true, consoleDir: null });
    const url = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
    const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) => call(url, method, path, options);
    session = (await api('POST', '/api/v1/sessions', { body: { username: 'admin', password: PASSWORD } })).json.credential;
    await api('PATCH', '/api/v1/settings', { token: session, body: { require_password_confirmation: false, allow_no_expiry: true, max_lifetime_days: 0 } });
    const uma = await api('POST', '/api/v1/users', { token: session, body: { username: 'uma', display_name: 'Uma', password: 'uma-password-1', roles: ['system_user', 'user_access_token'] } });
    orgId = (await api('POST', '/api/v1/orgs', { token: session, body: { name: 'Migrated Org' } })).json.id;
    const group = (await api('POST', `/api/v1/orgs/${orgId}/groups`, { token: session, body: { name: 'Migrated Group' } })).json.id;
    await api('PUT', `/api/v1/orgs/${orgId}/members/${uma.json.id}`, { token: session, body: { role: 'admin' } });
    await api('PUT', `/api/v1/orgs/${orgId}/groups/${group}/members/${uma.json.id}`, { token: session, body: { role: 'user' } });
    orgTokenSecret = (await api('POST', `/api/v1/orgs/${orgId}/tokens`, { token: session, body: { name: 'org token', admin_role: false } })).json.secret;
    // The organisation's token policies (a boolean and a cap) come along with it.
    await api('PATCH', `/api/v1/orgs/${orgId}`, { token: session, body: { max_token_lifetime_days: 3650, require_token_approval: true } });
    for (let i = 0; i < 5; i++) await api('GET', '/api/v1/users/me', { token: generateToken() });
    const adminId = (await api('GET', '/api/v1/users/me', { token: session })).json.id as string;
    await api('PATCH', '/api/v1/settings', { token: session, body: { allow_private_webhook_targets: true, password: PASSWORD } });
    const hook = await api('POST', '/api/v1/webhooks', { token: session, body: { url: `${receiverUrl}/migrated`, events: ['token.disabled'], description: 'migrated' } });
    assert.equal(hook.status, 201, hook.text);
    webhookSecret = hook.json.secret;
    await app.close();

    // 1,000 tokens straight into the file, each with a real secret digested with this pepper.
    const pepper = pepperKey(await readFile(join(dataDir, 'pepper')));
    const store = new SqliteStore(dataDir);
    const at = new Date().toISOString();
    const rows: NewToken[] = [];
    for (let i = 0; i < 1000; i++) {
      const secret = generateToken();
      secrets.push(secret);
      rows.push({
        id: `tok_migrate${String(i).padStart(6, '0')}`,
        digest: digestCredential(pepper, secret),
        last4: last4(secret),
        owner_kind: 'user',
        owner_user_id: i % 2 ? adminId : uma.json.id,
        owner_scope_id: null,
        owner_scope_name: null,
        name: `seeded ${i}`,
        description: '',
        created_at: at,
        created_by_id: adminId,
        expires_at: null,
        scopes: ['tokens:read'],
      });
    }
    store.importTokens(rows);
    counts = Object.fromEntries(['users', 'user_roles', 'sessions', 'organizations', 'org_groups', 'org_members', 'group_members', 'tokens', 'token_policy_orgs', 'audit', 'webhooks'].map((t) => [t, store.countRows(t as 'users')]));
    store.closeNow();
  });
  after(async () => {
    await new Promise((r) => receiver.close(r));
    await (await testCluster()).dropDatabase(target);
    await rm(dir, { recursive: true, force: true });
  });

  test('copies everything with progress; every token, the session and the organisation work on PostgreSQL', async () => {
    const migrated = await runMain({ PATKIT_DATA_DIR: dataDir }, ['--migrate-to', target]);
    assert.equal(migrated.code, 0, migrated.out);
    assert.match(migrated.out, /Copying .*1001 tokens/);
    assert.match(migrated.out, /tokens: 1001 copied/);
    assert.match(migrated.out, /audit: \d+ copied/);
    assert.match(migrated.out, /Done in/);

    const server = await runMain({ PATKIT_DATA_DIR: join(dir, 'instance'), PATKIT_PEPPER_FILE: join(dataDir, 'pepper'), PATKIT_DATABASE_URL: target }, [], true);
    try {
      const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) => call(server.url!, method, path, options);
      let verified = 0;
      const queue = [...secrets];
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let s = queue.pop(); s !== undefined; s = queue.pop()) {
            const r = await api('GET', '/api/v1/users/me', { token: s });
            if (r.status === 200) verified++;
            else assert.fail(`a copied token does not verify: ${r.status} ${r.text}`);
          }
        }),
      );
      assert.equal(verified, 1000);
      assert.equal((await api('GET', '/api/v1/users/me', { token: session })).status, 200, 'the session came along');
      const introspector = (await api('POST', '/api/v1/tokens', { token: session, body: { name: 'i', scopes: ['tokens:introspect'], acknowledge_admin_token: true } })).json.secret;
      const org = await api('POST', '/api/v1/introspect', { token: introspector, body: { token: orgTokenSecret } });
      assert.equal(org.json.active, true);
      assert.match(org.json.scope, new RegExp(`org:${orgId}:user`));
      const orgs = (await api('GET', '/api/v1/orgs', { token: session })).json.items;
      assert.deepEqual(orgs.map((o: { name: string }) => o.name), ['Migrated Org']);
      assert.deepEqual([orgs[0].require_token_approval, orgs[0].max_token_lifetime_days], [true, 3650], 'the token policies came along');
      const groups = (await api('GET', `/api/v1/orgs/${orgId}/groups`, { token: session })).json.items;
      assert.deepEqual(groups.map((g: { name: string }) => g.name), ['Migrated Group']);
      // The webhook came along, and its sealed secret still signs (same pepper).
      const hooks = (await api('GET', '/api/v1/webhooks', { token: session })).json.items;
      assert.deepEqual(hooks.map((w: { url: string; description: string }) => [w.url, w.description]), [[`${receiverUrl}/migrated`, 'migrated']]);
      assert.equal((await api('POST', `/api/v1/webhooks/${hooks[0].id}/ping`, { token: session, body: {} })).status, 202);
      const deadline = Date.now() + 8000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const ping = received[0]!;
      const key = Buffer.from(webhookSecret.slice('whsec_'.length), 'base64');
      const expected = 'v1,' + createHmac('sha256', key).update(`${ping.headers['webhook-id']}.${ping.headers['webhook-timestamp']}.${ping.body}`).digest('base64');
      assert.equal(ping.headers['webhook-signature'], expected);
      assert.equal(JSON.parse(ping.body).type, 'webhook.ping');
      const failures = (await api('GET', '/api/v1/audit?action=token.verification_failed', { token: session })).json.items;
      assert.equal(failures.length, 5, 'the audit log came along');
      // Counts in PostgreSQL: what was copied, plus the introspector token and its audit row.
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: target });
      await client.connect();
      try {
        for (const [table, n] of Object.entries(counts)) {
          const got = Number((await client.query(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0].n);
          const added = table === 'tokens' ? 1 : table === 'audit' ? got - n : 0;
          assert.equal(got, n + added, table);
        }
        const seq = (await client.query("SELECT max(seq) AS m FROM audit WHERE action = 'token.created' AND detail LIKE '%\"name\":\"i\"%'")).rows[0].m;
        assert.ok(Number(seq) > counts.audit!, 'new audit rows continue after the copied sequence numbers');
      } finally {
        await client.end();
      }
    } finally {
      await server.stop!();
    }
  });

  test('a non-empty target is refused and left unchanged', async () => {
    const again = await runMain({ PATKIT_DATA_DIR: dataDir }, ['--migrate-to', target]);
    assert.equal(again.code, 1);
    assert.match(again.out, /target database is not empty \(.*1002 tokens rows/);
    assert.doesNotMatch(again.out, /\n\s+at /);
  });

  test('a data dir without a database is refused with a clear message', async () => {
    const empty = await runMain({ PATKIT_DATA_DIR: join(dir, 'nothing') }, ['--migrate-to', target]);
    assert.equal(empty.code, 1);
    assert.match(empty.out, /patkit\.db does not exist/);
    const bad = await runMain({ PATKIT_DATA_DIR: dataDir }, ['--migrate-to', 'mysql://x']);
    assert.equal(bad.code, 2);
    assert.match(bad.out, /--migrate-to needs the target database/);
  });
});
