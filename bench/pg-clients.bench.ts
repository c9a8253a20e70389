/**
 * `npm run bench:pg-clients`: the PostgreSQL clients side by side on patkit's verification statement,
 * against a bare round trip (`SELECT 1`) through the same client, in the same run: `pg` (unnamed
 * statements: parsed every time), `pg` with named prepared statements (what the store uses),
 * `pg-native` (libpq) when it is installed and builds here, and `postgres` (porsager). Each runs
 * with a pool of 10 connections and 16 queries in flight, as the server bench loads one instance.
 * Two statements: the full read (token, owner, roles, settings, throttle counters, epoch) and what is
 * read per request while the instance holds the token (the epoch and the throttle counters).
 *
 * Reports queries per second, the client's CPU per query (this process) and PostgreSQL's CPU per
 * query; the figure to compare is each statement's rate ÷ the same client's `SELECT 1` rate.
 * Options (env): BENCH_SECONDS per run (default 3), BENCH_ROUNDS (default 2), BENCH_TOKENS (default 10000).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { PostgresStore } from '../server/store/postgres/postgres-store.ts';
import { EPOCH_CHECK, TOKEN_FOR_VERIFICATION } from '../server/store/postgres/postgres-tokens.ts';
import { startPostgres, type PostgresCluster } from '../test/support/postgres.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const TOKENS = Number(process.env.BENCH_TOKENS ?? 10_000);
const IN_FLIGHT = 16;
const POOL = 10;

/** One client library: runs a statement with parameters, on any of its pooled connections. */
interface Client {
  name: string;
  run(name: string, text: string, values: unknown[]): Promise<unknown>;
  end(): Promise<void>;
}

function pgClient(url: string, named: boolean): Client {
  const pool = new pg.Pool({ connectionString: url, max: POOL });
  return {
    name: named ? 'pg, named prepared' : 'pg, unnamed',
    run: (name, text, values) => (named ? pool.query({ name, text, values }) : pool.query(text, values)),
    end: () => pool.end(),
  };
}

/** pg's native binding (libpq) when `pg-native` is installed and built; else null. */
async function pgNativeClient(url: string): Promise<Client | null> {
  try {
    await import('pg-native' as string);
  } catch {
    return null;
  }
  const native = (pg as unknown as { native: typeof pg | null }).native;
  if (!native) return null;
  const pool = new native.Pool({ connectionString: url, max: POOL });
  return { name: 'pg-native, named prepared', run: (name, text, values) => pool.query({ name, text, values }), end: () => pool.end() };
}

/** postgres (porsager) when installed: prepared statements are its default. */
async function porsagerClient(url: string): Promise<Client | null> {
  let postgres: (url: string, options: Record<string, unknown>) => { unsafe(text: string, values: unknown[], options: { prepare: boolean }): Promise<unknown>; end(): Promise<void> };
  try {
    postgres = (await import('postgres' as string)).default;
  } catch {
    return null;
  }
  const sql = postgres(url, { max: POOL, prepare: true, onnotice: () => undefined });
  return { name: 'postgres (porsager), prepared', run: (_name, text, values) => sql.unsafe(text, values, { prepare: true }), end: () => sql.end() };
}

/** CPU ms (user + system) of each of these processes, from /proc (an ended one is left out). */
async function cpuMs(pids: number[]): Promise<Map<number, number>> {
  const times = new Map<number, number>();
  for (const pid of pids) {
    try {
      const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
      times.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
    } catch {
      // ended
    }
  }
  return times;
}

/** CPU ms spent between two readings by the processes present at both (autovacuum workers come and go). */
function spent(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) if (before.has(pid)) total += ms - before.get(pid)!;
  return total;
}

