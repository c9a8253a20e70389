/**
 * A real Verdaccio (npm registry) for tests: temporary config, storage and htpasswd, loopback
 * only, no uplinks. Started with the Node that runs the test (`process.execPath`, Node 24 under
 * `npm run` / `npm exec`, which Verdaccio 6.9+ needs), ready when `/-/ping` answers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface RunningVerdaccio {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  url: string;
  host: string;
  port: number;
  dir: string;
  /** The Verdaccio process id (for CPU figures from /proc). */
  pid: number;
  /** Everything Verdaccio printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const VERDACCIO_BIN = resolve(import.meta.dirname, '../../node_modules/verdaccio/bin/verdaccio');

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

async function waitForPing(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Verdaccio exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${url}/-/ping`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`Verdaccio did not answer /-/ping within ${timeoutMs} ms:\n${output()}`);
}

export interface VerdaccioOptions {
  timeoutMs?: number;
  /** Sign API tokens as JWTs (`security.api.jwt`), as a production registry would; default: Verdaccio's legacy tokens. */
  jwt?: boolean;
}

export async function startVerdaccio(options: VerdaccioOptions = {}): Promise<RunningVerdaccio> {
  const dir = await mkdtemp(join(tmpdir(), 'patkit-verdaccio-'));
  const host = '127.0.0.1';
  const port = await freePort();
  const config = [
    `storage: ${JSON.stringify(join(dir, 'storage'))}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(join(dir, 'htpasswd'))}`,
    'uplinks: {}',
    'packages:',
    "  '**':",
    '    access: $all',
    '    publish: $authenticated',
    `listen: ${host}:${port}`,
    'log: { type: stdout, format: pretty, level: warn }',
    ...(options.jwt ? ['security:', '  api:', '    jwt:', '      sign:', '        expiresIn: 7d'] : []),
    '',
  ].join('\n');
  const configFile = join(dir, 'config.yaml');
  await writeFile(configFile, config);

  let out = '';
  const child = spawn(process.execPath, [VERDACCIO_BIN, '--config', configFile], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'test' },
  });
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const url = `http://${host}:${port}`;
  const output = (): string => out;

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await waitForPing(url, child, output, options.timeoutMs ?? 30000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, host, port, dir, pid: child.pid!, output, stop };
}

/** Creates a registry user the way `npm adduser` does; answers the login token. */
export async function addRegistryUser(url: string, name: string, password: string): Promise<string> {
  const res = await fetch(`${url}/-/user/org.couchdb.user:${encodeURIComponent(name)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ _id: `org.couchdb.user:${name}`, name, password, type: 'user', roles: [], date: new Date().toISOString() }),
  });
  const body = (await res.json()) as { token?: string; error?: string };
  if (res.status !== 201 || typeof body.token !== 'string') {
    throw new Error(`creating registry user ${name} failed: HTTP ${res.status} ${JSON.stringify(body)}`);
  }
  return body.token;
}
