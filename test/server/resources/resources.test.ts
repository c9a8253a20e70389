/**
 * Resources and boundaries over real HTTP: the registry (`/resources`, `/resource-types`, types from
 * the scopes file), tokens bounded to resources (in every answer and in introspection), bad input
 * that changes nothing, and the built-in `organization` type enforced on patkit's own API
 * (docs/security.md rule 38).
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertProblem, call, createToken, createUser, startHarness, type Answer, type CallOptions, type Harness } from '../helpers.ts';

let h: Harness;
const api = (method: string, path: string, options: CallOptions = {}) => call(h.url, method, path, options);
let orgA: string;
let orgB: string;
let groupB: string;
let creator: { id: string; session: string };

async function ok(method: string, path: string, options: CallOptions, status = 200) {
  const r = await api(method, path, options);
  assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  return r.json;
}

function fieldOf(answer: Answer): string | undefined {
  return answer.json?.errors?.[0]?.field;
}

async function tokenCount(): Promise<number> {
  return (await ok('GET', '/api/v1/tokens?owner=all&limit=200', { token: h.admin })).items.length;
}

before(async () => {
  const scopesFile = join(tmpdir(), `patkit-scopes-${process.pid}-${Date.now()}.json`);
  await writeFile(scopesFile, JSON.stringify({ scopes: [], resource_types: [{ id: 'project', name: 'Project' }] }));
  h = await startHarness({ scopesFile });
  creator = await createUser(h, 'tina', ['system_user', 'user_access_token']);
  orgA = (await ok('POST', '/api/v1/orgs', { token: h.admin, body: { name: 'Acme' } }, 201)).id;
  orgB = (await ok('POST', '/api/v1/orgs', { token: h.admin, body: { name: 'Beta' } }, 201)).id;
  groupB = (await ok('POST', `/api/v1/orgs/${orgB}/groups`, { token: h.admin, body: { name: 'Ops' } }, 201)).id;
  await ok('PUT', '/api/v1/resources/project/p1', { token: h.admin, body: { name: 'Project One', org_id: orgA } }, 201);
  await ok('PUT', '/api/v1/resources/project/p2', { token: h.admin, body: { name: 'Project Two', org_id: null } }, 201);
});

after(async () => {
  await h?.stop();
});

describe('the resource registry', () => {
  test('resource types: the built-in organization first, then the scopes file’s', async () => {
    const types = await ok('GET', '/api/v1/resource-types', { token: creator.session });
    assert.deepEqual(types.items, [
      { id: 'organization', name: 'Organization' },
      { id: 'project', name: 'Project' },
    ]);
  });

  test('PUT creates (201) then renames (200); GET pages, filters and searches; DELETE removes; each change audited', async () => {
    const created = await ok('PUT', '/api/v1/resources/project/p9', { token: h.admin, body: { name: 'Nine' } }, 201);
    assert.equal(created.org_id, null);
    const renamed = await ok('PUT', '/api/v1/resources/project/p9', { token: h.admin, body: { name: 'Nine renamed', org_id: orgA } });
    assert.equal(renamed.name, 'Nine renamed');
    assert.equal(renamed.org_id, orgA);
    assert.equal(renamed.created_at, created.created_at);

    const first = await ok('GET', '/api/v1/resources?type=project&limit=2', { token: creator.session });
    assert.deepEqual(first.items.map((r: { id: string }) => r.id), ['p1', 'p2']);
    assert.ok(first.next_cursor);
    const second = await ok('GET', `/api/v1/resources?type=project&limit=2&cursor=${first.next_cursor}`, { token: creator.session });
    assert.deepEqual(second.items.map((r: { id: string }) => r.id), ['p9']);
    assert.equal(second.next_cursor, null);
    const searched = await ok('GET', '/api/v1/resources?q=renamed', { token: creator.session });
    assert.deepEqual(searched.items.map((r: { id: string }) => r.id), ['p9']);

    assert.equal((await api('DELETE', '/api/v1/resources/project/p9', { token: h.admin })).status, 204);
    assertProblem(await api('DELETE', '/api/v1/resources/project/p9', { token: h.admin }), 404, 'not_found');
    const audit = await ok('GET', '/api/v1/audit?limit=200', { token: h.admin });
    const actions = audit.items.filter((e: { detail: { id?: string } }) => e.detail.id === 'p9').map((e: { action: string }) => e.action);
    assert.deepEqual(actions, ['resource.deleted', 'resource.updated', 'resource.created']);
  });

  test('bad input is a 400 naming the field and changes nothing; writing needs resources:write', async () => {
    const before = await ok('GET', '/api/v1/resources', { token: h.admin });
    const cases: [string, unknown, string][] = [
      ['/api/v1/resources/widget/w1', { name: 'W' }, 'type'],
      ['/api/v1/resources/organization/o1', { name: 'O' }, 'type'],
      ['/api/v1/resources/project/p1', { name: 'P', org_id: 'org_nope' }, 'org_id'],
      ['/api/v1/resources/project/p1', { name: '' }, 'name'],
      ['/api/v1/resources/project/p1', { name: 'P', colour: 'red' }, 'colour'],
    ];
    for (const [path, body, field] of cases) {
      const r = await api('PUT', path, { token: h.admin, body });
      assertProblem(r, 400, 'validation_failed');
      assert.equal(fieldOf(r), field, `${path} ${JSON.stringify(body)}: ${r.text}`);
    }
    assertProblem(await api('GET', '/api/v1/resources?type=widget', { token: h.admin }), 400, 'validation_failed');
    assertProblem(await api('PUT', '/api/v1/resources/project/p5', { token: creator.session, body: { name: 'x' } }), 403, 'insufficient_scope');
    const member = await createUser(h, 'mona');
    assertProblem(await api('GET', '/api/v1/resources', { token: member.session }), 403, 'insufficient_scope');
    assert.deepEqual(await ok('GET', '/api/v1/resources', { token: h.admin }), before);
  });
});

describe('tokens bounded to resources', () => {
  test('a bounded token carries its resources with names in every answer and in introspection', async () => {
    const refs = [{ type: 'project', id: 'p1' }, { type: 'organization', id: orgA }];
    const made = await createToken(h, { scopes: ['tokens:read'], resources: refs }, h.admin);
    const expected = [
      { type: 'project', id: 'p1', name: 'Project One' },
      { type: 'organization', id: orgA, name: 'Acme' },
    ];
    assert.deepEqual(made.json.token.resources, expected);
    assert.equal(made.json.token.template_id, null);
    assert.deepEqual((await ok('GET', `/api/v1/tokens/${made.id}`, { token: h.admin })).resources, expected);
    const listed = (await ok('GET', '/api/v1/tokens?limit=200', { token: h.admin })).items.find((t: { id: string }) => t.id === made.id);
    assert.deepEqual(listed.resources, expected);
    const introspected = await ok('POST', '/api/v1/introspect', { token: h.admin, body: { token: made.secret } });
    assert.equal(introspected.active, true);
    assert.deepEqual(introspected.resources, expected);

    const plain = await createToken(h, { scopes: ['tokens:read'] });
    assert.deepEqual(plain.json.token.resources, []);
    const plainIntrospected = await ok('POST', '/api/v1/introspect', { token: h.admin, body: { token: plain.secret } });
    assert.equal(plainIntrospected.resources, undefined, 'not bounded: no resources claim');
  });

  test('organisation tokens may be bounded within their organisation only; resources never change on PATCH', async () => {
    const made = await ok('POST', `/api/v1/orgs/${orgA}/tokens`, { token: h.admin, body: { name: 'bounded org token', admin_role: false, resources: [{ type: 'project', id: 'p1' }] } }, 201);
    assert.deepEqual(made.token.resources, [{ type: 'project', id: 'p1', name: 'Project One' }]);
    const count = await tokenCount();
    const foreign = await api('POST', `/api/v1/orgs/${orgB}/tokens`, { token: h.admin, body: { name: 'x', admin_role: false, resources: [{ type: 'project', id: 'p1' }] } });
    assertProblem(foreign, 400, 'validation_failed');
    assert.equal(fieldOf(foreign), 'resources');
    assert.equal(await tokenCount(), count);

    const patched = await api('PATCH', `/api/v1/tokens/${made.token.id}`, { token: h.admin, body: { name: 'renamed', resources: [] } });
    assertProblem(patched, 400, 'validation_failed');
    assert.equal(fieldOf(patched), 'resources');
    const after = await ok('GET', `/api/v1/tokens/${made.token.id}`, { token: h.admin });
    assert.equal(after.name, 'bounded org token', 'nothing changed');
    assert.equal(after.resources.length, 1);
  });

  test('bad resources on create get a 400 naming resources and no token is made', async () => {
    const count = await tokenCount();
    const many = Array.from({ length: 51 }, (_, i) => ({ type: 'project', id: `p${i}` }));
    const cases: unknown[] = [
      [{ type: 'widget', id: 'w1' }],
      [{ type: 'project', id: 'nope' }],
      [{ type: 'organization', id: 'org_nope' }],
      [{ type: 'project' }],
      many,
    ];
    for (const resources of cases) {
      const r = await api('POST', '/api/v1/tokens', { token: h.admin, body: { name: 'x', scopes: ['tokens:read'], acknowledge_admin_token: true, resources } });
      assertProblem(r, 400, 'validation_failed');
      assert.match(String(fieldOf(r)), /^resources/, r.text);
    }
    assert.equal(await tokenCount(), count);
  });

  test('an organisation-bounded token is refused on another organisation (docs/security.md rule 38)', async () => {
    const scopes = ['tokens:read', 'tokens:write', 'users:read', 'users:write'];
    const bounded = await createToken(h, { scopes, resources: [{ type: 'organization', id: orgA }] });
    const unbounded = await createToken(h, { scopes });
    const bTokenId = (await ok('POST', `/api/v1/orgs/${orgB}/tokens`, { token: h.admin, body: { name: 'b token', admin_role: false } }, 201)).token.id;
    const member = await createUser(h, 'mike');

    const reachesB: [string, string, unknown?][] = [
      ['GET', `/api/v1/orgs/${orgB}`],
      ['GET', `/api/v1/orgs/${orgB}/members`],
      ['GET', `/api/v1/orgs/${orgB}/tokens`],
      ['GET', `/api/v1/orgs/${orgB}/groups/${groupB}`],
      ['GET', `/api/v1/tokens/${bTokenId}`],
    ];
    for (const [method, path] of reachesB) {
      assert.equal((await api(method, path, { token: unbounded.secret })).status, 200, `control: an unbounded admin token reaches ${path}`);
      assertProblem(await api(method, path, { token: bounded.secret }), 404, 'not_found');
    }
    const changesB: [string, string, unknown][] = [
      ['PUT', `/api/v1/orgs/${orgB}/members/${member.id}`, { role: 'user' }],
      ['POST', `/api/v1/orgs/${orgB}/tokens`, { name: 'sneaky', admin_role: true }],
      ['POST', `/api/v1/orgs/${orgB}/groups/${groupB}/tokens`, { name: 'sneaky', admin_role: true }],
      ['POST', `/api/v1/tokens/${bTokenId}/disable`, {}],
      ['DELETE', `/api/v1/orgs/${orgB}/groups/${groupB}`, {}],
    ];
    for (const [method, path, body] of changesB) assertProblem(await api(method, path, { token: bounded.secret, body }), 404, 'not_found');
    assert.equal((await ok('GET', `/api/v1/tokens/${bTokenId}`, { token: h.admin })).status, 'active', 'B’s token unchanged');
    assert.deepEqual((await ok('GET', `/api/v1/orgs/${orgB}/members`, { token: h.admin })).items.filter((m: { user: { id: string } }) => m.user.id === member.id), []);

    const listed = await ok('GET', '/api/v1/orgs', { token: bounded.secret });
    assert.deepEqual(listed.items.map((o: { id: string }) => o.id), [orgA], 'only its own organisation is listed');
    assert.equal((await api('GET', `/api/v1/orgs/${orgA}/members`, { token: bounded.secret })).status, 200, 'its own organisation is reachable');
    await ok('POST', `/api/v1/orgs/${orgA}/tokens`, { token: bounded.secret, body: { name: 'a token', admin_role: false } }, 201);
  });

  test('a resource of an organisation bounds a token to that organisation too', async () => {
    const bounded = await createToken(h, { scopes: ['tokens:read', 'users:read'], resources: [{ type: 'project', id: 'p1' }] });
    assert.equal((await api('GET', `/api/v1/orgs/${orgA}`, { token: bounded.secret })).status, 200);
    assertProblem(await api('GET', `/api/v1/orgs/${orgB}`, { token: bounded.secret }), 404, 'not_found');
  });

  test('a bounded token makes and changes only tokens bounded within its resources', async () => {
    const bounded = await createToken(h, { scopes: ['tokens:read', 'tokens:write'], resources: [{ type: 'project', id: 'p1' }] }, creator.session);
    const wide = await createToken(h, { scopes: ['tokens:read'] }, creator.session);
    const count = await tokenCount();
    const unbounded = await api('POST', '/api/v1/tokens', { token: bounded.secret, body: { name: 'wider', scopes: ['tokens:read'] } });
    assertProblem(unbounded, 400, 'validation_failed');
    assert.equal(fieldOf(unbounded), 'resources');
    const other = await api('POST', '/api/v1/tokens', { token: bounded.secret, body: { name: 'other', scopes: ['tokens:read'], resources: [{ type: 'project', id: 'p2' }] } });
    assert.equal(fieldOf(other), 'resources');
    assertProblem(await api('POST', `/api/v1/tokens/${wide.id}/clone`, { token: bounded.secret, body: {} }), 400, 'validation_failed');
    assertProblem(await api('POST', `/api/v1/tokens/${wide.id}/regenerate`, { token: bounded.secret, body: {} }), 403, 'forbidden');
    assertProblem(await api('POST', `/api/v1/tokens/${wide.id}/disable`, { token: bounded.secret, body: {} }), 403, 'forbidden');
    assert.equal(await tokenCount(), count, 'nothing was made');
    const introspected = await ok('POST', '/api/v1/introspect', { token: h.admin, body: { token: wide.secret } });
    assert.equal(introspected.active, true, 'the wider token still works with its secret');

    const narrow = await ok('POST', '/api/v1/tokens', { token: bounded.secret, body: { name: 'narrow', scopes: ['tokens:read'], resources: [{ type: 'project', id: 'p1' }] } }, 201);
    assert.deepEqual(narrow.token.resources, [{ type: 'project', id: 'p1', name: 'Project One' }]);
    assert.equal((await api('POST', `/api/v1/tokens/${narrow.token.id}/disable`, { token: bounded.secret, body: {} })).status, 200);
  });
});
