/**
 * Bad input (docs/security.md rules 6 and 15): every malformed request gets a 4xx problem
 * response, never a 5xx, and changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertProblem, call, createToken, rawRequest, startHarness, type Harness } from '../helpers.ts';

let h: Harness;
let secret: string;
let tokenId: string;

before(async () => {
  h = await startHarness();
  ({ secret, id: tokenId } = await createToken(h, { scopes: ['tokens:read', 'tokens:write', 'users:read'] }));
});
after(() => h.stop());

/** Everything a bad request could change, read back through the API. */
async function snapshot(): Promise<string> {
  const tokens = await call(h.url, 'GET', '/api/v1/tokens?owner=all&limit=200', { token: h.admin });
  const users = await call(h.url, 'GET', '/api/v1/users?limit=200', { token: h.admin });
  const settings = await call(h.url, 'GET', '/api/v1/settings', { token: h.admin });
  const strip = (t: Record<string, unknown>) => ({ ...t, last_used_at: null, last_used_ip: null });
  return JSON.stringify([tokens.json.items.map(strip), users.json, settings.json]);
}

interface Case {
  name: string;
  method: string;
  path: string;
  headers?: string[];
  body?: string | Uint8Array;
  status: number;
  code?: string;
}

const json = (value: unknown) => JSON.stringify(value);

