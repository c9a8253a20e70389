// @ts-check
/**
 * Browser tests (`npm run test:browser`): every `test/**\/*.browser.test.ts` in Debian's Chromium.
 *
 * One real patkit server is started for the whole run (test/support/server.ts) with PATs enabled
 * and CORS open to this runner's origin. Tests read its address and admin password from
 * `GET /__patkit/env.json` on the runner's own origin: `{ serverUrl, adminPassword }` (both `null`,
 * plus `error`, when the server could not start).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
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

const envJson = JSON.stringify(
  patkit ? { serverUrl: patkit.url, adminPassword: patkit.adminPassword } : { serverUrl: null, adminPassword: null, error: serverError },
);

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  files: ['test/**/*.browser.test.ts'],
  nodeResolve: true,
  port,
  hostname: 'localhost',
  testFramework: { config: { timeout: 20000 } },
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
        headless: true,
        args: [
          '--headless=new',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          `--user-data-dir=${profileDir}`,
        ],
      },
    }),
  ],
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }),
    {
      name: 'patkit-test-env',
      serve(context) {
        if (context.path === '/__patkit/env.json') return { body: envJson, type: 'application/json' };
        return undefined;
      },
      async serverStop() {
        await patkit?.stop();
      },
    },
  ],
};
