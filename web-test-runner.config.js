// @ts-check
/**
 * Browser tests (`npm run test:browser`): every `test/**\/*.browser.test.ts` in Debian's Chromium.
 *
 * One real patkit server is started for the whole run (test/support/server.ts) with PATs enabled
 * and CORS open to this runner's origin. Tests read its address and admin password from
 * `GET /__patkit/env.json` on the runner's own origin: `{ serverUrl, adminPassword }` (both `null`,
 * plus `error`, when the server could not start). The same server also answers at `/api/v1/*` on the
 * runner's origin (a proxy), for same-origin cookie sessions. `GET /__patkit/sources.json` lists
 * every source file of the kit and the console (for the source scans of the security rules).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROME_FLAGS, CHROME_PATH } from './test/support/chromium.ts';
import { startTestServer } from './test/support/server.ts';

/** A free loopback port, so parallel runs by several people never collide on 8000. */
async function freePort() {
  if (process.env.WTR_PORT) return Number(process.env.WTR_PORT);
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

const port = await freePort();
const origins = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
/**
 * If the server cannot start, the run goes on (tests that need no server still run) and
 * env.json carries the reason, so every server-backed test fails with it instead of hanging.
 */
let patkit = null;
let serverError = null;
try {
  patkit = await startTestServer({ enablePats: true, env: { PATKIT_CORS_ORIGINS: origins.join(',') } });
} catch (error) {
  serverError = error instanceof Error ? error.message : String(error);
  console.error(`web-test-runner: the patkit test server did not start: ${serverError}`);
}
const profileDir = mkdtempSync(join(tmpdir(), 'patkit-wtr-chrome-'));

let cleanedUp = false;
function cleanUp() {
  if (cleanedUp) return;
  cleanedUp = true;
  // stop() kills the server process synchronously before its first await; the rest is best effort.
  void patkit?.stop().catch(() => {});
  rmSync(profileDir, { recursive: true, force: true });
}
process.once('exit', cleanUp);
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => {
    cleanUp();
    process.exit(130);
  });
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host', 'content-length', 'expect', 'content-encoding']);

/**
 * `/api/v1/*` on the runner's own origin is proxied to the patkit server, so cookie sessions can be
 * tested as the server's console uses them: same origin, HttpOnly cookie, `Sec-Fetch-Site:
 * same-origin` set by the browser itself.
 * @param {import('koa').Context} ctx
 * @param {import('koa').Next} next
 */
async function proxyPatkitApi(ctx, next) {
  if (!patkit || !ctx.path.startsWith('/api/v1/')) return next();
  /** @type {Buffer[]} */
  const chunks = [];
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') for await (const chunk of ctx.req) chunks.push(chunk);
  /** @type {Record<string, string>} */
  const headers = {};
  for (const [name, value] of Object.entries(ctx.request.headers)) {
    if (!HOP_BY_HOP.has(name) && typeof value === 'string') headers[name] = value;
  }
  const answer = await fetch(patkit.url + ctx.url, {
    method: ctx.method,
    headers,
    body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    redirect: 'manual',
  });
  ctx.status = answer.status;
  answer.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name) && name !== 'set-cookie') ctx.set(name, value);
  });
  const cookies = answer.headers.getSetCookie();
  if (cookies.length > 0) ctx.set('set-cookie', cookies);
  ctx.body = Buffer.from(await answer.arrayBuffer());
}

/** Every file under components/ and console/ (repository-relative, sorted), read when asked so a new file is seen. */
function kitAndConsoleSources() {
  return ['components', 'console'].flatMap((dir) =>
    readdirSync(join(import.meta.dirname, dir), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(import.meta.dirname, join(entry.parentPath, entry.name)).split(sep).join('/'))
      .sort(),
  );
}

const envJson = JSON.stringify(
  patkit ? { serverUrl: patkit.url, adminPassword: patkit.adminPassword } : { serverUrl: null, adminPassword: null, error: serverError },
);

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  files: ['test/**/*.browser.test.ts'],
  nodeResolve: true,
  port,
  hostname: 'localhost',
  // One file at a time: server-backed tests change global server settings (password policy, PATs
  // on/off) and must not race another file using the same server.
  concurrency: 1,
  // A test past 20 s fails by name (mocha); a file whose tests have not all finished 3 min after it
  // started fails too (the slowest file takes well under that), so a hang cannot hold the run open.
  testFramework: { config: { timeout: 20000 } },
  testsFinishTimeout: 180000,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROME_PATH,
        headless: true,
        args: [...CHROME_FLAGS, `--user-data-dir=${profileDir}`],
      },
    }),
  ],
  middleware: [proxyPatkitApi],
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }),
    {
      name: 'patkit-test-env',
      serve(context) {
        if (context.path === '/__patkit/env.json') return { body: envJson, type: 'application/json' };
        if (context.path === '/__patkit/sources.json') return { body: JSON.stringify(kitAndConsoleSources()), type: 'application/json' };
        return undefined;
      },
      async serverStop() {
        await patkit?.stop();
      },
    },
  ],
};
