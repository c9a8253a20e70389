/**
 * What start-up tells a new user, over real processes and real HTTP: the `npm start` banner
 * (`scripts/start.ts --no-build`, which spawns server/main.ts) says only what is true of this
 * start, and the API URL it prints answers.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { bannerLines, emptyFacts, readServerLine } from '../../scripts/start-banner.ts';
import { call } from '../support/http.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const BANNER_END = 'Stop with Ctrl+C.';
const children = new Set<ChildProcess>();

/** `npm start -- --no-build` on a free port: resolves with its URL and output once the banner is out. */
async function startOnce(dataDir: string, whileRunning: (url: string, out: string) => Promise<void>): Promise<string> {
  const child = spawn(process.execPath, [join(ROOT, 'scripts/start.ts'), '--no-build'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', PATKIT_DATA_DIR: dataDir, PATKIT_ADMIN_PASSWORD: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  const deadline = Date.now() + 30_000;
  while (!out.includes(BANNER_END)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no banner; output:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = /patkit listening on (\S+)/.exec(out)![1]!;
  try {
    await whileRunning(url, out);
  } finally {
    child.kill('SIGTERM');
    await exited;
    children.delete(child);
  }
  return out;
}

const banner = (out: string): string => out.slice(out.lastIndexOf('──', out.indexOf(' Admin console:')));

describe('npm start: the banner states the truth', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'patkit-banner-'));
  });
  after(async () => {
    for (const c of children) c.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  test('first start points at the password above and says alice lacks the token role; a restart after the grant says neither', async () => {
    let adminPassword = '';
    const first = await startOnce(dataDir, async (url, out) => {
      adminPassword = /Sign in as "admin" with password (\S+) \(generated/.exec(out)![1]!;
      const session = await call(url, 'POST', '/api/v1/sessions', { body: { username: 'admin', password: adminPassword } });
      assert.equal(session.status, 201, session.text);
      const users = await call(url, 'GET', '/api/v1/users', { token: session.json.credential });
      const alice = users.json.items.find((u: { username: string }) => u.username === 'alice');
      const granted = await call(url, 'PUT', `/api/v1/users/${alice.id}/roles`, {
        token: session.json.credential,
        body: { roles: [...alice.roles, 'user_access_token'] },
      });
      assert.equal(granted.status, 200, granted.text);
    });
    assert.match(banner(first), /Sign in as: {5}admin, with the password printed above/);
    assert.match(banner(first), /alice \(password alice-demo-password\), the demo user, without the token role/);
    assert.match(first, /cannot create tokens until an admin grants the token role/);

    const second = await startOnce(dataDir, async () => {});
    assert.doesNotMatch(second, /printed above/);
    assert.doesNotMatch(second, /cannot create tokens|without the token role/);
    assert.match(banner(second), /admin, with the password set on first start/);
    assert.match(banner(second), /`npm run serve -- --reset-admin-password` prints a new one/);
    assert.match(banner(second), /alice \(password alice-demo-password\), the demo user$/m);
  });
});

describe('the banner, line by line', () => {
  test('a password from PATKIT_ADMIN_PASSWORD is named as such, first start or reset', () => {
    for (const line of ['Sign in as "admin" with the password from PATKIT_ADMIN_PASSWORD.', 'The password of "admin" was reset: sign in with from PATKIT_ADMIN_PASSWORD. Its earlier sessions have ended.']) {
      const facts = emptyFacts();
      readServerLine(facts, line);
      assert.equal(facts.adminPassword, 'env', line);
      assert.match(bannerLines('http://x', facts, null).join('\n'), /admin, with the password in PATKIT_ADMIN_PASSWORD/);
    }
    const reset = emptyFacts();
    readServerLine(reset, 'The password of "admin" was reset: sign in with Abc123. Its earlier sessions have ended.');
    assert.equal(reset.adminPassword, 'shown');
  });
});

describe('GET /api/v1: the API URL the banner prints answers', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'patkit-api-root-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  test('a JSON index with the version and links to health, readiness, OpenAPI and docs, with or without the slash', async () => {
    await startOnce(dataDir, async (url, out) => {
      assert.match(banner(out), new RegExp(` API: {12}${url}/api/v1 `));
      for (const path of ['/api/v1', '/api/v1/']) {
        const r = await call(url, 'GET', path);
        assert.equal(r.status, 200, `${path}: ${r.text}`);
        assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
        assert.equal(r.json.name, 'patkit reference token server');
        assert.deepEqual(r.json.links, {
          health: `${url}/api/v1/health`,
          ready: `${url}/api/v1/ready`,
          openapi: `${url}/api/v1/openapi.json`,
          docs: `${url}/docs/`,
        });
      }
      const { links } = (await call(url, 'GET', '/api/v1')).json;
      for (const key of ['health', 'ready', 'openapi'] as const) {
        const r = await fetch(links[key]);
        assert.equal(r.status, 200, `${key} answers`);
      }
      // Every address the banner prints answers; the docs site answers its page, or (not built in
      // this checkout yet) the 404 that says how to build it.
      const printed = [...new Set(banner(out).match(/http:\/\/[^\s)]+/g) ?? [])];
      assert.ok(printed.length >= 4, printed.join(' '));
      for (const address of printed) {
        const r = await fetch(address);
        const text = await r.text();
        if (new URL(address).pathname.startsWith('/docs/') && r.status === 404) assert.match(text, /npm run docs:build/, address);
        else assert.equal(r.status, 200, `${address} answers`);
      }
      const bad = await call(url, 'GET', '/api/v1?x=1');
      assert.equal(bad.status, 400, 'unknown query parameters are refused like every route');
    });
  });
});
