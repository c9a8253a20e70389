/**
 * RFC 7662 introspection as real clients call it, over real HTTP on the store the suite runs
 * against: the `oauth4webapi` client library (client_secret_basic, and a Bearer header), a gateway's
 * raw form POST with HTTP Basic (as Kong's introspection plugin or an nginx `auth_request` backend
 * sends it), and the refusals that keep every credential of the caller in the Authorization header
 * (docs/security.md rule 6).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oauth from 'oauth4webapi';
import { generateToken } from '../../../server/auth/credentials.ts';
import { assertProblem, call, createToken, createUser, rawRequest, startHarness, type Harness } from '../helpers.ts';

const DAY = 86_400_000;
const FORM = 'application/x-www-form-urlencoded';

let h: Harness;
/** The resource server: a user whose PAT has only tokens:introspect. Its name needs form-urlencoding in Basic (`.`). */
const RS_NAME = 'Gateway.Svc';
let rsPat: string;
let rsSession: string;
/** A token a client presents to the resource server. */
let subject: { id: string; secret: string; json: Record<string, any> };
let member: { id: string; session: string };
let as: oauth.AuthorizationServer;

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

before(async () => {
  h = await startHarness();
  const rs = await createUser(h, RS_NAME, ['system_admin', 'user_access_token']);
  rsSession = rs.session;
  rsPat = (await createToken(h, { name: 'introspection', scopes: ['tokens:introspect'] }, rs.session)).secret;
  member = await createUser(h, 'mia', ['system_user', 'user_access_token']);
  subject = await createToken(h, { scopes: ['tokens:read', 'tokens:write'], expires_at: new Date(Date.now() + 3 * DAY).toISOString() }, member.session);
  as = { issuer: h.url, introspection_endpoint: `${h.url}/api/v1/introspect` };
});
after(() => h.stop());