async function postgresPids(cluster: PostgresCluster): Promise<number[]> {
  const postmaster = Number((await readFile(join(cluster.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const pids = [postmaster];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number((await readFile(`/proc/${entry}/stat`, 'utf8')).split(') ')[1]!.split(' ')[1]) === postmaster) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

interface Figure {
  client: string;
  statement: string;
  qps: number;
  clientUs: number;
  dbUs: number;
}

/** IN_FLIGHT loops issuing the statement back to back for SECONDS. */
async function load(client: Client, cluster: PostgresCluster, statement: string, text: string, values: () => unknown[]): Promise<Figure> {
  const dbPids = await postgresPids(cluster);
  const db0 = await cpuMs(dbPids);
  const cpu0 = process.cpuUsage();
  const end = performance.now() + SECONDS * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (performance.now() < end) {
        await client.run(statement.replace(/\W+/g, '_'), text, values());
        done++;
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  const db = spent(db0, await cpuMs(dbPids));
  return { client: client.name, statement, qps: done / SECONDS, clientUs: (cpu.user + cpu.system) / done, dbUs: (db * 1000) / done };
}

async function main(): Promise<void> {
  const cluster = await startPostgres();
  const clients: Client[] = [];
  try {
    const url = await cluster.createDatabase('pgclients');
    const store = await PostgresStore.open(url, { statementTimeoutMs: 600_000 });
    await store.query(`INSERT INTO users (id, username, display_name, kind, active, created_at, updated_at) VALUES ('usr_bench', 'bench', 'Bench', 'person', true, now()::text, now()::text)`);
    await store.query(`INSERT INTO user_roles (user_id, role_id) VALUES ('usr_bench', 'system_user')`);
    await store.query(
      `INSERT INTO tokens (id, digest, last4, owner_kind, owner_user_id, name, description, created_at, created_by_id, updated_at, expires_at, scopes)
       SELECT 'tok_b' || i, sha256(('bench' || i)::bytea), 'xxxx', 'user', 'usr_bench', 'filler ' || i, '', now()::text, 'usr_bench', now()::text, NULL, 'tokens:read'
       FROM generate_series(1, $1::int) AS i`,
      [TOKENS],
    );
    await store.query('ANALYZE');
    const digests = (await store.query('SELECT digest FROM tokens ORDER BY id LIMIT 1000')).rows.map((r) => r.digest as Buffer);
    await store.close();

    clients.push(pgClient(url, false), pgClient(url, true));
    for (const optional of [await pgNativeClient(url), await porsagerClient(url)]) if (optional) clients.push(optional);
    let i = 0;
    const keys = ['token:ip:127.0.0.1', null];
    const statements: [string, string, () => unknown[]][] = [
      ['SELECT 1 (round trip)', 'SELECT 1', () => []],
      ['verification, full read', TOKEN_FOR_VERIFICATION, () => [digests[i++ % digests.length], ...keys, Date.now()]],
      ['verification, token cached (epoch check)', EPOCH_CHECK, () => [...keys, Date.now()]],
    ];
    console.log(`PostgreSQL clients: ${ROUNDS} rounds × ${SECONDS} s, ${IN_FLIGHT} in flight over ${POOL} connections, ${TOKENS.toLocaleString('en')} tokens, Node ${process.version}`);
    // Every connection of every pool opened before measuring (a backend started during a run
    // would be missing from its PostgreSQL CPU figure).
    for (const client of clients) await Promise.all(Array.from({ length: IN_FLIGHT * 4 }, () => client.run('warm_up', 'SELECT 1', [])));
    const figures: Figure[][] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Interleaved, so a burst of other load hits every client alike; the better round is kept.
      for (const [c, client] of clients.entries()) {
        for (const [s, [statement, text, values]] of statements.entries()) {
          const figure = await load(client, cluster, statement, text, values);
          ((figures[c * statements.length + s] ??= []) as Figure[]).push(figure);
        }
      }
    }
    report(figures.map((runs) => runs.reduce((best, f) => (f.qps > best.qps ? f : best))));
    if (clients.length < 4) console.log('(pg-native or postgres is not installed or does not load here: only the clients listed were measured)');
  } finally {
    for (const client of clients) await client.end();
    await cluster.stop();
  }
}

function report(figures: Figure[]): void {
  console.log('\n| client | statement | queries/s | ÷ its SELECT 1 | client CPU µs/query | PostgreSQL CPU µs/query |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: |');
  for (const f of figures) {
    const base = figures.find((b) => b.client === f.client && b.statement.startsWith('SELECT 1'))!;
    console.log(`| ${f.client} | ${f.statement} | ${f.qps.toFixed(0)} | ${(f.qps / base.qps).toFixed(2)} | ${f.clientUs.toFixed(0)} | ${f.dbUs.toFixed(0)} |`);
  }
}

await main();
