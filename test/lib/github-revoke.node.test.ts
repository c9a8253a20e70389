/**
 * GitHub's credential revocation call (lib/github-revoke.ts) against a LOOPBACK STAND-IN: there is
 * no network here, so api.github.com cannot be reached. The stand-in is a real HTTP server on
 * 127.0.0.1 that records the request and answers as GitHub documents (202 accepted, 422 invalid,
 * 429 rate limited); the test checks the exact shape GitHub's REST docs ask for: POST
 * /credentials/revoke, `Accept: application/vnd.github+json`, `X-GitHub-Api-Version: 2022-11-28`,
 * a JSON body `{"credentials": [...]}`, and no Authorization header or cookie.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { GITHUB_API, GITHUB_API_PERMISSION, reportToGitHub } from '../../lib/github-revoke.ts';
import { rejectsWith } from './support/provider-error-assertions.ts';

let server: Server;
let url = '';
const seen: Array<{ method: string; path: string; headers: IncomingHttpHeaders; body: string }> = [];
let answer: { status: number; body?: unknown; headers?: Record<string, string> } = { status: 202, body: {} };

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((done) => server.close(() => done())));

const ghp = `ghp_${'a1B2c3D4e5'.repeat(4).slice(0, 36)}`;

test('the documented request shape; 202 means reported', async () => {
  assert.equal(GITHUB_API, 'https://api.github.com');
  assert.equal(GITHUB_API_PERMISSION, 'https://api.github.com/*');
  seen.length = 0;
  answer = { status: 202, body: {} };
  const result = await reportToGitHub([` ${ghp}\n`], { baseUrl: url });
  assert.deepEqual(result, { outcome: 'reported', token: null });
  assert.equal(seen.length, 1);
  const [req] = seen;
  assert.equal(req!.method, 'POST');
  assert.equal(req!.path, '/credentials/revoke');
  assert.equal(req!.headers['accept'], 'application/vnd.github+json');
  assert.equal(req!.headers['x-github-api-version'], '2022-11-28');
  assert.match(String(req!.headers['content-type']), /^application\/json/);
  assert.equal(req!.headers['authorization'], undefined, 'no credential: the API needs none');
  assert.equal(req!.headers['cookie'], undefined);
  assert.deepEqual(JSON.parse(req!.body), { credentials: [ghp] });
});

test('422 and 429 become clear errors; nothing is retried', async () => {
  seen.length = 0;
  answer = { status: 422, body: { message: 'Validation Failed', documentation_url: 'https://docs.github.com/rest' } };
  await rejectsWith(reportToGitHub([ghp], { baseUrl: url }), 'validation_failed', /GitHub refused the report as invalid \(Validation Failed\)\. Check that you pasted one whole GitHub token/);
  answer = { status: 429, body: { message: 'API rate limit exceeded' }, headers: { 'retry-after': '120' } };
  const limited = await rejectsWith(reportToGitHub([ghp], { baseUrl: url }), 'rate_limited', /busy for this address\. Try again in 2 minute/);
  assert.equal(limited.retryAfter, 120);
  answer = { status: 503, body: { message: 'unavailable' } };
  await rejectsWith(reportToGitHub([ghp], { baseUrl: url }), 'server_error');
  assert.equal(seen.length, 3, 'one request each');
});

test('bad input is refused before anything is sent; an unreachable GitHub says so', async () => {
  seen.length = 0;
  await rejectsWith(reportToGitHub([]), 'validation_failed');
  await rejectsWith(reportToGitHub(['  ']), 'validation_failed');
  await rejectsWith(reportToGitHub(Array.from({ length: 1001 }, () => ghp)), 'validation_failed');
  assert.equal(seen.length, 0);
  await rejectsWith(reportToGitHub([ghp], { baseUrl: 'http://127.0.0.1:9', timeoutMs: 2000 }), 'offline', /GitHub cannot be reached/);
});
