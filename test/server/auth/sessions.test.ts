/** Sessions: bearer and cookie sign-in, sign-out, cookie attributes, CSRF and CORS (docs/security.md rule 6 and 14). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, assertProblem, call, createToken, createUser, rawRequest, startHarness, type Harness } from '../helpers.ts';

let h: Harness;
const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) => call(h.url, method, path, options);
const ALLOWED_ORIGIN = 'https://app.example.com';

before(async () => {
  h = await startHarness({ corsOrigins: [ALLOWED_ORIGIN] });
});
after(() => h.stop());

describe('bearer sessions', () => {
  test('sign-in returns a pks_ credential with no-store; sign-out ends it on the next request', async () => {
    const r = await api('POST', '/api/v1/sessions', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    assert.equal(r.status, 201);
    assert.match(r.json.credential, /^pks_[0-9A-Za-z]{36}$/);
    assert.match(r.headers.get('cache-control') ?? '', /no-store/);
    assert.equal(r.headers.get('set-cookie'), null);
    assert.equal(r.json.user.username, 'admin');
    assert.ok(Date.parse(r.json.expires_at) > Date.now());
    assert.equal((await api('GET', '/api/v1/users/me', { token: r.json.credential })).status, 200);
    assert.equal((await api('DELETE', '/api/v1/sessions/current', { token: r.json.credential })).status, 204);
    assertProblem(await api('GET', '/api/v1/users/me', { token: r.json.credential }), 401, 'session_expired');
  });

  test('wrong password and unknown user get the same answer', async () => {
    const a = await api('POST', '/api/v1/sessions', { body: { username: 'admin', password: 'nope-nope' } });
    const b = await api('POST', '/api/v1/sessions', { body: { username: 'nobody-here', password: 'nope-nope' } });
    assertProblem(a, 401, 'invalid_credentials');
    assertProblem(b, 401, 'invalid_credentials');
    assert.equal(a.json.detail, b.json.detail);
  });

  test('sessions expire after 12 hours (remember: 30 days)', async () => {
    const s = await api('POST', '/api/v1/sessions', { body: { username: 'admin', password: ADMIN_PASSWORD, remember: true } });
    assert.ok(Date.parse(s.json.expires_at) - Date.now() > 29 * 86_400_000);
    h.clock.offsetMs = 13 * 3_600_000;
    try {
      assertProblem(await api('GET', '/api/v1/users/me', { token: h.admin }), 401, 'session_expired');
      assert.equal((await api('GET', '/api/v1/users/me', { token: s.json.credential })).status, 200);
    } finally {
      h.clock.offsetMs = 0;
    }
  });

  test('a new password ends the sessions signed in with the old one; tokens keep working', async () => {
    const bob = await createUser(h, 'pwchange-bob', ['system_user', 'user_access_token']);
    const token = await createToken(h, { scopes: ['tokens:read'] }, bob.session);
    const changed = await call(h.url, 'PATCH', `/api/v1/users/${bob.id}`, { token: h.admin, body: { password: 'a-brand-new-password' } });
    assert.equal(changed.status, 200, changed.text);
    assertProblem(await call(h.url, 'GET', '/api/v1/users/me', { token: bob.session }), 401, 'session_expired');
    assert.equal((await call(h.url, 'GET', '/api/v1/users/me', { token: token.secret })).status, 200);
    assert.equal((await call(h.url, 'POST', '/api/v1/sessions', { body: { username: 'pwchange-bob', password: 'a-brand-new-password' } })).status, 201);
  });

  test('a PAT cannot sign out; other schemes than Bearer are refused', async () => {
    const { secret } = await createToken(h);
    assertProblem(await api('DELETE', '/api/v1/sessions/current', { token: secret }), 403, 'forbidden');
    const basic = await api('GET', '/api/v1/users/me', { headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` } });
    assertProblem(basic, 401, 'unauthorized');
    const tokenScheme = await api('GET', '/api/v1/users/me', { headers: { authorization: `token ${secret}` } });
    assertProblem(tokenScheme, 401, 'unauthorized');
    const lower = await api('GET', '/api/v1/users/me', { headers: { authorization: `bearer ${secret}` } });
    assert.equal(lower.status, 200, 'the scheme name is case-insensitive (RFC 9110)');
    assertProblem(await api('GET', '/api/v1/users/me'), 401, 'unauthorized');
  });
});

describe('cookie sessions for the console (rule 14)', () => {
  let cookie: string;
  before(async () => {
    const r = await api('POST', '/api/v1/sessions', { body: { username: 'admin', password: ADMIN_PASSWORD, mode: 'cookie' } });
    assert.equal(r.status, 201);
    assert.equal(r.json.credential, undefined, 'no credential visible to script');
    const setCookie = r.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /^patkit_session=pks_[0-9A-Za-z]{36};/);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    assert.match(setCookie, /Path=\//);
    assert.doesNotMatch(setCookie, /Secure/, 'loopback over http');
    cookie = setCookie.split(';')[0]!;
  });

  test('the cookie authenticates reads', async () => {
    const me = await api('GET', '/api/v1/users/me', { headers: { cookie } });
    assert.equal(me.status, 200);
    assert.equal(me.json.username, 'admin');
  });

  test('cookie writes need X-Patkit-CSRF: 1 and a same-origin Sec-Fetch-Site', async () => {
    const body = { name: 'from console', scopes: [], acknowledge_admin_token: true };
    assertProblem(await api('POST', '/api/v1/tokens', { headers: { cookie }, body }), 403, 'csrf_failed');
    assertProblem(await api('POST', '/api/v1/tokens', { headers: { cookie, 'x-patkit-csrf': '0' }, body }), 403, 'csrf_failed');
    assertProblem(
      await api('POST', '/api/v1/tokens', { headers: { cookie, 'x-patkit-csrf': '1', 'sec-fetch-site': 'cross-site' }, body }),
      403,
      'csrf_failed',
    );
    assertProblem(
      await api('POST', '/api/v1/tokens', { headers: { cookie, 'x-patkit-csrf': '1', 'sec-fetch-site': 'same-site' }, body }),
      403,
      'csrf_failed',
    );
    const list = await api('GET', '/api/v1/tokens?q=from%20console', { token: h.admin });
    assert.equal(list.json.items.length, 0, 'nothing was created');
    const ok = await api('POST', '/api/v1/tokens', { headers: { cookie, 'x-patkit-csrf': '1', 'sec-fetch-site': 'same-origin' }, body });
    assert.equal(ok.status, 201);
    const noFetchMetadata = await api('POST', '/api/v1/tokens', { headers: { cookie, 'x-patkit-csrf': '1' }, body });
    assert.equal(noFetchMetadata.status, 201, 'older clients without Sec-Fetch-Site pass with the custom header');
  });

  test('cross-site cookie sign-in is refused', async () => {
    const r = await api('POST', '/api/v1/sessions', {
      headers: { 'sec-fetch-site': 'cross-site' },
      body: { username: 'admin', password: ADMIN_PASSWORD, mode: 'cookie' },
    });
    assertProblem(r, 403, 'csrf_failed');
  });

  test('the cookie is Secure when the server is reached by a non-loopback name', async () => {
    const r = await rawRequest(
      h.url,
      'POST',
      '/api/v1/sessions',
      ['Host', 'tokens.example.com', 'Content-Type', 'application/json'],
      JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD, mode: 'cookie' }),
    );
    assert.equal(r.status, 201);
    assert.match(String(r.headers['set-cookie']), /; Secure/);
  });

  test('sign-out with the cookie needs the CSRF header, then clears the cookie', async () => {
    assertProblem(await api('DELETE', '/api/v1/sessions/current', { headers: { cookie } }), 403, 'csrf_failed');
    const out = await api('DELETE', '/api/v1/sessions/current', { headers: { cookie, 'x-patkit-csrf': '1' } });
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie') ?? '', /patkit_session=;.*Max-Age=0/);
    assertProblem(await api('GET', '/api/v1/users/me', { headers: { cookie } }), 401, 'session_expired');
  });
});

describe('CORS limited to configured origins', () => {
  test('an allowed origin gets CORS headers and a preflight answer', async () => {
    const r = await api('GET', '/api/v1/health', { headers: { origin: ALLOWED_ORIGIN } });
    assert.equal(r.headers.get('access-control-allow-origin'), ALLOWED_ORIGIN);
    assert.equal(r.headers.get('access-control-allow-credentials'), null);
    const pre = await api('OPTIONS', '/api/v1/tokens', {
      headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), ALLOWED_ORIGIN);
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /Authorization/);
  });

  test('other origins get no CORS headers and a refused preflight', async () => {
    const r = await api('GET', '/api/v1/health', { headers: { origin: 'https://evil.example' } });
    assert.equal(r.headers.get('access-control-allow-origin'), null);
    const pre = await api('OPTIONS', '/api/v1/tokens', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    assert.equal(pre.status, 403);
    assert.equal(pre.headers.get('access-control-allow-origin'), null);
  });
});

describe('no state-changing GET', () => {
  test('every GET route in the OpenAPI document is a read; writes use POST/PATCH/PUT/DELETE', async () => {
    const doc = await api('GET', '/api/v1/openapi.json');
    const before = (await api('GET', '/api/v1/audit?limit=200', { token: h.admin })).json.items.length;
    for (const [path, methods] of Object.entries(doc.json.paths as Record<string, Record<string, unknown>>)) {
      if (!('get' in methods) || path.includes('{')) continue;
      await api('GET', path, { token: h.admin });
    }
    const afterCount = (await api('GET', '/api/v1/audit?limit=200', { token: h.admin })).json.items.length;
    assert.equal(afterCount, before, 'GETs wrote no audit event');
  });
});