function cases(): Case[] {
  const auth = ['Authorization', `Bearer ${h.admin}`];
  const jsonAuth = [...auth, 'Content-Type', 'application/json'];
  const create = (body: unknown, status = 400, code = 'validation_failed'): Omit<Case, 'name'> => ({
    method: 'POST',
    path: '/api/v1/tokens',
    headers: jsonAuth,
    body: typeof body === 'string' ? body : json(body),
    status,
    code,
  });
  const ok = { name: 'n', scopes: ['tokens:read'], acknowledge_admin_token: true };
  const badChecksum = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
  return [
    { name: 'name as a number', ...create({ ...ok, name: 123 }) },
    { name: 'name as an array', ...create({ ...ok, name: ['n'] }) },
    { name: 'name as an object', ...create({ ...ok, name: { toString: 'x' } }) },
    { name: 'name empty', ...create({ ...ok, name: '' }) },
    { name: 'name too long', ...create({ ...ok, name: 'x'.repeat(101) }) },
    { name: 'scopes as a string', ...create({ ...ok, scopes: 'tokens:read' }) },
    { name: 'scopes with a number', ...create({ ...ok, scopes: [1] }) },
    { name: 'scopes missing', ...create({ name: 'n' }) },
    { name: 'description null', ...create({ ...ok, description: null }) },
    { name: 'expires_at as a number', ...create({ ...ok, expires_at: 1893456000 }) },
    { name: 'expires_at as garbage', ...create({ ...ok, expires_at: 'soon' }) },
    { name: 'acknowledge as a string', ...create({ ...ok, acknowledge_admin_token: 'yes' }) },
    { name: 'unknown field', ...create({ ...ok, evil: true }) },
    { name: '__proto__ field', ...create('{"name":"n","scopes":[],"acknowledge_admin_token":true,"__proto__":{"admin":true}}') },
    { name: 'owner_id as a number', ...create({ ...ok, owner_id: 7 }) },
    { name: 'body is an array', ...create([ok]) },
    { name: 'body is a string', ...create('"hello"') },
    { name: 'body is null', ...create('null') },
    { name: 'invalid JSON', ...create('{"name": "n",') },
    { name: 'non-UTF-8 body', ...create(Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('","scopes":[]}')]) as unknown as string) },
    { name: 'oversize body', ...create(json({ ...ok, description: 'x'.repeat(70_000) }), 413, 'payload_too_large') },
    { name: 'text/plain body', method: 'POST', path: '/api/v1/tokens', headers: [...auth, 'Content-Type', 'text/plain'], body: json(ok), status: 415, code: 'unsupported_media_type' },
    { name: 'unknown content type', method: 'POST', path: '/api/v1/tokens', headers: [...auth, 'Content-Type', 'application/xml'], body: '<a/>', status: 415, code: 'unsupported_media_type' },
    { name: 'form body', method: 'POST', path: '/api/v1/tokens', headers: [...auth, 'Content-Type', 'application/x-www-form-urlencoded'], body: 'name=n&scopes=x', status: 415, code: 'unsupported_media_type' },
    // Introspection reads its form's `token` as the token to inspect (test/server/tokens/introspection.test.ts); every other route refuses it.
    { name: 'token in a form field', method: 'POST', path: '/api/v1/tokens', headers: [...auth, 'Content-Type', 'application/x-www-form-urlencoded'], body: `token=${secret}`, status: 400, code: 'token_in_query' },
    { name: "introspect: the caller's own token in a form field", method: 'POST', path: '/api/v1/introspect', headers: ['Content-Type', 'application/x-www-form-urlencoded'], body: `token=x&client_secret=${secret}`, status: 400, code: 'token_in_query' },
    { name: 'token in a multipart field', method: 'POST', path: '/api/v1/tokens', headers: [...auth, 'Content-Type', 'multipart/form-data; boundary=x'], body: `--x\r\nContent-Disposition: form-data; name="access_token"\r\n\r\n${secret}\r\n--x--`, status: 400, code: 'token_in_query' },
    { name: 'duplicate Authorization headers', method: 'GET', path: '/api/v1/users/me', headers: [...auth, 'Authorization', `Bearer ${secret}`], status: 400, code: 'validation_failed' },
    { name: 'duplicate Authorization, second one bogus', method: 'POST', path: '/api/v1/tokens', headers: [...jsonAuth, 'Authorization', 'Bearer x'], body: json(ok), status: 400, code: 'validation_failed' },
    { name: 'duplicate Content-Type headers', method: 'POST', path: '/api/v1/tokens', headers: [...jsonAuth, 'Content-Type', 'text/plain'], body: json(ok), status: 400, code: 'validation_failed' },
    { name: 'token in the query string', method: 'GET', path: `/api/v1/users/me?access_token=${secret}`, status: 400, code: 'token_in_query' },
    { name: 'token as another query value', method: 'GET', path: `/api/v1/tokens?q=${secret}`, headers: auth, status: 400, code: 'token_in_query' },
    { name: 'session credential in the query string', method: 'GET', path: `/api/v1/users/me?x=${h.admin}`, status: 400, code: 'token_in_query' },
    { name: 'token in the path', method: 'GET', path: `/api/v1/tokens/${secret}`, headers: auth, status: 400, code: 'token_in_query' },
    { name: 'malformed token (checksum)', method: 'GET', path: '/api/v1/users/me', headers: ['Authorization', `Bearer ${badChecksum}`], status: 401, code: 'malformed_token' },
    { name: 'malformed token (too short)', method: 'GET', path: '/api/v1/users/me', headers: ['Authorization', 'Bearer pat_123'], status: 401, code: 'malformed_token' },
    { name: 'malformed token (non-ASCII)', method: 'GET', path: '/api/v1/users/me', headers: ['Authorization', `Bearer ${secret.slice(0, -1)}é`], status: 401, code: 'malformed_token' },
    { name: 'empty Bearer', method: 'GET', path: '/api/v1/users/me', headers: ['Authorization', 'Bearer '], status: 401, code: 'unauthorized' },
    { name: 'array in the query string', method: 'GET', path: '/api/v1/tokens?q=a&q=b', headers: auth, status: 400, code: 'validation_failed' },
    { name: 'unknown query parameter', method: 'GET', path: '/api/v1/tokens?evil=1', headers: auth, status: 400, code: 'validation_failed' },
    { name: 'limit not a number', method: 'GET', path: '/api/v1/tokens?limit=abc', headers: auth, status: 400, code: 'validation_failed' },
    { name: 'limit zero', method: 'GET', path: '/api/v1/tokens?limit=0', headers: auth, status: 400, code: 'validation_failed' },
    { name: 'limit huge', method: 'GET', path: '/api/v1/tokens?limit=9999', headers: auth, status: 400, code: 'validation_failed' },
    { name: 'sort unknown', method: 'GET', path: '/api/v1/tokens?sort=digest', headers: auth, status: 400, code: 'validation_failed' },
    { name: 'cursor garbage', method: 'GET', path: '/api/v1/tokens?cursor=%00%01', headers: auth, status: 400, code: 'validation_failed' },
    { name: 'non-UTF-8 percent escapes in the query', method: 'GET', path: '/api/v1/tokens?q=%FF%FE', headers: auth, status: 200 },
    { name: 'non-UTF-8 percent escapes in the path', method: 'GET', path: '/api/v1/tokens/%FF%FE', headers: auth, status: 400 },
    { name: 'id too long', method: 'GET', path: `/api/v1/tokens/${'a'.repeat(300)}`, headers: auth, status: 400, code: 'validation_failed' },
    { name: 'settings: number as a string', method: 'PATCH', path: '/api/v1/settings', headers: jsonAuth, body: json({ default_lifetime_days: '5' }), status: 400, code: 'validation_failed' },
    { name: 'settings: fraction', method: 'PATCH', path: '/api/v1/settings', headers: jsonAuth, body: json({ default_lifetime_days: 1.5 }), status: 400, code: 'validation_failed' },
    { name: 'settings: boolean as a string', method: 'PATCH', path: '/api/v1/settings', headers: jsonAuth, body: json({ enable_personal_access_tokens: 'false' }), status: 400, code: 'validation_failed' },
    { name: 'settings: unknown key', method: 'PATCH', path: '/api/v1/settings', headers: jsonAuth, body: json({ enable_everything: true }), status: 400, code: 'validation_failed' },
    { name: 'user: active as a string', method: 'PATCH', path: `/api/v1/users/${h.adminId}`, headers: jsonAuth, body: json({ active: 'false' }), status: 400, code: 'validation_failed' },
    { name: 'roles as a string', method: 'PUT', path: `/api/v1/users/${h.adminId}/roles`, headers: jsonAuth, body: json({ roles: 'system_user' }), status: 400, code: 'validation_failed' },
    { name: 'sign-in: username as an array', method: 'POST', path: '/api/v1/sessions', headers: ['Content-Type', 'application/json'], body: json({ username: ['admin'], password: 'x' }), status: 400, code: 'validation_failed' },
    { name: 'sign-in: mode unknown', method: 'POST', path: '/api/v1/sessions', headers: ['Content-Type', 'application/json'], body: json({ username: 'admin', password: 'x', mode: 'jwt' }), status: 400, code: 'validation_failed' },
    { name: 'create user: bad username', method: 'POST', path: '/api/v1/users', headers: jsonAuth, body: json({ username: '../admin', display_name: 'x', password: 'password1' }), status: 400, code: 'validation_failed' },
    { name: 'bulk delete: too many ids', method: 'POST', path: '/api/v1/tokens/bulk-delete', headers: jsonAuth, body: json({ ids: Array.from({ length: 501 }, (_, i) => `tok_${i}`) }), status: 400, code: 'validation_failed' },
    { name: 'bulk delete: empty', method: 'POST', path: '/api/v1/tokens/bulk-delete', headers: jsonAuth, body: json({ ids: [] }), status: 400, code: 'validation_failed' },
    { name: 'patch token: scopes null', method: 'PATCH', path: `/api/v1/tokens/${tokenId}`, headers: jsonAuth, body: json({ scopes: null }), status: 400, code: 'validation_failed' },
    { name: 'disable: unexpected field', method: 'POST', path: `/api/v1/tokens/${tokenId}/disable`, headers: jsonAuth, body: json({ now: true }), status: 400, code: 'validation_failed' },
    { name: 'introspect: token as a number', method: 'POST', path: '/api/v1/introspect', headers: jsonAuth, body: json({ token: 5 }), status: 400, code: 'validation_failed' },
    { name: 'deeply nested JSON', ...create('{"name":' + '['.repeat(5000) + ']'.repeat(5000) + '}') },
    { name: 'unknown route', method: 'GET', path: '/api/v1/nothing', headers: auth, status: 404, code: 'not_found' },
    { name: 'wrong method', method: 'PUT', path: '/api/v1/health', status: 404, code: 'not_found' },
  ];
}

