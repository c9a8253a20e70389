/**
 * Starts a real patkit reference server for tests of any layer (server, lib, kit, extension).
 *
 * Default: a child process `node server/main.ts` (test/support/spawn-server.ts) on a free loopback
 * port with a fresh temporary data dir and a known admin password.
 * `inProcess: true` builds the same server inside the test process (faster; no `--demo` output).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer } from './spawn-server.ts';

export interface TestServer {
  url: string;
  adminPassword: string;
  dataDir: string;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  /** Start with demo data (`--demo`): PATs on, user `alice`, example tokens for admin. */
  demo?: boolean;
  /** Turn `enable_personal_access_tokens` on (off by default on a new server). */
  enablePats?: boolean;
  /** Extra environment for the server process (e.g. `PATKIT_SCOPES_FILE`, `PATKIT_CORS_ORIGINS`). */
  env?: Record<string, string>;
  /** Build the server in this process instead of a child process. */
  inProcess?: boolean;
}

/** The admin password every test server starts with. */
export const TEST_ADMIN_PASSWORD = 'test-admin-password-7Qx';

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'patkit-test-'));
  const adminPassword = options.env?.PATKIT_ADMIN_PASSWORD ?? TEST_ADMIN_PASSWORD;
  try {
    if (options.inProcess) return await startInProcess(options, dataDir, adminPassword);
    return await startChild(options, dataDir, adminPassword);
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

async function startInProcess(options: TestServerOptions, dataDir: string, adminPassword: string): Promise<TestServer> {
  // Imported lazily so tests that only use child servers do not load Fastify.
  const { buildServer } = await import('../../server/app.ts');
  const env = options.env ?? {};
  const app = await buildServer({
    dataDir,
    adminPassword,
    demo: options.demo ?? false,
    enablePats: options.enablePats ?? false,
    scopesFile: env.PATKIT_SCOPES_FILE,
    corsOrigins: env.PATKIT_CORS_ORIGINS ? env.PATKIT_CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean) : [],
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  let stopped = false;
  return {
    url: address.replace('localhost', '127.0.0.1'),
    adminPassword,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function startChild(options: TestServerOptions, dataDir: string, adminPassword: string): Promise<TestServer> {
  const server = await spawnServer({
    args: options.demo ? ['--demo'] : [],
    dataDir,
    env: { PATKIT_ADMIN_PASSWORD: adminPassword, ...(options.enablePats ? { PATKIT_ENABLE_PATS: '1' } : {}), ...options.env },
  });
  let stopped = false;
  return {
    url: server.url,
    adminPassword,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
