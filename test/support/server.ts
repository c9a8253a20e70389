/**
 * Starts a real patkit reference server for tests of any layer (server, lib, kit, extension).
 *
 * Default: a child process `node server/main.ts` (the Node that runs the tests, i.e. Node 24 under
 * `npm run`) on a free loopback port with a fresh temporary data dir and a known admin password.
 * `inProcess: true` builds the same server inside the test process (faster; no `--demo` output).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const LISTEN_LINE = /patkit listening on (http:\/\/\S+)/;

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
  const args = [join(ROOT, 'server/main.ts')];
  if (options.demo) args.push('--demo');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      PATKIT_DATA_DIR: dataDir,
      PATKIT_ADMIN_PASSWORD: adminPassword,
      ...(options.enablePats ? { PATKIT_ENABLE_PATS: '1' } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await waitForListening(child);
  let stopped = false;
  return {
    url,
    adminPassword,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopChild(child);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function waitForListening(child: ChildProcess, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`server did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = LISTEN_LINE.exec(output);
      if (match?.[1]) {
        cleanup();
        // Keep draining the pipes so the child never blocks on a full buffer.
        child.stdout?.resume();
        child.stderr?.resume();
        resolvePromise(match[1]);
      }
    };
    const onExit = (code: number | null, signal: string | null) =>
      fail(new Error(`server exited (${code ?? signal}) before listening:\n${output}`));
    const fail = (error: Error) => {
      cleanup();
      child.kill('SIGKILL');
      reject(error);
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolvePromise) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolvePromise();
    });
    child.kill('SIGTERM');
  });
}
