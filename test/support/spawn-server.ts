/**
 * The one way tests and benches start the reference server as a real process: `node server/main.ts`
 * (the Node that runs them, i.e. Node 24 under `npm run`) on a free loopback port.
 *
 * - `spawnServer()` waits for the `patkit listening on …` line and hands back the process: its URL,
 *   its output so far, `stop()` (SIGTERM, then SIGKILL after 5 s) and `kill()` (kill -9).
 * - `runServer()` runs a command that exits by itself (`--migrate-to`, a refused start) and
 *   returns its exit code and output.
 *
 * Every process started here is killed when the test process exits; `killAllServers()` in an
 * `after()` hook does it earlier, so a failed test cannot leave one holding the runner open.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const LISTEN_LINE = /patkit listening on (http:\/\/\S+)/;

export interface SpawnServerOptions {
  /** Arguments after `server/main.ts` (`--demo`, `--migrate-to …`). */
  args?: string[];
  /** `PATKIT_DATA_DIR` (the caller creates and removes it). */
  dataDir?: string;
  /** `PATKIT_DATABASE_URL`: the PostgreSQL store; without it, SQLite in the data dir. */
  databaseUrl?: string;
  /** More environment, over the test process's own and `PORT=0 HOST=127.0.0.1`. */
  env?: Record<string, string>;
  /** How long to wait for the listening line (spawnServer only). */
  timeoutMs?: number;
}

export interface ServerProcess {
  child: ChildProcess;
  /** From the listening line, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Everything it printed so far, stdout and stderr interleaved. */
  output(): string;
  stdout(): string;
  stderr(): string;
  /** Its exit code (null when killed by a signal), once it has exited. */
  exited: Promise<number | null>;
  /** SIGTERM (a clean shutdown), SIGKILL if it is still running 5 s later; resolves on exit. */
  stop(): Promise<void>;
  /** kill -9; resolves on exit. */
  kill(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** kill -9 of every server started here that still runs: for an `after()` hook, so a failed test leaves none. */
export function killAllServers(): void {
  for (const child of running) child.kill('SIGKILL');
}
process.once('exit', killAllServers);

const isRunning = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null;

function start(options: SpawnServerOptions): Omit<ServerProcess, 'url'> {
  const child = spawn(process.execPath, [join(ROOT, 'server/main.ts'), ...(options.args ?? [])], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      ...(options.dataDir !== undefined ? { PATKIT_DATA_DIR: options.dataDir } : {}),
      ...(options.databaseUrl !== undefined ? { PATKIT_DATABASE_URL: options.databaseUrl } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
    stdout += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    out += c.toString();
    stderr += c.toString();
  });
  // 'close', not 'exit': by then its output has been read to the end.
  const exited = new Promise<number | null>((r) =>
    child.once('close', (code) => {
      running.delete(child);
      r(code);
    }),
  );
  const signal = async (name: NodeJS.Signals): Promise<void> => {
    if (!isRunning(child)) return;
    child.kill(name);
    await exited;
  };
  return {
    child,
    output: () => out,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    kill: () => signal('SIGKILL'),
    async stop() {
      if (!isRunning(child)) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await signal('SIGTERM');
      clearTimeout(timer);
    },
  };
}

/** Starts the server and resolves once it prints its listening line; rejects if it exits or is too slow first. */
export async function spawnServer(options: SpawnServerOptions = {}): Promise<ServerProcess> {
  const server = start(options);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      done();
      server.child.kill('SIGKILL');
      reject(new Error(`server did not start within ${timeoutMs} ms:\n${server.output()}`));
    }, timeoutMs);
    const onData = (): void => {
      const match = LISTEN_LINE.exec(server.output());
      if (match?.[1]) {
        done();
        resolvePromise(match[1]);
      }
    };
    const done = (): void => {
      clearTimeout(timer);
      server.child.stdout!.off('data', onData);
      server.child.stderr!.off('data', onData);
    };
    // Listeners added after start()'s own, so output() already holds the chunk.
    server.child.stdout!.on('data', onData);
    server.child.stderr!.on('data', onData);
    void server.exited.then((code) => {
      done();
      reject(new Error(`server exited (${code ?? server.child.signalCode}) before listening:\n${server.output()}`));
    });
  });
  return { ...server, url };
}

/** Runs `server/main.ts` with these options until it exits by itself; its exit code and output. */
export async function runServer(options: SpawnServerOptions = {}): Promise<{ code: number | null; output: string; stdout: string; stderr: string }> {
  const server = start(options);
  const code = await server.exited;
  return { code, output: server.output(), stdout: server.stdout(), stderr: server.stderr() };
}
