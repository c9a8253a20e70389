/**
 * The shared fetch plumbing against a real HTTP server that misbehaves on purpose: HTML error pages,
 * broken JSON, missing fields, 5xx, slow answers. Every failure must become a typed ProviderError with
 * a readable message; reads are retried, writes never; no credential ever reaches a URL.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ProviderError } from '../../lib/errors.ts';
import { HttpClient, normaliseBaseUrl } from '../../lib/http.ts';
import { parseTokenMeta, pageParser } from '../../lib/parse.ts';
import { rejectsWith } from './support/provider-error-assertions.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let baseUrl = '';
const hits = new Map<string, number>();
const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];
const routes = new Map<string, Handler>();
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    const route = routes.get(path);
    if (route) route(req, res, body);
    else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no route');
    }
  });
});

function json(res: ServerResponse, status: number, value: unknown, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type });
  res.end(JSON.stringify(value));
}

const TOKEN = {
  id: 'tok_1',
  owner: { kind: 'user', id: 'u1', username: 'alice', display_name: 'Alice' },
  name: 'ci',
  description: '',
  created_at: '2026-01-01T00:00:00.000Z',
  created_by: null,
  updated_at: null,
  expires_at: null,
  scopes: ['tokens:read'],
  status: 'active',
  last_used_at: null,
  last_used_ip: null,
  last4: 'abcd',
};

before(async () => {
  routes.set('/ok', (_q, res) => json(res, 200, { items: [TOKEN], next_cursor: null }));
  routes.set('/html502', (_q, res) => {
    res.writeHead(502, { 'content-type': 'text/html' });
    res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
  });
  routes.set('/html200', (_q, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>Login</title>');
  });
  routes.set('/badjson', (_q, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"items": [');
  });
  routes.set('/missing', (_q, res) => json(res, 200, { items: [{ ...TOKEN, status: undefined }], next_cursor: null }));
  routes.set('/wrongtype', (_q, res) => json(res, 200, { items: [{ ...TOKEN, scopes: 'tokens:read' }], next_cursor: null }));
  routes.set('/problem', (_q, res) =>
    json(res, 400, { type: 'x', title: 'Bad Request', status: 400, detail: 'Name is too long.', code: 'validation_failed', errors: [{ field: 'name', message: 'At most 100 characters.' }] }, 'application/problem+json'),
  );
  routes.set('/limited', (_q, res) => {
    res.writeHead(429, { 'content-type': 'application/problem+json', 'retry-after': '7' });
    res.end(JSON.stringify({ status: 429, code: 'rate_limited', detail: 'Slow down.' }));
  });
  routes.set('/boom', (_q, res) => json(res, 500, { status: 500, code: 'internal_error', detail: '' }, 'application/problem+json'));
  routes.set('/slow', (_q, res) => setTimeout(() => json(res, 200, { items: [], next_cursor: null }), 400));
  routes.set('/flaky', (_q, res) => {
    if ((hits.get('/flaky') ?? 0) < 3) json(res, 503, { code: 'unavailable' }, 'application/problem+json');
    else json(res, 200, { items: [], next_cursor: null });
  });
  routes.set('/echo', (req, res, body) => json(res, 200, { method: req.method, body, auth: req.headers.authorization ?? null }));
  routes.set('/empty', (_q, res) => {
    res.writeHead(204);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const tokenPage = pageParser(parseTokenMeta);

function client(extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}): HttpClient {
  return new HttpClient({ baseUrl, retryDelayMs: 5, timeoutMs: 2000, ...extra });
}

describe('HttpClient', () => {
  test('parses a good answer', async () => {
    const page = await client().request({ method: 'GET', path: '/ok', parse: tokenPage });
    assert.equal(page.items[0]?.id, 'tok_1');
    assert.equal(page.next_cursor, null);
  });

  test('an HTML error page becomes a server_error that names the status, not a stack of HTML', async () => {
    const e = await rejectsWith(client({ retries: 0 }).request({ method: 'GET', path: '/html502', parse: tokenPage }), 'server_error', /HTTP 502/);
    assert.doesNotMatch(e.message, /<html/);
  });

  test('an HTML page with 200 is a bad_response that says to check the address', async () => {
    await rejectsWith(client().request({ method: 'GET', path: '/html200', parse: tokenPage }), 'bad_response', /web page instead of data/);
  });

  test('broken JSON is a bad_response', async () => {
    await rejectsWith(client().request({ method: 'GET', path: '/badjson', parse: tokenPage }), 'bad_response', /not valid JSON/);
  });

  test('a missing field is a bad_response naming the field', async () => {
    await rejectsWith(client().request({ method: 'GET', path: '/missing', parse: tokenPage, what: 'token list' }), 'bad_response', /token list\.items\[0\]\.status/);
  });

  test('a field of the wrong type is a bad_response', async () => {
    await rejectsWith(client().request({ method: 'GET', path: '/wrongtype', parse: tokenPage }), 'bad_response', /scopes/);
  });

  test('problem+json maps to the family with field errors and the server detail', async () => {
    const e = await rejectsWith(client().request({ method: 'POST', path: '/problem', body: {} }), 'validation_failed', /Name is too long/);
    assert.deepEqual(e.fieldErrors, [{ field: 'name', message: 'At most 100 characters.' }]);
    assert.equal(e.status, 400);
  });

  test('429 carries retry-after and is not retried', async () => {
    hits.delete('/limited');
    const e = await rejectsWith(client().request({ method: 'GET', path: '/limited', parse: tokenPage }), 'rate_limited');
    assert.equal(e.retryAfter, 7);
    assert.equal(hits.get('/limited'), 1);
  });

  test('a 500 without detail gets a readable message with the status', async () => {
    await rejectsWith(client().request({ method: 'GET', path: '/boom', parse: tokenPage }), 'server_error', /internal error.*HTTP 500/);
  });

  test('idempotent reads are retried on 503 until they succeed', async () => {
    hits.delete('/flaky');
    const page = await client({ retries: 2 }).request({ method: 'GET', path: '/flaky', parse: tokenPage });
    assert.deepEqual(page.items, []);
    assert.equal(hits.get('/flaky'), 3);
  });

  test('writes are never retried', async () => {
    hits.delete('/flaky');
    await rejectsWith(client({ retries: 5 }).request({ method: 'POST', path: '/flaky', body: {} }), 'server_error');
    assert.equal(hits.get('/flaky'), 1);
  });

  test('a slow server becomes an offline error after the timeout, without retries that would multiply the wait', async () => {
    hits.delete('/slow');
    const e = await rejectsWith(client({ timeoutMs: 100, retries: 3 }).request({ method: 'GET', path: '/slow', parse: tokenPage }), 'offline', /did not answer within 0\.1 s/);
    assert.equal(e.serverCode, 'timeout');
    assert.equal(hits.get('/slow'), 1);
  });

  test('the caller aborting is an AbortError, not a failure report', async () => {
    const controller = new AbortController();
    const pending = client().request({ method: 'GET', path: '/slow', parse: tokenPage, signal: controller.signal });
    controller.abort();
    await assert.rejects(pending, (e: unknown) => e instanceof Error && e.name === 'AbortError');
  });

  test('an unreachable server is offline, retried for reads', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    let attempts = 0;
    const counting: typeof fetch = (input, init) => {
      attempts += 1;
      return fetch(input, init);
    };
    const e = await rejectsWith(
      new HttpClient({ baseUrl: `http://127.0.0.1:${port}`, retryDelayMs: 1, retries: 2, fetch: counting }).request({ method: 'GET', path: '/ok', parse: tokenPage }),
      'offline',
      /cannot be reached/,
    );
    assert.equal(e.serverCode, 'network');
    assert.equal(attempts, 3, 'a read is tried three times');
    attempts = 0;
    await rejectsWith(new HttpClient({ baseUrl: `http://127.0.0.1:${port}`, retryDelayMs: 1, retries: 2, fetch: counting }).request({ method: 'POST', path: '/ok', body: {} }), 'offline');
    assert.equal(attempts, 1, 'a write is tried once');
  });

  test('JSON bodies and auth headers are sent; 204 resolves to undefined', async () => {
    const answer = await client({ headers: () => ({ authorization: 'Bearer pks_sessionsessionsessionsession' }) }).request({
      method: 'PATCH',
      path: '/echo',
      body: { a: 1 },
      parse: (v) => v as { method: string; body: string; auth: string },
    });
    assert.equal(answer.method, 'PATCH');
    assert.deepEqual(JSON.parse(answer.body), { a: 1 });
    assert.equal(answer.auth, 'Bearer pks_sessionsessionsessionsession');
    assert.equal(await client().request({ method: 'DELETE', path: '/empty' }), undefined);
  });

  test('a credential never goes into a URL', async () => {
    const secret = 'pat_' + 'A'.repeat(36);
    const c = client({ secrets: () => ['my-session-credential'] });
    const before = seen.length;
    assert.throws(() => c.url('/ok', { access_token: 'x' }), /credentials travel in headers/);
    assert.throws(() => c.url('/ok', { q: secret }), /credential in a URL/);
    assert.throws(() => c.url(`/tokens/${secret}`), /credential in a URL/);
    assert.throws(() => c.url('/ok', { q: 'my-session-credential' }), /credential in a URL/);
    await assert.rejects(c.request({ method: 'GET', path: '/ok', query: { token: 'x' } }), TypeError);
    assert.equal(seen.length, before, 'nothing reached the server');
    assert.equal(c.url('/ok', { q: 'ci', owner: 'me', empty: undefined }), `${baseUrl}/ok?q=ci&owner=me`);
  });

  test('base URLs are normalised and user info is refused', () => {
    assert.equal(normaliseBaseUrl('https://t.example.com/patkit/'), 'https://t.example.com/patkit');
    assert.equal(normaliseBaseUrl('https://t.example.com'), 'https://t.example.com');
    assert.throws(() => normaliseBaseUrl('https://me:pw@t.example.com'), (e: unknown) => e instanceof ProviderError && e.code === 'validation_failed');
    assert.throws(() => normaliseBaseUrl('javascript:alert(1)'), ProviderError);
    assert.throws(() => normaliseBaseUrl('not a url'), ProviderError);
  });
});
