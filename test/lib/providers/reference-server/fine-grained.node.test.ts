/**
 * The reference server provider's fine-grained operations against a REAL patkit server (child
 * process, fresh data dir, a scopes file declaring the `project` resource type): capabilities read
 * from the server, resources and templates (narrowing, refusal to widen), self-rotation with and
 * without the scope, approval requests (approve, deny with a reason, not pending → conflict), and
 * the allow-list and not-before refusing the token at use, and a token over a lowered lifetime cap
 * cured by one regenerate carrying a compliant expiry.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ProviderError } from '../../../../lib/errors.ts';
import { ReferenceServerProvider } from '../../../../lib/providers/reference-server/provider.ts';
import { call } from '../../../support/http.ts';
import { startTestServer, type TestServer } from '../../../support/server.ts';
import { admin, adminOk, newUser, unique, type ContractEnv } from './contract.ts';

let server: TestServer;
let env: ContractEnv;

before(async () => {
  const scopesFile = join(tmpdir(), `patkit-fg-lib-${process.pid}-${Date.now()}.json`);
  await writeFile(scopesFile, JSON.stringify({ scopes: [], resource_types: [{ id: 'project', name: 'Project' }] }));
  server = await startTestServer({ enablePats: true, env: { PATKIT_SCOPES_FILE: scopesFile } });
  env = { serverUrl: server.url, adminPassword: server.adminPassword };
});

after(async () => {
  await server?.stop();
});

const credentialOf = (p: ReferenceServerProvider): string => (p as unknown as { credential: string }).credential;

async function refused(promise: Promise<unknown>, code: string, serverCode?: string): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ProviderError, String(error));
    assert.equal(error.code, code, `${error.code} (${error.serverCode}): ${error.message}`);
    if (serverCode) assert.equal(error.serverCode, serverCode, error.message);
    return error;
  }
  throw new Error(`expected a ${code} error`);
}

/** A provider signed in with a fresh token of `owner` carrying these scopes. */
async function withToken(owner: ReferenceServerProvider, scopes: string[], confirm = adminOk(env)): Promise<{ provider: ReferenceServerProvider; secret: string }> {
  const made = await owner.createToken({ name: unique('t'), scopes }, confirm);
  const provider = new ReferenceServerProvider({ baseUrl: env.serverUrl });
  await provider.signIn({ kind: 'token', token: made.secret });
  return { provider, secret: made.secret };
}

