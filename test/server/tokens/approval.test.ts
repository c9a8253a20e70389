/**
 * Token requests over real HTTP (docs/security.md rule 35): a token created under an approval
 * policy authenticates nothing until approved, a denied one never; who may decide which request;
 * audit, webhooks' event names, bad input that changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ADMIN_PASSWORD, assertProblem, call, createToken, createUser, startHarness, type CallOptions, type Harness } from '../helpers.ts';
import { FAST, Receiver, waitFor } from '../webhooks/receiver.ts';

let h: Harness;
const api = (method: string, path: string, options: CallOptions = {}) => call(h.url, method, path, options);

async function ok(method: string, path: string, options: CallOptions, status = 200) {
  const r = await api(method, path, options);
  assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  return r.json;
}

async function setApproval(mode: 'off' | 'non_admins' | 'all') {
  await ok('PATCH', '/api/v1/settings', { token: h.admin, body: { token_approval: mode } });
}

async function auditActions(tokenId: string): Promise<string[]> {
  const page = await ok('GET', `/api/v1/audit?token_id=${tokenId}`, { token: h.admin });
  return (page.items as { action: string }[]).map((e) => e.action);
}

let ann: { id: string; session: string };
const receiver = new Receiver();

before(async () => {
  await receiver.start();
  h = await startHarness({ webhooks: FAST });
  ann = await createUser(h, 'ann', ['system_user', 'user_access_token']);
});
after(async () => {
  await h.stop();
  await receiver.stop();
});
beforeEach(async () => {
  await setApproval('off');
});

describe('approval requests', () => {
  test('pending → 401 token_pending_approval → approve → 200; a second decision is 409 token_not_pending', async () => {
    await setApproval('all');
    const t = await createToken(h, { justification: 'CI deploys' }, ann.session);
    assert.equal(t.json.token.status, 'pending');
    assert.equal(t.json.token.approval.state, 'pending');
    assert.equal(t.json.token.approval.justification, 'CI deploys');
    assert.equal(t.json.token.approval.decided_by, null);
    assert.match(t.secret, /^pat_/, 'the secret is revealed at creation as usual');
    assertProblem(await api('GET', '/api/v1/tokens', { token: t.secret }), 401, 'token_pending_approval');
    const intro = await ok('POST', '/api/v1/introspect', { token: h.admin, body: { token: t.secret } });
    assert.equal(intro.active, false, 'introspection says inactive while pending');
    const ids = async (status: string) => ((await ok('GET', `/api/v1/tokens?status=${status}`, { token: ann.session })).items as { id: string }[]).map((i) => i.id);
    assert.ok((await ids('pending')).includes(t.id), 'listed as pending');
    assert.ok(!(await ids('active')).includes(t.id), 'not listed as active');

    const queue = await ok('GET', '/api/v1/token-requests', { token: h.admin });
    assert.ok((queue.items as { id: string }[]).some((i) => i.id === t.id), 'the request is in the pending queue');
    const approved = await ok('POST', `/api/v1/token-requests/${t.id}/approve`, { token: h.admin, body: {} });
    assert.equal(approved.status, 'active');
    assert.equal(approved.approval.state, 'approved');
    assert.equal(approved.approval.decided_by.username, 'admin');
    assert.equal((await api('GET', '/api/v1/tokens', { token: t.secret })).status, 200);
    assert.ok((await ids('active')).includes(t.id), 'active once approved');
    assertProblem(await api('POST', `/api/v1/token-requests/${t.id}/approve`, { token: h.admin, body: {} }), 409, 'token_not_pending');
    assertProblem(await api('POST', `/api/v1/token-requests/${t.id}/deny`, { token: h.admin, body: { reason: 'late' } }), 409, 'token_not_pending');
    assert.equal((await api('GET', '/api/v1/tokens', { token: t.secret })).status, 200, 'the late deny changed nothing');
    const done = await ok('GET', '/api/v1/token-requests?state=approved', { token: h.admin });
    assert.ok((done.items as { id: string }[]).some((i) => i.id === t.id));
    const actions = await auditActions(t.id);
    for (const action of ['token.created', 'token.request_created', 'token.verification_failed', 'token.request_approved']) assert.ok(actions.includes(action), action);
  });

  test('deny → the token never works, not even after regenerate; the reason is shown', async () => {
    await setApproval('all');
    const t = await createToken(h, {}, ann.session);
    assertProblem(await api('POST', `/api/v1/token-requests/${t.id}/deny`, { token: h.admin, body: {} }), 400, 'validation_failed');
    const denied = await ok('POST', `/api/v1/token-requests/${t.id}/deny`, { token: h.admin, body: { reason: 'Use the shared deploy key' } });
    assert.equal(denied.status, 'denied');
    assert.equal(denied.approval.reason, 'Use the shared deploy key');
    assertProblem(await api('GET', '/api/v1/tokens', { token: t.secret }), 401, 'token_request_denied');
    await setApproval('off');
    assertProblem(await api('GET', '/api/v1/tokens', { token: t.secret }), 401, 'token_request_denied');
    const again = await ok('POST', `/api/v1/tokens/${t.id}/regenerate`, { token: ann.session, body: {} });
    assert.equal(again.token.status, 'denied');
    assertProblem(await api('GET', '/api/v1/tokens', { token: again.secret }), 401, 'token_request_denied');
    assertProblem(await api('POST', `/api/v1/token-requests/${t.id}/approve`, { token: h.admin, body: {} }), 409, 'token_not_pending');
    assert.ok((await auditActions(t.id)).includes('token.request_denied'));
  });

  test('"non_admins" spares System Admins; nobody approves their own request; off means no request', async () => {
    await setApproval('non_admins');
    const mine = await createToken(h, {});
    assert.equal(mine.json.token.approval, null);
    assert.equal(mine.json.token.status, 'active');
    const annToken = await createToken(h, {}, ann.session);
    assert.equal(annToken.json.token.status, 'pending');
    await setApproval('all');
    const adminsOwn = await createToken(h, {});
    assert.equal(adminsOwn.json.token.status, 'pending');
    assertProblem(await api('POST', `/api/v1/token-requests/${adminsOwn.id}/approve`, { token: h.admin, body: {} }), 403, 'forbidden');
    await setApproval('off');
    const plain = await createToken(h, { justification: 'ignored' }, ann.session);
    assert.equal(plain.json.token.approval, null);
    assertProblem(await api('POST', `/api/v1/token-requests/${plain.id}/approve`, { token: h.admin, body: {} }), 409, 'token_not_pending');
  });

  test('only approvers see the queue; a member without tokens:approve or an org admin role gets 403', async () => {
    assertProblem(await api('GET', '/api/v1/token-requests', { token: ann.session }), 403, 'forbidden');
    await setApproval('all');
    const t = await createToken(h, {}, ann.session);
    assertProblem(await api('POST', `/api/v1/token-requests/${t.id}/approve`, { token: ann.session, body: {} }), 403, 'forbidden');
    assertProblem(await api('POST', '/api/v1/token-requests/tok_nope/approve', { token: h.admin, body: {} }), 404, 'not_found');
  });

  test('bad input changes nothing: a justification over 500 characters, an unknown state, an extra field', async () => {
    await setApproval('all');
    const before = (await ok('GET', '/api/v1/tokens?limit=200', { token: ann.session })).items.length;
    const long = await api('POST', '/api/v1/tokens', { token: ann.session, body: { name: 'x', scopes: ['tokens:read'], justification: 'j'.repeat(501) } });
    assertProblem(long, 400, 'validation_failed');
    assert.equal(long.json.errors[0].field, 'justification');
    assertProblem(await api('GET', '/api/v1/token-requests?state=maybe', { token: h.admin }), 400, 'validation_failed');
    const t = await createToken(h, {}, ann.session);
    assertProblem(await api('POST', `/api/v1/token-requests/${t.id}/approve`, { token: h.admin, body: { extra: 1 } }), 400, 'validation_failed');
    assert.equal((await ok('GET', `/api/v1/tokens/${t.id}`, { token: h.admin })).status, 'pending');
    assert.equal((await ok('GET', '/api/v1/tokens?limit=200', { token: ann.session })).items.length, before + 1, 'only the valid create made a token');
  });

  test('requests, approvals and denials are delivered as webhooks of the same names', async () => {
    await ok('PATCH', '/api/v1/settings', { token: h.admin, body: { allow_private_webhook_targets: true, password: ADMIN_PASSWORD } });
    const events = ['token.request_created', 'token.request_approved', 'token.request_denied'];
    await ok('POST', '/api/v1/webhooks', { token: h.admin, body: { url: `${receiver.url}/requests/`, events } }, 201);
    await setApproval('all');
    const yes = await createToken(h, { justification: 'nightly backup' }, ann.session);
    const no = await createToken(h, {}, ann.session);
    await ok('POST', `/api/v1/token-requests/${yes.id}/approve`, { token: h.admin, body: {} });
    await ok('POST', `/api/v1/token-requests/${no.id}/deny`, { token: h.admin, body: { reason: 'not needed' } });
    const got = await waitFor('four deliveries', () => (receiver.at('/requests/').length >= 4 ? receiver.at('/requests/') : false));
    const bodies = got.map((r) => JSON.parse(r.body) as { type: string; data: { token: { id: string }; justification?: string; reason?: string } });
    const of = (type: string, id: string) => bodies.find((b) => b.type === type && b.data.token.id === id);
    assert.equal(of('token.request_created', yes.id)?.data.justification, 'nightly backup');
    assert.ok(of('token.request_created', no.id));
    assert.ok(of('token.request_approved', yes.id));
    assert.equal(of('token.request_denied', no.id)?.data.reason, 'not needed');
  });
});

describe('organisation approval', () => {
  let orgA: string;
  let orgB: string;
  let olga: { id: string; session: string };

  before(async () => {
    olga = await createUser(h, 'olga');
    orgA = (await ok('POST', '/api/v1/orgs', { token: h.admin, body: { name: 'Acme' } }, 201)).id;
    orgB = (await ok('POST', '/api/v1/orgs', { token: h.admin, body: { name: 'Beta' } }, 201)).id;
    await ok('PUT', `/api/v1/orgs/${orgA}/members/${olga.id}`, { token: h.admin, body: { role: 'admin' } });
  });

  test('require_token_approval makes the organisation’s tokens wait; its admin approves only its own organisation’s', async () => {
    const a = await ok('PATCH', `/api/v1/orgs/${orgA}`, { token: h.admin, body: { require_token_approval: true } });
    assert.equal(a.require_token_approval, true);
    await ok('PATCH', `/api/v1/orgs/${orgB}`, { token: h.admin, body: { require_token_approval: true } });
    assertProblem(await api('PATCH', `/api/v1/orgs/${orgB}`, { token: olga.session, body: { require_token_approval: false } }), 404, 'not_found');
    const tokenA = await ok('POST', `/api/v1/orgs/${orgA}/tokens`, { token: h.admin, body: { name: 'a', admin_role: false, justification: 'sync' } }, 201);
    const tokenB = await ok('POST', `/api/v1/orgs/${orgB}/tokens`, { token: h.admin, body: { name: 'b', admin_role: false } }, 201);
    assert.equal(tokenA.token.status, 'pending');
    assert.equal(tokenB.token.status, 'pending');
    const introA = await ok('POST', '/api/v1/introspect', { token: h.admin, body: { token: tokenA.secret } });
    assert.equal(introA.active, false);

    const queue = (await ok('GET', '/api/v1/token-requests', { token: olga.session })).items as { id: string }[];
    assert.deepEqual(queue.map((i) => i.id), [tokenA.token.id], 'the org admin sees only her organisation’s requests');
    assertProblem(await api('POST', `/api/v1/token-requests/${tokenB.token.id}/approve`, { token: olga.session, body: {} }), 404, 'not_found');
    assert.equal((await ok('GET', `/api/v1/tokens/${tokenB.token.id}`, { token: h.admin })).status, 'pending', 'nothing changed');
    const approved = await ok('POST', `/api/v1/token-requests/${tokenA.token.id}/approve`, { token: olga.session, body: {} });
    assert.equal(approved.approval.decided_by.username, 'olga');
    assert.equal((await ok('POST', '/api/v1/introspect', { token: h.admin, body: { token: tokenA.secret } })).active, true);
    const all = (await ok('GET', '/api/v1/token-requests', { token: h.admin })).items as { id: string }[];
    assert.ok(all.some((i) => i.id === tokenB.token.id), 'a System Admin sees every organisation’s requests');
  });
});
