/**
 * A real PostgreSQL cluster for tests and benches (Debian's PostgreSQL 15): `initdb` + `pg_ctl` in a
 * temp dir owned by the `postgres` user (root cannot run the server, so commands go through
 * `runuser` when this process is root), listening on a free loopback port, removed by `stop()`.
 * Binaries: `PATKIT_PG_BIN` or /usr/lib/postgresql/15/bin.
 */
import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const BIN = process.env.PATKIT_PG_BIN || '/usr/lib/postgresql/15/bin';

export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  url: string;
  port: number;
  /** The cluster's data directory (postmaster.pid names the server's process). */
  dataDir: string;
  /** A new empty database; returns its URL. */
  createDatabase(name?: string): Promise<string>;
  dropDatabase(url: string): Promise<void>;
  /** Stops the server (`-m immediate`: like a crash) and starts it again on the same port. */
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  /** Stops the server and removes the cluster's directory. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const isRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary as the `postgres` user. */
async function asPostgres(binary: string, args: string[]): Promise<string> {
  const file = join(BIN, binary);
  const { stdout } = isRoot ? await run('runuser', ['-u', 'postgres', '--', file, ...args]) : await run(file, args);
  return stdout;
}

let counter = 0;

export async function startPostgres(): Promise<PostgresCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'patkit-pg-'));
  if (isRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const uid = Number(stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    await chown(dir, uid, gid);
  }
  await chmod(dir, 0o700);
  const data = join(dir, 'data');
  const port = await freePort();
  const ctl = (...args: string[]) => asPostgres('pg_ctl', ['-D', data, ...args]);
  try {
    await asPostgres('initdb', ['-D', data, '--auth=trust', '--username=postgres', '-E', 'UTF8', '--no-sync']);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (is PostgreSQL installed in ${BIN}? apt-get install -y postgresql): ${(error as Error).message}`);
  }
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200`;
  const startServer = async () => {
    await ctl('-l', join(dir, 'log'), '-w', '-t', '30', '-o', options, 'start');
  };
  await startServer();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  let stopped = false;
  return {
    url,
    port,
    dataDir: data,
    async createDatabase(name = `patkit_test_${process.pid}_${++counter}`) {
      await admin((c) => c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async dropDatabase(databaseUrl: string) {
      const name = new URL(databaseUrl).pathname.slice(1);
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
    },
    async stopServer() {
      await ctl('-m', 'immediate', '-w', 'stop');
    },
    startServer,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await ctl('-m', 'immediate', '-w', 'stop');
      } catch {
        // already stopped
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The cluster the server suite runs on when `PATKIT_TEST_STORE=postgres`: the one named by
 * `PATKIT_TEST_POSTGRES_URL` (started by scripts/test-server.ts for the whole run), else one started
 * for this test file and stopped when the process exits.
 */
let shared: Promise<{ url: string; createDatabase(): Promise<string>; dropDatabase(url: string): Promise<void> }> | null = null;

export function testCluster(): Promise<{ url: string; createDatabase(): Promise<string>; dropDatabase(url: string): Promise<void> }> {
  shared ??= (async () => {
    const given = process.env.PATKIT_TEST_POSTGRES_URL;
    if (given) {
      const base = new URL(given);
      const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
        const client = new pg.Client({ connectionString: given });
        await client.connect();
        try {
          return await work(client);
        } finally {
          await client.end();
        }
      };
      return {
        url: given,
        async createDatabase() {
          const name = `patkit_test_${process.pid}_${++counter}`;
          await admin((c) => c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
          const url = new URL(base);
          url.pathname = `/${name}`;
          return url.toString();
        },
        async dropDatabase(url: string) {
          const name = new URL(url).pathname.slice(1);
          await admin((c) => c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
        },
      };
    }
    const cluster = await startPostgres();
    process.once('beforeExit', () => void cluster.stop());
    return cluster;
  })();
  return shared;
}

/** Which store the server suite runs against: `PATKIT_TEST_STORE=postgres` or SQLite (default). */
export const TEST_STORE: 'sqlite' | 'postgres' = process.env.PATKIT_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';