describe('bad input matrix', () => {
  test('each case: the expected 4xx problem, never a 5xx, and nothing changes', async () => {
    const before = await snapshot();
    const failures: string[] = [];
    for (const c of cases()) {
      const r = await rawRequest(h.url, c.method, c.path, c.headers ?? [], c.body);
      const problem = r.status >= 400;
      if (r.status !== c.status || (c.code !== undefined && r.json?.code !== c.code)) {
        failures.push(`${c.name}: expected ${c.status} ${c.code ?? ''}, got ${r.status} ${r.text.slice(0, 200)}`);
      } else if (problem && !String(r.headers['content-type']).startsWith('application/problem+json')) {
        failures.push(`${c.name}: not problem+json (${String(r.headers['content-type'])})`);
      } else if (problem && (typeof r.json?.detail !== 'string' || r.json.status !== r.status || typeof r.json.type !== 'string')) {
        failures.push(`${c.name}: incomplete problem ${r.text.slice(0, 200)}`);
      }
      if (r.status >= 500) failures.push(`${c.name}: 5xx`);
    }
    assert.deepEqual(failures, []);
    assert.equal(await snapshot(), before, 'state is unchanged');
    // The token used above still works: nothing was revoked or changed by the noise.
    assert.equal((await call(h.url, 'GET', '/api/v1/users/me', { token: secret })).status, 200);
  });

  test('validation problems name the field', async () => {
    const r = await call(h.url, 'POST', '/api/v1/tokens', { token: h.admin, body: { name: 'n', scopes: [], evil: 1 } });
    assertProblem(r, 400, 'validation_failed');
    assert.deepEqual(r.json.errors, [{ field: 'evil', message: '"evil" is not a known field.' }]);
    const missing = await call(h.url, 'POST', '/api/v1/tokens', { token: h.admin, body: { scopes: [] } });
    assert.ok(missing.json.errors.some((e: { field: string }) => e.field === 'name'));
  });

  test('fuzz: 1,500 random malformed requests, zero 5xx, zero state change', async () => {
    const before = await snapshot();
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const values: unknown[] = [null, true, 0, -1, 1e308, '', 'x'.repeat(2000), [], [[]], {}, { a: 1 }, '\u0000', '💥', 'pat_', ['tokens:read']];
    const fields = ['name', 'description', 'expires_at', 'scopes', 'owner_id', 'password', 'acknowledge_admin_token', 'ids', 'token', 'roles', 'active', 'username', 'mode'];
    const routes: Array<[string, string]> = [
      ['POST', '/api/v1/tokens'],
      ['PATCH', `/api/v1/tokens/${tokenId}`],
      ['POST', `/api/v1/tokens/${tokenId}/clone`],
      ['POST', '/api/v1/tokens/bulk-delete'],
      ['POST', '/api/v1/introspect'],
      ['PATCH', '/api/v1/settings'],
      ['PUT', `/api/v1/users/${h.adminId}/roles`],
      ['PATCH', `/api/v1/users/${h.adminId}`],
      ['POST', '/api/v1/users'],
      ['POST', '/api/v1/sessions'],
    ];
    const statuses = new Map<number, number>();
    const batch: Promise<void>[] = [];
    for (let i = 0; i < 1500; i++) {
      const [method, path] = routes[rand(routes.length)]!;
      const body: Record<string, unknown> = { evil_field_always: rand(2) === 0 ? 1 : undefined };
      for (let k = rand(4); k >= 0; k--) body[fields[rand(fields.length)]!] = values[rand(values.length)];
      // Always invalid: either an unknown field, or a value of the wrong type somewhere.
      if (body.evil_field_always === undefined) body.evil_field_always = 'x';
      let raw: string | Buffer = JSON.stringify(body);
      if (rand(5) === 0) raw = Buffer.from(raw).subarray(0, rand(raw.length));
      if (rand(7) === 0) raw = Buffer.concat([Buffer.from(raw), Buffer.from([0xc3, 0x28])]);
      batch.push(
        rawRequest(h.url, method, path, ['Authorization', `Bearer ${h.admin}`, 'Content-Type', 'application/json'], raw).then((r) => {
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        }),
      );
      if (batch.length === 20) await Promise.all(batch.splice(0));
    }
    await Promise.all(batch);
    const fiveXX = [...statuses].filter(([s]) => s >= 500);
    assert.deepEqual(fiveXX, [], JSON.stringify([...statuses]));
    const accepted = [...statuses].filter(([s]) => s < 400);
    assert.deepEqual(accepted, [], `only 4xx expected: ${JSON.stringify([...statuses])}`);
    assert.equal(await snapshot(), before);
  });
});
