/**
 * The reference server provider's fine-grained routes on the wire: paths, bodies, answer checks and
 * capabilities. The fetch is a recording fake that answers as the wire contract says, because this
 * checks the provider's side of the contract on its own (the server's side is proven over real
 * HTTP by the server's suites and the contract cases in contract.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProviderError } from '../../../../lib/errors.ts';
import type { ServerSettings, User } from '../../../../lib/model.ts';
import { supports } from '../../../../lib/providers/operations.ts';
import { referenceServerCapabilities } from '../../../../lib/providers/reference-server/capabilities.ts';
import { ReferenceServerProvider } from '../../../../lib/providers/reference-server/provider.ts';

const TOKEN = {
  id: 'tok_1', owner: { kind: 'user', id: 'usr_1', username: 'alice', display_name: 'Alice' }, name: 'ci', description: '',
  created_at: '2026-01-01T00:00:00.000Z', created_by: null, updated_at: null, expires_at: null, scopes: [], status: 'pending',
  last_used_at: null, last_used_ip: null, last4: 'abcd', resources: [{ type: 'project', id: 'p1', name: 'One' }], allowed_ips: [], not_before: null,
  template_id: null, approval: { state: 'pending', justification: 'why', requested_at: '2026-01-01T00:00:00.000Z', decided_at: null, decided_by: null, reason: null },
  lifetime_exceeds_policy: false,
};
const TEMPLATE = { id: 'tpl_1', name: 'DNS', description: '', scopes: ['a'], expires_in_days: 30, resources: [], allowed_ips: [], created_at: null, updated_at: null };
const SECRET = 'pat_' + 'A'.repeat(36);
const NEW_SECRET = 'pat_' + 'B'.repeat(36);

interface Seen { method: string; path: string; search: string; body: unknown; auth: string | null }

function fakeServer(answer: (seen: Seen) => { status: number; body?: unknown }): { provider: ReferenceServerProvider; seen: Seen[] } {
  const seen: Seen[] = [];
  const fetchFake: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const entry: Seen = {
      method: init?.method ?? 'GET', path: url.pathname, search: url.search,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined, auth: new Headers(init?.headers).get('authorization'),
    };
    seen.push(entry);
    const { status, body } = answer(entry);
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: body === undefined ? {} : { 'content-type': 'application/json' } });
  };
  return { provider: new ReferenceServerProvider({ baseUrl: 'https://tokens.example.test', credential: SECRET, fetch: fetchFake }), seen };
}

describe('reference server provider: fine-grained routes on the wire', () => {
  test('resources: types, then a searched page, with the query in the URL', async () => {
    const { provider, seen } = fakeServer((s) =>
      s.path === '/api/v1/resource-types'
        ? { status: 200, body: { items: [{ id: 'organization', name: 'Organization' }, { id: 'project', name: 'Project' }] } }
        : { status: 200, body: { items: [{ type: 'project', id: 'p1', name: 'One', org_id: null, created_at: null, updated_at: null }], next_cursor: null } },
    );
    assert.deepEqual((await provider.listResourceTypes()).map((t) => t.id), ['organization', 'project']);
    const page = await provider.listResources({ type: 'project', q: 'on', limit: 20 });
    assert.equal(page.items[0]?.name, 'One');
    assert.equal(seen[1]?.path, '/api/v1/resources');
    assert.deepEqual(Object.fromEntries(new URLSearchParams(seen[1]?.search)), { type: 'project', q: 'on', limit: '20' });
  });

  test('create sends resources as {type, id}, allowed_ips, not_before, template_id and justification', async () => {
    const { provider, seen } = fakeServer(() => ({ status: 201, body: { token: TOKEN, secret: NEW_SECRET } }));
    const created = await provider.createToken({
      name: 'ci', scopes: ['a'], resources: [{ type: 'project', id: 'p1', name: 'One' }], allowed_ips: ['10.0.0.0/8'],
      not_before: '2026-02-01T00:00:00.000Z', template_id: 'tpl_1', justification: 'deploys',
    });
    assert.deepEqual(seen[0]?.body, {
      name: 'ci', scopes: ['a'], resources: [{ type: 'project', id: 'p1' }], allowed_ips: ['10.0.0.0/8'],
      not_before: '2026-02-01T00:00:00.000Z', template_id: 'tpl_1', justification: 'deploys',
    });
    assert.equal(created.token.status, 'pending');
    assert.equal(created.token.approval?.justification, 'why');
  });

  test('a patch carries allowed_ips and not_before; a plain create sends none of the new fields', async () => {
    const { provider, seen } = fakeServer((s) => (s.method === 'PATCH' ? { status: 200, body: TOKEN } : { status: 201, body: { token: TOKEN, secret: NEW_SECRET } }));
    await provider.updateToken('tok_1', { allowed_ips: [], not_before: null });
    assert.deepEqual(seen[0]?.body, { allowed_ips: [], not_before: null });
    await provider.createToken({ name: 'plain' });
    assert.deepEqual(seen[1]?.body, { name: 'plain', scopes: [] });
  });

  test('templates: list, create, update, delete', async () => {
    const { provider, seen } = fakeServer((s) =>
      s.method === 'GET' ? { status: 200, body: { items: [TEMPLATE] } } : s.method === 'DELETE' ? { status: 204 } : { status: s.method === 'POST' ? 201 : 200, body: TEMPLATE },
    );
    assert.equal((await provider.listTemplates())[0]?.id, 'tpl_1');
    await provider.createTemplate({ name: 'DNS', scopes: ['a'], resources: [{ type: 'project', id: 'p1', name: 'x' }], expires_in_days: 30 });
    await provider.updateTemplate('tpl/1', { description: 'd' });
    await provider.deleteTemplate('tpl_1');
    assert.deepEqual(seen.map((s) => `${s.method} ${s.path}`), [
      'GET /api/v1/token-templates', 'POST /api/v1/token-templates', 'PATCH /api/v1/token-templates/tpl%2F1', 'DELETE /api/v1/token-templates/tpl_1',
    ]);
    assert.deepEqual(seen[1]?.body, { name: 'DNS', scopes: ['a'], expires_in_days: 30, resources: [{ type: 'project', id: 'p1' }] });
    assert.deepEqual(seen[2]?.body, { description: 'd' });
  });

  test('approval requests: list by state, approve with an empty body, deny with the reason', async () => {
    const { provider, seen } = fakeServer((s) => (s.method === 'GET' ? { status: 200, body: { items: [TOKEN], next_cursor: 'n' } } : { status: 200, body: TOKEN }));
    const page = await provider.listTokenRequests({ state: 'pending' });
    assert.equal(page.next_cursor, 'n');
    await provider.approveTokenRequest('tok_1');
    await provider.denyTokenRequest('tok_1', 'too broad');
    assert.equal(seen[0]?.search, '?state=pending');
    assert.deepEqual(seen.slice(1).map((s) => [s.path, s.body]), [
      ['/api/v1/token-requests/tok_1/approve', {}],
      ['/api/v1/token-requests/tok_1/deny', { reason: 'too broad' }],
    ]);
  });

  test('a 409 token_not_pending is a conflict naming the server code', async () => {
    const { provider } = fakeServer(() => ({
      status: 409, body: { type: 'about:blank', title: 'Conflict', status: 409, code: 'token_not_pending', detail: 'This token is not waiting for approval.' },
    }));
    await assert.rejects(provider.approveTokenRequest('tok_1'), (e: unknown) => e instanceof ProviderError && e.code === 'conflict' && e.serverCode === 'token_not_pending');
  });

  test('self-rotation is authenticated by the token itself and the new secret becomes the credential', async () => {
    const { provider, seen } = fakeServer(() => ({ status: 200, body: { token: { ...TOKEN, status: 'active' }, secret: NEW_SECRET } }));
    const rotated = await provider.rotateSelf({ gracePeriodSeconds: 60 });
    assert.equal(rotated.secret, NEW_SECRET);
    assert.equal(seen[0]?.path, '/api/v1/tokens/self/rotate');
    assert.equal(seen[0]?.auth, `Bearer ${SECRET}`);
    assert.deepEqual(seen[0]?.body, { grace_period_seconds: 60 });
    assert.equal(provider.credentialValue, NEW_SECRET);
    await provider.rotateSelf();
    assert.equal(seen[1]?.auth, `Bearer ${NEW_SECRET}`, 'the next call goes with the new secret');
    assert.deepEqual(seen[1]?.body, {});
  });

  test('a malformed template answer is a bad_response naming the field', async () => {
    const { provider } = fakeServer(() => ({ status: 200, body: { items: [{ ...TEMPLATE, scopes: 'a' }] } }));
    await assert.rejects(provider.listTemplates(), (e: unknown) => e instanceof ProviderError && e.code === 'bad_response' && /items\[0\]\.scopes/.test(e.message));
  });
});

describe('reference server capabilities for fine-grained tokens', () => {
  const settings: ServerSettings = { enable_personal_access_tokens: true, require_password_confirmation: false, default_lifetime_days: 30, max_lifetime_days: 0, allow_no_expiry: true };
  const user = (roles: string[]): User => ({ id: 'usr_1', username: 'u', display_name: '', active: true, kind: 'person', roles, permissions: ['tokens:read'], created_at: null });

  test('an older server (no token_approval setting) offers none of them', () => {
    const caps = referenceServerCapabilities(settings, user(['user_access_token']), true);
    assert.deepEqual([caps.resources, caps.approval, caps.templates, caps.allowedIps, caps.notBefore, caps.selfRotate], [false, false, false, false, false, false]);
    assert.equal(caps.approvalRequired, undefined);
  });

  test('a fine-grained server offers them; self-rotation only to a token credential', () => {
    const fine = { ...settings, token_approval: 'off' as const };
    const caps = referenceServerCapabilities(fine, user(['user_access_token']), false);
    assert.deepEqual([caps.resources, caps.approval, caps.templates, caps.allowedIps, caps.notBefore, caps.selfRotate], [true, true, true, true, true, false]);
    assert.equal(referenceServerCapabilities(fine, user(['user_access_token']), true).selfRotate, true);
  });

  test('approvalRequired follows token_approval against the caller: non_admins spares System Admins, all spares nobody', () => {
    const creator = user(['user_access_token']);
    const sysadmin = user(['system_admin']);
    const with_ = (p: 'off' | 'non_admins' | 'all') => ({ ...settings, token_approval: p });
    assert.equal(referenceServerCapabilities(with_('off'), creator).approvalRequired, false);
    assert.equal(referenceServerCapabilities(with_('non_admins'), creator).approvalRequired, true);
    assert.equal(referenceServerCapabilities(with_('non_admins'), sysadmin).approvalRequired, false);
    assert.equal(referenceServerCapabilities(with_('all'), sysadmin).approvalRequired, true);
  });

  test('template management is offered with the settings permission only', () => {
    const { provider } = fakeServer(() => ({ status: 500 }));
    const caps = referenceServerCapabilities({ ...settings, token_approval: 'off' }, user(['user_access_token']));
    Object.assign(provider.capabilities, caps);
    assert.equal(supports(provider, 'listTemplates'), true);
    assert.equal(supports(provider, 'createTemplate'), false);
    Object.assign(provider.capabilities, { settings: true });
    assert.equal(supports(provider, 'createTemplate'), true);
  });
});
