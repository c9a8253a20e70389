/**
 * Token templates over real HTTP: managed with settings:write, listed for token creators, checked
 * like a token's values; a token made from one takes its values, may narrow each of them, and is
 * refused (400 naming the field, nothing made) when it would widen one. The narrowing itself is a
 * pure function, tested here on its own too.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { applyTemplate, type TemplatedFields } from '../../../server/templates/template-apply.ts';
import type { TemplateRecord } from '../../../server/store/store.ts';
import { assertProblem, call, createUser, startHarness, type Answer, type CallOptions, type Harness } from '../helpers.ts';

const DAY = 86_400_000;
let h: Harness;
const api = (method: string, path: string, options: CallOptions = {}) => call(h.url, method, path, options);
let creator: { id: string; session: string };
let templateId: string;

const fieldOf = (answer: Answer): string | undefined => answer.json?.errors?.[0]?.field;

async function ok(method: string, path: string, options: CallOptions, status = 200) {
  const r = await api(method, path, options);
  assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  return r.json;
}

async function tokenCount(): Promise<number> {
  return (await ok('GET', '/api/v1/tokens?owner=all&limit=200', { token: h.admin })).items.length;
}

const TEMPLATE = {
  name: 'CI deploys',
  description: 'Deploy from CI',
  scopes: ['tokens:read', 'tokens:write'],
  expires_in_days: 30,
  resources: [
    { type: 'project', id: 'p1' },
    { type: 'project', id: 'p2' },
  ],
  allowed_ips: ['203.0.113.0/24', '2001:db8::/32'],
};

before(async () => {
  const scopesFile = join(tmpdir(), `patkit-scopes-tpl-${process.pid}-${Date.now()}.json`);
  await writeFile(scopesFile, JSON.stringify({ scopes: [], resource_types: [{ id: 'project', name: 'Project' }] }));
  h = await startHarness({ scopesFile });
  creator = await createUser(h, 'carl', ['system_user', 'user_access_token']);
  for (const id of ['p1', 'p2', 'p3']) await ok('PUT', `/api/v1/resources/project/${id}`, { token: h.admin, body: { name: `Project ${id}` } }, 201);
  templateId = (await ok('POST', '/api/v1/token-templates', { token: h.admin, body: TEMPLATE }, 201)).id;
});

after(async () => {
  await h?.stop();
});

describe('managing templates', () => {
  test('created with settings:write, listed for anyone who may create tokens, changed and deleted; audited', async () => {
    const listed = await ok('GET', '/api/v1/token-templates', { token: creator.session });
    const t = listed.items.find((x: { id: string }) => x.id === templateId);
    assert.match(templateId, /^tpl_/);
    assert.deepEqual(t.resources, [
      { type: 'project', id: 'p1', name: 'Project p1' },
      { type: 'project', id: 'p2', name: 'Project p2' },
    ]);
    assert.deepEqual(t.allowed_ips, TEMPLATE.allowed_ips);
    assertProblem(await api('POST', '/api/v1/token-templates', { token: creator.session, body: TEMPLATE }), 403, 'insufficient_scope');

    const other = await ok('POST', '/api/v1/token-templates', { token: h.admin, body: { name: 'Read', scopes: ['tokens:read'] } }, 201);
    assert.equal(other.expires_in_days, null);
    const changed = await ok('PATCH', `/api/v1/token-templates/${other.id}`, { token: h.admin, body: { name: 'Read only', expires_in_days: 7 } });
    assert.equal(changed.name, 'Read only');
    assert.equal(changed.expires_in_days, 7);
    assert.deepEqual(changed.scopes, ['tokens:read']);
    assert.equal((await api('DELETE', `/api/v1/token-templates/${other.id}`, { token: h.admin })).status, 204);
    assertProblem(await api('DELETE', `/api/v1/token-templates/${other.id}`, { token: h.admin }), 404, 'not_found');
    const audit = await ok('GET', '/api/v1/audit?limit=100', { token: h.admin });
    const actions = audit.items.filter((e: { detail: { template_id?: string } }) => e.detail.template_id === other.id).map((e: { action: string }) => e.action);
    assert.deepEqual(actions, ['template.deleted', 'template.updated', 'template.created']);
  });

  test('bad template values are a 400 naming the field and change nothing', async () => {
    const before = await ok('GET', '/api/v1/token-templates', { token: h.admin });
    const cases: [Record<string, unknown>, string][] = [
      [{ scopes: ['nope:nope'] }, 'scopes'],
      [{ scopes: [] }, 'scopes'],
      [{ resources: [{ type: 'project', id: 'missing' }] }, 'resources'],
      [{ resources: [{ type: 'widget', id: 'w' }] }, 'resources'],
      [{ allowed_ips: ['203.0.113.0/33'] }, 'allowed_ips'],
      [{ allowed_ips: ['not an address'] }, 'allowed_ips'],
      [{ allowed_ips: Array.from({ length: 51 }, (_, i) => `10.0.0.${i}`) }, 'allowed_ips'],
      [{ expires_in_days: 0 }, 'expires_in_days'],
      [{ expires_in_days: 36501 }, 'expires_in_days'],
      [{ colour: 'red' }, 'colour'],
    ];
    for (const [change, field] of cases) {
      const created = await api('POST', '/api/v1/token-templates', { token: h.admin, body: { ...TEMPLATE, ...change } });
      assertProblem(created, 400, 'validation_failed');
      assert.equal(fieldOf(created), field, `create ${JSON.stringify(change).slice(0, 80)}: ${created.text}`);
      const patched = await api('PATCH', `/api/v1/token-templates/${templateId}`, { token: h.admin, body: change });
      assertProblem(patched, 400, 'validation_failed');
      assert.equal(fieldOf(patched), field, `patch ${JSON.stringify(change).slice(0, 80)}: ${patched.text}`);
    }
    await ok('PATCH', '/api/v1/settings', { token: h.admin, body: { max_lifetime_days: 90 } });
    try {
      const tooLong = await api('POST', '/api/v1/token-templates', { token: h.admin, body: { ...TEMPLATE, expires_in_days: 91 } });
      assert.equal(fieldOf(tooLong), 'expires_in_days', tooLong.text);
    } finally {
      await ok('PATCH', '/api/v1/settings', { token: h.admin, body: { max_lifetime_days: 0 } });
    }
    assertProblem(await api('PATCH', '/api/v1/token-templates/tpl_nope', { token: h.admin, body: { name: 'x' } }), 404, 'not_found');
    assert.deepEqual(await ok('GET', '/api/v1/token-templates', { token: h.admin }), before);
  });
});

describe('tokens from a template', () => {
  test('the template’s values apply and the token records the template', async () => {
    const made = await ok('POST', '/api/v1/tokens', { token: creator.session, body: { name: 'from template', template_id: templateId } }, 201);
    assert.equal(made.token.template_id, templateId);
    assert.deepEqual(made.token.scopes, TEMPLATE.scopes);
    assert.deepEqual(made.token.resources.map((r: { id: string }) => r.id), ['p1', 'p2']);
    const lifetime = Date.parse(made.token.expires_at) - Date.parse(made.token.created_at);
    assert.ok(Math.abs(lifetime - 30 * DAY) < 60_000, `expires in 30 days: ${made.token.expires_at}`);
  });

  test('explicit fields may narrow the template', async () => {
    const expires = new Date(Date.now() + 10 * DAY).toISOString();
    const made = await ok(
      'POST',
      '/api/v1/tokens',
      {
        token: creator.session,
        body: { name: 'narrow', template_id: templateId, scopes: ['tokens:read'], expires_at: expires, resources: [{ type: 'project', id: 'p2' }] },
      },
      201,
    );
    assert.deepEqual(made.token.scopes, ['tokens:read']);
    assert.equal(made.token.expires_at, expires);
    assert.deepEqual(made.token.resources, [{ type: 'project', id: 'p2', name: 'Project p2' }]);
    assert.equal(made.token.template_id, templateId);
  });

  test('a field that would widen the template is a 400 naming it, and no token is made', async () => {
    const count = await tokenCount();
    const cases: [Record<string, unknown>, string][] = [
      [{ scopes: ['tokens:read', 'users:read'] }, 'scopes'],
      [{ expires_at: new Date(Date.now() + 31 * DAY).toISOString() }, 'expires_at'],
      [{ expires_at: null }, 'expires_at'],
      [{ resources: [{ type: 'project', id: 'p3' }] }, 'resources'],
      [{ resources: [] }, 'resources'],
      [{ template_id: 'tpl_missing' }, 'template_id'],
    ];
    for (const [change, field] of cases) {
      const r = await api('POST', '/api/v1/tokens', { token: creator.session, body: { name: 'wider', template_id: templateId, ...change } });
      assertProblem(r, 400, 'validation_failed');
      assert.equal(fieldOf(r), field, `${JSON.stringify(change)}: ${r.text}`);
    }
    const noScopes = await api('POST', '/api/v1/tokens', { token: creator.session, body: { name: 'no scopes' } });
    assertProblem(noScopes, 400, 'validation_failed');
    assert.equal(fieldOf(noScopes), 'scopes', 'without a template, scopes are required as before');
    assert.equal(await tokenCount(), count);
  });

  test('a token made from a template with allowed_ips is refused at use from any other address', async () => {
    const office = await ok('POST', '/api/v1/token-templates', { token: h.admin, body: { name: 'Office only', scopes: ['tokens:read'], allowed_ips: ['203.0.113.0/24'] } }, 201);
    const made = await ok('POST', '/api/v1/tokens', { token: creator.session, body: { name: 'from the office', template_id: office.id } }, 201);
    assert.deepEqual(made.token.allowed_ips, ['203.0.113.0/24']);
    const open = await ok('POST', '/api/v1/tokens', { token: creator.session, body: { name: 'anywhere', scopes: ['tokens:read'] } }, 201);
    // This suite's requests come from 127.0.0.1: the same call with a token without the list passes.
    assert.equal((await api('GET', '/api/v1/users/me', { token: open.secret })).status, 200);
    assertProblem(await api('GET', '/api/v1/users/me', { token: made.secret }), 401, 'ip_not_allowed');
  });
});

describe('applyTemplate (pure)', () => {
  const now = Date.parse('2026-12-07T00:00:00Z');
  const template: TemplateRecord = {
    id: 'tpl_x',
    name: 'T',
    description: '',
    scopes: ['a:read', 'a:write'],
    expires_in_days: null,
    resources: [],
    allowed_ips: [],
    created_at: '',
    updated_at: '',
  };

  test('an open template passes the request through, adding only what it leaves out', () => {
    const out = applyTemplate(template, { name: 'n', resources: [{ type: 'p', id: '1' }], allowed_ips: ['10.0.0.0/8'], expires_at: null }, now);
    assert.deepEqual(out, { name: 'n', resources: [{ type: 'p', id: '1' }], allowed_ips: ['10.0.0.0/8'], expires_at: null, scopes: ['a:read', 'a:write'], template_id: 'tpl_x' });
  });

  test('fields the template sets are filled in; an IPv6 range inside the template’s narrows it', () => {
    const closed: TemplateRecord = {
      ...template,
      expires_in_days: 2,
      resources: [{ type: 'p', id: '1', name: 'One', org_id: null }],
      allowed_ips: ['2001:db8::/32'],
    };
    const filled = applyTemplate<TemplatedFields>(closed, {}, now);
    assert.equal(filled.expires_at, '2026-12-09T00:00:00.000Z');
    assert.deepEqual(filled.resources, [{ type: 'p', id: '1' }]);
    assert.deepEqual(filled.allowed_ips, ['2001:db8::/32']);
    assert.deepEqual(applyTemplate(closed, { allowed_ips: ['2001:db8:1::/48'] }, now).allowed_ips, ['2001:db8:1::/48']);
  });

  test('addresses outside the template’s ranges, none, or malformed widen it: a 400 naming allowed_ips', () => {
    const limited: TemplateRecord = { ...template, allowed_ips: ['203.0.113.0/24', '2001:db8::/32'] };
    assert.deepEqual(applyTemplate(limited, { allowed_ips: ['203.0.113.128/25', '203.0.113.7'] }, now).allowed_ips, ['203.0.113.128/25', '203.0.113.7']);
    for (const allowed_ips of [['203.0.0.0/16'], ['198.51.100.7'], ['2001:db9::/32'], ['10.0.0.1', '203.0.113.1'], [], ['no']]) {
      assert.throws(() => applyTemplate(limited, { allowed_ips }, now), (e: { status: number; errors: { field: string }[] }) => e.status === 400 && e.errors[0]!.field === 'allowed_ips', JSON.stringify(allowed_ips));
    }
  });

  test('wider scopes, a later or no expiry, other or no resources: a 400 naming the field', () => {
    const closed: TemplateRecord = { ...template, expires_in_days: 2, resources: [{ type: 'p', id: '1', name: 'One', org_id: null }] };
    const cases: [Record<string, unknown>, string][] = [
      [{ scopes: ['a:read', 'b:read'] }, 'scopes'],
      [{ expires_at: '2026-12-09T00:02:00.000Z' }, 'expires_at'],
      [{ expires_at: null }, 'expires_at'],
      [{ resources: [{ type: 'p', id: '2' }] }, 'resources'],
      [{ resources: [] }, 'resources'],
    ];
    for (const [body, field] of cases) {
      assert.throws(() => applyTemplate(closed, body, now), (e: { status: number; errors: { field: string }[] }) => e.status === 400 && e.errors[0]!.field === field, field);
    }
    assert.equal(applyTemplate(closed, { expires_at: '2026-12-08T00:00:00.000Z', scopes: ['a:read'] }, now).expires_at, '2026-12-08T00:00:00.000Z');
  });
});