describe('reference server provider: resources, templates and self-rotation (real server)', () => {
  test('capabilities come from the server; resource types and a searched resource page', async () => {
    const boss = await admin(env);
    const put = await call(env.serverUrl, 'PUT', '/api/v1/resources/project/p1', { token: credentialOf(boss), body: { name: 'Project One', org_id: null } });
    assert.equal(put.status, 201, put.text);
    const caps = await boss.refreshCapabilities();
    assert.deepEqual([caps.resources, caps.templates, caps.approval, caps.allowedIps, caps.notBefore], [true, true, true, true, true]);
    assert.equal(caps.selfRotate, false, 'a session cannot rotate itself');
    assert.deepEqual((await boss.listResourceTypes()).map((t) => t.id), ['organization', 'project']);
    const page = await boss.listResources({ type: 'project', q: 'one' });
    assert.deepEqual(page.items.map((r) => [r.type, r.id, r.name]), [['project', 'p1', 'Project One']]);
  });

  test('templates: create, list, update; a token made from one records it and may only narrow it; delete', async () => {
    const boss = await admin(env);
    const template = await boss.createTemplate({ name: unique('tpl'), description: 'deploys', scopes: ['tokens:read'], expires_in_days: 30, resources: [{ type: 'project', id: 'p1' }] });
    assert.equal(template.expires_in_days, 30);
    assert.ok((await boss.listTemplates()).some((t) => t.id === template.id));
    assert.equal((await boss.updateTemplate(template.id, { description: 'nightly' })).description, 'nightly');
    const { provider: user, ok } = await newUser(env);
    const made = await user.createToken({ name: unique('from-tpl'), template_id: template.id, scopes: ['tokens:read'], resources: [{ type: 'project', id: 'p1' }] }, ok);
    assert.equal(made.token.template_id, template.id);
    assert.deepEqual(made.token.resources?.map((r) => [r.type, r.id]), [['project', 'p1']]);
    const wider = await refused(user.createToken({ name: unique('wider'), template_id: template.id, scopes: ['tokens:read', 'tokens:write'] }, ok), 'validation_failed');
    assert.equal(wider.fieldErrors[0]?.field, 'scopes');
    await boss.deleteTemplate(template.id);
    assert.ok(!(await boss.listTemplates()).some((t) => t.id === template.id));
  });

  test('self-rotation: a token with tokens:self_rotate replaces itself (grace keeps the old one); without the scope it is refused', async () => {
    const boss = await admin(env);
    const { provider, secret } = await withToken(boss, ['tokens:self_rotate']);
    assert.equal((await provider.refreshCapabilities()).selfRotate, true);
    const rotated = await provider.rotateSelf({ gracePeriodSeconds: 60 });
    assert.notEqual(rotated.secret, secret);
    assert.equal(provider.credentialValue, rotated.secret);
    assert.equal((await provider.currentUser()).username, 'admin', 'the provider carries on with the new secret');
    const old = new ReferenceServerProvider({ baseUrl: env.serverUrl, credential: secret });
    assert.equal((await old.currentUser()).username, 'admin', 'the old secret works during the grace period');
    const { provider: plain, secret: plainSecret } = await withToken(boss, ['tokens:read']);
    await refused(plain.rotateSelf(), 'forbidden');
    assert.equal(plain.credentialValue, plainSecret, 'a refused rotation keeps the credential');
  });
});

describe('reference server provider: approval requests, allow-list and not-before (real server)', () => {
  test('under non_admins approval a user\u2019s token is pending, then approved; approving again is a conflict', async () => {
    const boss = await admin(env);
    assert.equal((await boss.updateSettings({ token_approval: 'non_admins' })).token_approval, 'non_admins');
    try {
      const { provider: user, ok } = await newUser(env);
      assert.equal((await user.refreshCapabilities()).approvalRequired, true);
      assert.equal((await boss.refreshCapabilities()).approvalRequired, false, 'System Admins are spared by non_admins');
      const made = await user.createToken({ name: unique('needs-ok'), scopes: [], justification: 'nightly backups' }, ok);
      assert.equal(made.token.status, 'pending');
      assert.equal(made.token.approval?.justification, 'nightly backups');
      const pendingUse = new ReferenceServerProvider({ baseUrl: env.serverUrl, credential: made.secret });
      await refused(pendingUse.currentUser(), 'unauthorized', 'token_pending_approval');
      const requests = await boss.listTokenRequests({ state: 'pending' });
      assert.ok(requests.items.some((t) => t.id === made.token.id));
      const approved = await boss.approveTokenRequest(made.token.id);
      assert.equal(approved.status, 'active');
      assert.equal(approved.approval?.state, 'approved');
      assert.equal((await pendingUse.currentUser()).id, (await user.currentUser()).id, 'the approved token works');
      await refused(boss.approveTokenRequest(made.token.id), 'conflict', 'token_not_pending');

      const second = await user.createToken({ name: unique('denied'), scopes: [], justification: 'just because' }, ok);
      const denied = await boss.denyTokenRequest(second.token.id, 'too broad');
      assert.equal(denied.status, 'denied');
      assert.equal(denied.approval?.reason, 'too broad');
      await refused(new ReferenceServerProvider({ baseUrl: env.serverUrl, credential: second.secret }).currentUser(), 'unauthorized', 'token_request_denied');
    } finally {
      await boss.updateSettings({ token_approval: 'off' });
    }
  });

  test('allowed_ips and not_before travel, and refuse the token at use; a patch clears the list', async () => {
    const boss = await admin(env);
    const fenced = await boss.createToken({ name: unique('fenced'), scopes: [], allowed_ips: ['203.0.113.0/24'] }, adminOk(env));
    assert.deepEqual(fenced.token.allowed_ips, ['203.0.113.0/24']);
    const use = new ReferenceServerProvider({ baseUrl: env.serverUrl, credential: fenced.secret });
    await refused(use.currentUser(), 'unauthorized', 'ip_not_allowed');
    const cleared = await boss.updateToken(fenced.token.id, { allowed_ips: [] }, adminOk(env));
    assert.deepEqual(cleared.allowed_ips, []);
    assert.equal((await use.currentUser()).username, 'admin');
    const later = new Date(Date.now() + 86_400_000).toISOString();
    const early = await boss.createToken({ name: unique('later'), scopes: [], not_before: later, expires_at: new Date(Date.now() + 5 * 86_400_000).toISOString() }, adminOk(env));
    assert.equal(early.token.not_before, later);
    await refused(new ReferenceServerProvider({ baseUrl: env.serverUrl, credential: early.secret }).currentUser(), 'unauthorized', 'token_not_yet_valid');
    const bad = await refused(boss.createToken({ name: unique('bad-ip'), scopes: [], allowed_ips: ['10.0.0.0/33'] }, adminOk(env)), 'validation_failed');
    assert.match(bad.fieldErrors[0]?.field ?? '', /^allowed_ips/);
  });
});