describe('RFC 7662 introspection for resource servers', () => {
  test('oauth4webapi introspectionRequest + processIntrospectionResponse work over HTTP with client_secret_basic and with a Bearer header', async () => {
    const client: oauth.Client = { client_id: RS_NAME };
    const introspect = async (token: string, auth = oauth.ClientSecretBasic(rsPat), options: oauth.IntrospectionRequestOptions = {}) =>
      oauth.processIntrospectionResponse(
        as,
        client,
        await oauth.introspectionRequest(as, client, auth, token, { [oauth.allowInsecureRequests]: true, ...options }),
      );

    const active = await introspect(subject.secret, undefined, { additionalParameters: { token_type_hint: 'access_token' } });
    assert.deepEqual(active, {
      active: true,
      sub: member.id,
      username: 'mia',
      scope: 'tokens:read tokens:write',
      exp: Math.floor(Date.parse(subject.json.token.expires_at) / 1000),
      iat: Math.floor(Date.parse(subject.json.token.created_at) / 1000),
      token_id: subject.id,
      token_type: 'bearer',
      allowed_ips: [],
      not_before: null,
    });
    assert.deepEqual(await introspect(generateToken()), { active: false }, 'unknown token: active false and nothing else');
    assert.deepEqual(await introspect('not a token at all'), { active: false });

    // The Bearer way, as a ClientAuth (oauth4webapi's documented extension point), with a client_id in the form that is ignored.
    const bearerAuth: oauth.ClientAuth = (_as, c, body, headers) => {
      body.set('client_id', c.client_id);
      headers.set('authorization', `Bearer ${rsPat}`);
    };
    const bearer = await introspect(subject.secret, bearerAuth);
    assert.equal(bearer.active, true);
    assert.equal(bearer.token_id, subject.id);

    const disabled = await createToken(h, { scopes: ['tokens:read'] }, member.session);
    assert.equal((await call(h.url, 'POST', `/api/v1/tokens/${disabled.id}/disable`, { token: member.session, body: {} })).status, 200);
    assert.deepEqual(await introspect(disabled.secret), { active: false }, 'disabled: active false and nothing else');

    // A token that never expires has no exp (a NumericDate cannot be null).
    await call(h.url, 'PATCH', '/api/v1/settings', { token: h.admin, body: { allow_no_expiry: true, max_lifetime_days: 0 } });
    const forever = await createToken(h, { scopes: ['tokens:read'], expires_at: null }, member.session);
    const noExp = await introspect(forever.secret);
    assert.equal(noExp.active, true);
    assert.equal('exp' in noExp, false);

    // A bad client credential is a 401 challenge the library reports as such.
    for (const auth of [oauth.ClientSecretBasic(generateToken())]) {
      await assert.rejects(introspect(subject.secret, auth), (e: unknown) => e instanceof oauth.WWWAuthenticateChallengeError && e.status === 401 && e.cause[0]?.scheme === 'basic');
    }
    await assert.rejects(
      oauth.introspectionRequest(as, { client_id: 'someone-else' }, oauth.ClientSecretBasic(rsPat), subject.secret, { [oauth.allowInsecureRequests]: true }).then((r) =>
        oauth.processIntrospectionResponse(as, { client_id: 'someone-else' }, r),
      ),
      (e: unknown) => e instanceof oauth.WWWAuthenticateChallengeError && e.status === 401,
      'the Basic user name must be the owner of the PAT',
    );
  });

  test('gateway style: a raw form POST with HTTP Basic, as Kong and nginx send it, gets the RFC 7662 answer', async () => {
    for (const [user, contentType] of [
      [RS_NAME, FORM],
      ['gateway.svc', `${FORM}; charset=UTF-8`], // usernames match whatever their capitalisation
    ] as const) {
      const r = await rawRequest(
        h.url,
        'POST',
        '/api/v1/introspect',
        ['Authorization', basic(user, rsPat), 'Content-Type', contentType, 'Accept', 'application/json'],
        form({ token: subject.secret, token_type_hint: 'access_token', client_id: 'ignored', resource: 'https://api.example.com' }),
      );
      assert.equal(r.status, 200, r.text);
      assert.match(String(r.headers['content-type']), /^application\/json/);
      assert.match(String(r.headers['cache-control']), /no-store/);
      assert.equal(r.json.active, true);
      assert.equal(r.json.sub, member.id);
      assert.equal(r.json.scope, 'tokens:read tokens:write');
    }
    const inactive = await rawRequest(h.url, 'POST', '/api/v1/introspect', ['Authorization', basic(RS_NAME, rsPat), 'Content-Type', FORM], form({ token: generateToken() }));
    assert.equal(inactive.status, 200);
    assert.equal(inactive.text, '{"active":false}');
    // The resource server's PAT as a Bearer header, with the form body.
    const bearer = await rawRequest(h.url, 'POST', '/api/v1/introspect', ['Authorization', `Bearer ${rsPat}`, 'Content-Type', FORM], form({ token: subject.secret }));
    assert.equal(bearer.status, 200, bearer.text);
    assert.equal(bearer.json.token_id, subject.id);
    // The JSON body stays accepted, with the hint too.
    const json = await call(h.url, 'POST', '/api/v1/introspect', { token: rsPat, body: { token: subject.secret, token_type_hint: 'access_token' } });
    assert.equal(json.status, 200, json.text);
    assert.equal(json.json.token_id, subject.id);
  });

  test('introspection callers authenticate only in the Authorization header, as the owner of a PAT with tokens:introspect', async () => {
    const post = (headers: string[], body: string, path = '/api/v1/introspect') => rawRequest(h.url, 'POST', path, [...headers, 'Content-Type', FORM], body);
    const body = form({ token: subject.secret });
    const expect = (r: Awaited<ReturnType<typeof post>>, status: number, code: string, what: string) => {
      assert.equal(r.status, status, `${what}: ${r.text}`);
      assert.equal(r.json?.code, code, what);
      assert.match(String(r.headers['content-type']), /^application\/problem\+json/, what);
    };

    const none = await post([], body);
    expect(none, 401, 'unauthorized', 'no credential');
    assert.match(String(none.headers['www-authenticate']), /Bearer realm="patkit", Basic realm="patkit"/);

    const wrongUser = await post(['Authorization', basic('someone-else', rsPat)], body);
    expect(wrongUser, 401, 'unauthorized', 'Basic with another user name');
    assert.match(wrongUser.json.detail, /must be the username of the token's owner/);
    assert.match(String(wrongUser.headers['www-authenticate']), /^Basic realm="patkit"/);
    expect(await post(['Authorization', basic(RS_NAME, rsSession)], body), 401, 'unauthorized', 'Basic with a session credential');
    expect(await post(['Authorization', basic(RS_NAME, generateToken())], body), 401, 'unauthorized', 'Basic with an unknown PAT');
    expect(await post(['Authorization', basic(RS_NAME, 'pat_short')], body), 401, 'malformed_token', 'Basic with a malformed PAT');
    expect(await post(['Authorization', `Basic ${Buffer.from(rsPat).toString('base64')}`], body), 401, 'unauthorized', 'Basic without a colon');
    expect(await post(['Authorization', 'Basic %%%'], body), 401, 'unauthorized', 'Basic that is not base64');
    const memberPat = (await createToken(h, { scopes: ['tokens:read'] }, member.session)).secret;
    expect(await post(['Authorization', basic('mia', memberPat)], body), 403, 'insufficient_scope', 'Basic with a PAT without tokens:introspect');

    // The caller's own credential in the form (client_secret_post) or the URL is refused, not ignored.
    expect(await post([], form({ token: subject.secret, client_id: RS_NAME, client_secret: rsPat })), 400, 'token_in_query', 'client_secret_post');
    expect(await post([], form({ token: subject.secret, access_token: rsPat })), 400, 'token_in_query', 'access_token in the form');
    expect(await post(['Authorization', `Bearer ${rsPat}`], body, `/api/v1/introspect?token=${subject.secret}`), 400, 'token_in_query', 'token in the URL');
    // Malformed forms.
    expect(await post(['Authorization', `Bearer ${rsPat}`], `${body}&token=${subject.secret}`), 400, 'validation_failed', 'token twice');
    const missing = await post(['Authorization', `Bearer ${rsPat}`], form({ token_type_hint: 'access_token' }));
    expect(missing, 400, 'validation_failed', 'no token');
    assert.equal(missing.json.errors[0].field, 'token');
    expect(await post(['Authorization', `Bearer ${rsPat}`], Buffer.from([0x74, 0x6f, 0x6b, 0x65, 0x6e, 0x3d, 0xff]) as unknown as string), 400, 'validation_failed', 'not UTF-8');
  });

  test('every other route still refuses a token in a form field or the query string', async () => {
    const body = form({ token: subject.secret });
    for (const [method, path] of [
      ['POST', '/api/v1/tokens'],
      ['POST', '/api/v1/tokens/bulk-delete'],
      ['PATCH', '/api/v1/settings'],
      ['POST', '/api/v1/credentials/revoke'],
      ['POST', '/api/v1/sessions'],
    ] as const) {
      const r = await rawRequest(h.url, method, path, ['Authorization', `Bearer ${h.admin}`, 'Content-Type', FORM], body);
      assert.equal(r.status, 400, `${method} ${path}: ${r.text}`);
      assert.equal(r.json.code, 'token_in_query', `${method} ${path}`);
    }
    for (const path of [`/api/v1/users/me?token=${subject.secret}`, `/api/v1/tokens?token_type_hint=x&token=${subject.secret}`]) {
      const r = await rawRequest(h.url, 'GET', path, ['Authorization', `Bearer ${h.admin}`]);
      assert.equal(r.json?.code, 'token_in_query', path);
    }
    // And the token inspected was never taken for the caller's credential anywhere.
    assert.equal((await call(h.url, 'GET', `/api/v1/tokens/${subject.id}`, { token: member.session })).json.last_used_ip, null);
  });

  test('the OpenAPI document describes introspection with both request bodies and both ways to authenticate', async () => {
    const doc = (await call(h.url, 'GET', '/api/v1/openapi.json')).json;
    const op = doc.paths['/api/v1/introspect'].post;
    assert.deepEqual(Object.keys(op.requestBody.content).sort(), ['application/json', FORM]);
    for (const media of ['application/json', FORM]) {
      const schema = op.requestBody.content[media].schema;
      assert.deepEqual(schema.required, ['token'], media);
      assert.deepEqual(Object.keys(schema.properties).sort(), ['token', 'token_type_hint'], media);
    }
    assert.deepEqual(op.security, [{ bearer: [] }, { basic: [] }, { cookie: [] }]);
    assert.equal(doc.components.securitySchemes.basic.scheme, 'basic');
    assert.equal(op.responses['200'].content['application/json'].schema.properties.exp.type, 'integer');
  });
});