describe('reference server provider: the lifetime policy at use (real server)', () => {
  test('cap lowered: a 30-day token is refused; regenerate with a compliant expiry makes the new secret work', async () => {
    const boss = await admin(env);
    const { default_lifetime_days, max_lifetime_days } = await boss.getSettings();
    const { provider: user, ok } = await newUser(env);
    const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();
    const made = await user.createToken({ name: unique('thirty'), scopes: [], expires_at: inDays(30) }, ok);
    await boss.updateSettings({ default_lifetime_days: 7, max_lifetime_days: 10 });
    try {
      const old = new ReferenceServerProvider({ baseUrl: env.serverUrl, credential: made.secret });
      await refused(old.currentUser(), 'unauthorized', 'token_lifetime_exceeds_policy');
      assert.equal((await user.getToken(made.token.id)).lifetime_exceeds_policy, true);
      // A regenerate keeping the expiry does not get out: the new lifetime counts from now.
      const kept = await refused(user.regenerateToken(made.token.id, ok), 'validation_failed');
      assert.equal(kept.fieldErrors[0]?.field, 'expires_at');

      const expiresAt = inDays(5);
      const fresh = await user.regenerateToken(made.token.id, ok, { expiresAt });
      assert.equal(fresh.token.expires_at, expiresAt);
      assert.notEqual(fresh.token.lifetime_exceeds_policy, true);
      const use = new ReferenceServerProvider({ baseUrl: env.serverUrl, credential: fresh.secret });
      assert.equal((await use.currentUser()).id, (await user.currentUser()).id, 'the new secret works');
      await refused(old.currentUser(), 'unauthorized');
      // Still bounded by the cap counted from now.
      await refused(user.regenerateToken(made.token.id, ok, { expiresAt: inDays(11) }), 'validation_failed');
    } finally {
      await boss.updateSettings({ default_lifetime_days, max_lifetime_days });
    }
  });

  test('self-rotation refuses a new expiry before asking the server (it keeps the token\u2019s own)', async () => {
    const boss = await admin(env);
    const { provider, secret } = await withToken(boss, ['tokens:self_rotate']);
    await refused(provider.rotateSelf({ expiresAt: null }), 'unsupported_operation');
    assert.equal(provider.credentialValue, secret);
  });
});
