/**
 * `npm run bench:server`: token verification throughput against the `/api/v1/health` baseline of the
 * same server in the same run, on SQLite and on PostgreSQL, with one and (PostgreSQL) two instances,
 * at 1,000 and at 1,000,000 tokens in the database (loopback only, bounded duration). Targets: on
 * SQLite token verification (`GET /users/me`) ≥ 0.8 × health with CPU per request ≤ 1.25 × health's,
 * introspection ≥ 0.7 × health; on PostgreSQL verification ≥ 0.8 × `/api/v1/ready` (a bare round
 * trip through the same pool) and ≥ 0.5 × health; 1,000,000-token figures ≥ 0.9 × the 1,000-token
 * ones; a PAT with a 50-entry IP allow-list (the match last) and 50 resources ≥ 0.95 × a plain PAT
 * (docs/security.md rule 37: the list is parsed once, not per request). Writes the figures into bench/RESULTS.md (## Server).
 *
 * Options (env): BENCH_SECONDS per run (default 5), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 16),
 * BENCH_TOKENS (default 1000000), BENCH_STORES (default "sqlite,postgres").
 */
// @ts-expect-error autocannon ships no type declarations (and @types/autocannon is not installed)
import autocannonUntyped from 'autocannon';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PostgresStore } from '../server/store/postgres/postgres-store.ts';
import { SqliteStore } from '../server/store/sqlite/sqlite-store.ts';
import type { NewToken } from '../server/store/store.ts';
import { call } from '../test/support/http.ts';
import { startPostgres, type PostgresCluster } from '../test/support/postgres.ts';
import { spawnServer, type ServerProcess } from '../test/support/spawn-server.ts';

/** The part of autocannon's API this bench uses. */
interface CannonOptions {
  url: string;
  connections?: number;
  duration?: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}
interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
const autocannon = autocannonUntyped as (options: CannonOptions) => Promise<CannonResult>;

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const LARGE = Number(process.env.BENCH_TOKENS ?? 1_000_000);
const SMALL = 1_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const STORES = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',').map((s) => s.trim()) as StoreKind[];
const ADMIN_PASSWORD = 'bench-admin-password';

type StoreKind = 'sqlite' | 'postgres';

/** The scenario prefix of the PAT with a 50-entry allow-list and 50 resources. */
const ALLOW_LISTED = '50 allowed IPs + 50 resources:';
/** The resource type the fine-grained PAT is bounded to, declared in the scopes file every server gets. */
const HOST_TYPE = 'host';

type Server = ServerProcess;

function startServer(env: Record<string, string>): Promise<Server> {
  return spawnServer({ env: { PATKIT_ADMIN_PASSWORD: ADMIN_PASSWORD, PATKIT_ENABLE_PATS: '1', ...env } });
}

function stopServer(server: Server): Promise<void> {
  return server.stop();
}

async function api(url: string, method: string, path: string, token: string | null, body?: unknown) {
  const r = await call(url, method, path, { token: token ?? undefined, body });
  const json = r.json as Record<string, unknown> & { secret?: string; credential?: string };
  if (r.status < 200 || r.status > 299) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

/** Filler tokens (random digests stand in for secrets), in one transaction. */
function fillerRows(ownerId: string, count: number, offset: number, digests: Buffer): NewToken[] {
  const at = new Date().toISOString();
  return Array.from({ length: count }, (_, i) => ({
    id: `tok_bench${String(offset + i).padStart(11, '0')}`,
    digest: digests.subarray(i * 32, i * 32 + 32),
    last4: 'xxxx',
    owner_kind: 'user' as const,
    owner_user_id: ownerId,
    owner_scope_id: null,
    owner_scope_name: null,
    name: `filler ${offset + i}`,
    description: '',
    created_at: at,
    created_by_id: ownerId,
    expires_at: null,
    scopes: ['tokens:read'],
  }));
}

async function seedSqlite(dataDir: string, ownerId: string, count: number, offset: number): Promise<number> {
  const store = new SqliteStore(dataDir);
  const t0 = performance.now();
  for (let done = 0; done < count; done += 100_000) {
    const n = Math.min(100_000, count - done);
    store.importTokens(fillerRows(ownerId, n, offset + done, randomBytes(32 * n)));
  }
  const total = await store.countTokens();
  store.closeNow();
  console.log(`  sqlite: seeded ${count.toLocaleString('en')} tokens in ${((performance.now() - t0) / 1000).toFixed(1)} s (total ${total.toLocaleString('en')})`);
  return total;
}

/** PostgreSQL: bulk SQL (generate_series), not HTTP; then ANALYZE so plans match the new size. */
async function seedPostgres(url: string, ownerId: string, count: number, offset: number): Promise<number> {
  // Bulk loads run far longer than the server's 5 s statement timeout.
  const store = await PostgresStore.open(url, { statementTimeoutMs: 900_000 });
  const t0 = performance.now();
  await store.query(
    `INSERT INTO tokens (id, digest, last4, owner_kind, owner_user_id, name, description, created_at, created_by_id, updated_at, expires_at, scopes)
     SELECT 'tok_bench' || lpad(i::text, 11, '0'), sha256(('bench' || i)::bytea), 'xxxx', 'user', $1, 'filler ' || i, '', now()::text, $1, now()::text, NULL, 'tokens:read'
     FROM generate_series($2::bigint, $3::bigint) AS i`,
    [ownerId, offset, offset + count - 1],
  );
  await store.query('ANALYZE tokens');
  const total = await store.countTokens();
  await store.close();
  console.log(`  postgres: seeded ${count.toLocaleString('en')} tokens in ${((performance.now() - t0) / 1000).toFixed(1)} s (total ${total.toLocaleString('en')})`);
  return total;
}

/** CPU time (user + system) in ms of these processes, from /proc: robust against other load. */
async function cpuMs(pids: number[]): Promise<number> {
  let total = 0;
  for (const pid of pids) {
    try {
      const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
      total += ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in 1/100 s
    } catch {
      // the process ended
    }
  }
  return total;
}

/** The PostgreSQL server's processes: the postmaster and its children (backends, writers). */
async function postgresPids(cluster: PostgresCluster | null): Promise<number[]> {
  if (!cluster) return [];
  const postmaster = Number((await readFile(join(cluster.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const pids = [postmaster];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number((await readFile(`/proc/${entry}/stat`, 'utf8')).split(') ')[1]!.split(' ')[1]);
      if (ppid === postmaster) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

interface Figure {
  store: StoreKind;
  instances: number;
  scenario: string;
  tokens: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  rss: number;
  /** patkit CPU microseconds per request (all instances). */
  cpuUs: number;
  /** PostgreSQL CPU microseconds per request (0 for SQLite). */
  dbCpuUs: number;
}

interface Scenario {
  name: string;
  path: string;
  options: Partial<CannonOptions>;
}

/** One run: every instance loaded at once with its share of the connections. */
async function measure(servers: Server[], cluster: PostgresCluster | null, store: StoreKind, scenario: Scenario, tokens: number): Promise<Figure> {
  const pids = servers.map((s) => s.child.pid!);
  const dbPids = await postgresPids(cluster);
  const [cpuBefore, dbBefore] = [await cpuMs(pids), await cpuMs(dbPids)];
  const results = await Promise.all(
    servers.map((server) => autocannon({ url: server.url + scenario.path, connections: Math.ceil(CONNECTIONS / servers.length), duration: SECONDS, ...scenario.options })),
  );
  const cpu = (await cpuMs(pids)) - cpuBefore;
  const dbCpu = (await cpuMs(dbPids)) - dbBefore;
  const total = results.reduce((n, r) => n + r.requests.total, 0);
  const errors = results.reduce((n, r) => n + r.errors + r.timeouts + r.non2xx, 0);
  const rss = Math.max(...(await Promise.all(pids.map(rssMb))));
  const figure: Figure = {
    store,
    instances: servers.length,
    scenario: scenario.name,
    tokens,
    rps: results.reduce((n, r) => n + r.requests.average, 0),
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    errors,
    rss,
    cpuUs: total ? (cpu * 1000) / total : 0,
    dbCpuUs: total ? (dbCpu * 1000) / total : 0,
  };
  console.log(
    `  ${store.padEnd(8)} ×${servers.length} ${scenario.name.padEnd(62)} ${tokens.toLocaleString('en').padStart(9)} tokens ${figure.rps.toFixed(0).padStart(6)} req/s  p50 ${figure.p50} ms  p99 ${figure.p99} ms  ${figure.cpuUs.toFixed(0)} µs patkit CPU/req  ${figure.dbCpuUs.toFixed(0)} µs db CPU/req  errors ${errors}`,
  );
  return figure;
}

function median(runs: Figure[]): Figure {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  const mid = sorted[Math.floor(sorted.length / 2)]!;
  return { ...mid, errors: runs.reduce((n, r) => n + r.errors, 0), rss: Math.max(...runs.map((r) => r.rss)) };
}

/** Prepares one store (admin, settings, the three bench tokens); returns what the scenarios need. */
async function prepare(env: Record<string, string>) {
  const server = await startServer(env);
  try {
    const session = await api(server.url, 'POST', '/api/v1/sessions', null, { username: 'admin', password: ADMIN_PASSWORD, remember: true });
    const admin = session.credential!;
    const adminId = (session.user as { id: string }).id;
    await api(server.url, 'PATCH', '/api/v1/settings', admin, { require_password_confirmation: false, allow_no_expiry: true, max_lifetime_days: 0 });
    const make = async (name: string, scopes: string[]) =>
      (await api(server.url, 'POST', '/api/v1/tokens', admin, { name, scopes, expires_at: null, acknowledge_admin_token: true })).secret!;
    const pat = await make('bench caller', ['tokens:read']);
    const introspector = await make('bench introspector', ['tokens:introspect']);
    const subject = await make('bench subject', ['tokens:read', 'tokens:write']);
    // 49 ranges the bench's address is outside of, then the one it is in: every entry is tried.
    const allowedIps = [...Array.from({ length: 49 }, (_, i) => `10.${i}.0.0/16`), '127.0.0.0/8'];
    const resources = Array.from({ length: 50 }, (_, i) => ({ type: HOST_TYPE, id: `host-${i}` }));
    for (const r of resources) await api(server.url, 'PUT', `/api/v1/resources/${r.type}/${r.id}`, admin, { name: `Host ${r.id}` });
    const allowListed = (
      await api(server.url, 'POST', '/api/v1/tokens', admin, {
        name: 'bench allow-listed',
        scopes: ['tokens:read'],
        expires_at: null,
        acknowledge_admin_token: true,
        allowed_ips: allowedIps,
        resources,
      })
    ).secret!;
    const scenarios: Scenario[] = [
      { name: 'GET /api/v1/health (baseline)', path: '/api/v1/health', options: { method: 'GET' } },
      // A bare database round trip through the same pool (PostgreSQL's baseline; on SQLite a no-op).
      { name: 'GET /api/v1/ready (baseline)', path: '/api/v1/ready', options: { method: 'GET' } },
      { name: 'GET /api/v1/users/me (PAT)', path: '/api/v1/users/me', options: { method: 'GET', headers: { authorization: `Bearer ${pat}` } } },
      {
        name: `${ALLOW_LISTED} GET /api/v1/users/me (PAT)`,
        path: '/api/v1/users/me',
        options: { method: 'GET', headers: { authorization: `Bearer ${allowListed}` } },
      },
      {
        name: 'POST /api/v1/introspect (PAT)',
        path: '/api/v1/introspect',
        options: { method: 'POST', headers: { authorization: `Bearer ${introspector}`, 'content-type': 'application/json' }, body: JSON.stringify({ token: subject }) },
      },
    ];
    return { adminId, scenarios, pat };
  } finally {
    await stopServer(server);
  }
}

async function runStore(store: StoreKind, figures: Figure[], dir: string): Promise<void> {
  let cluster: PostgresCluster | null = null;
  try {
    const scopesFile = join(dir, 'scopes.json');
    await writeFile(scopesFile, JSON.stringify({ scopes: [], resource_types: [{ id: HOST_TYPE, name: 'Host' }] }));
    let env: Record<string, string>;
    let seed: (ownerId: string, count: number, offset: number) => Promise<number>;
    if (store === 'postgres') {
      cluster = await startPostgres();
      const url = await cluster.createDatabase('bench');
      env = { PATKIT_DATABASE_URL: url, PATKIT_PEPPER_FILE: join(dir, 'pepper'), PATKIT_SCOPES_FILE: scopesFile };
      seed = (owner, count, offset) => seedPostgres(url, owner, count, offset);
    } else {
      env = { PATKIT_DATA_DIR: join(dir, 'sqlite'), PATKIT_SCOPES_FILE: scopesFile };
      seed = (owner, count, offset) => seedSqlite(join(dir, 'sqlite'), owner, count, offset);
    }
    const { adminId, scenarios, pat } = await prepare(env);
    let total = await seed(adminId, SMALL - 3, 0);
    for (const size of [SMALL, LARGE]) {
      if (size !== SMALL) total = await seed(adminId, size - total, total);
      // SQLite serves a data dir from one process (a second is refused); PostgreSQL from one and two.
      for (const instances of store === 'postgres' ? [1, 2] : [1]) {
        const servers = await Promise.all(Array.from({ length: instances }, (_, i) => startServer(store === 'postgres' ? { ...env, PATKIT_DATA_DIR: join(dir, `pg-${i}`) } : env)));
        try {
          // Warm up (JIT, page cache, prepared statements) before measuring.
          await Promise.all(servers.map((s) => autocannon({ url: s.url + '/api/v1/users/me', connections: 8, duration: 2, headers: { authorization: `Bearer ${pat}` } })));
          // Rounds interleave the scenarios, so a burst of other load on the shared machine hits them
          // all alike; the median round of each scenario is reported.
          const rounds: Figure[][] = scenarios.map(() => []);
          for (let round = 0; round < ROUNDS; round++) {
            for (const [i, scenario] of scenarios.entries()) rounds[i]!.push(await measure(servers, cluster, store, scenario, total));
          }
          for (const runs of rounds) figures.push(median(runs));
        } finally {
          await Promise.all(servers.map(stopServer));
        }
      }
    }
  } finally {
    await cluster?.stop();
  }
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'patkit-bench-'));
  const figures: Figure[] = [];
  console.log(`patkit server benchmark: ${ROUNDS} rounds × ${SECONDS} s per scenario, ${CONNECTIONS} connections, ${cpus().length} CPUs, Node ${process.version}, stores ${STORES.join(', ')}`);
  try {
    for (const store of STORES) await runStore(store, figures, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await report(figures);
}

async function report(figures: Figure[]) {
  const find = (store: StoreKind, instances: number, prefix: string, tokens: number) =>
    figures.find((f) => f.store === store && f.instances === instances && f.scenario.startsWith(prefix) && f.tokens === tokens);
  const sizes = [...new Set(figures.map((f) => f.tokens))].sort((a, b) => a - b);
  const [small, large] = [sizes[0]!, sizes.at(-1)!];
  const checks: string[] = [];
  const verdict = (ratio: number, target: number) => (ratio >= target ? 'met' : `MISSED by ${((target - ratio) * 100).toFixed(0)} points`);
  const ME = 'GET /api/v1/users/me';
  const INTROSPECT = 'POST /api/v1/introspect';
  for (const store of STORES) {
    // [route, baseline, target]: req/s of the route ÷ req/s of the baseline, same run.
    const targets: [string, string, number][] =
      store === 'sqlite'
        ? [
            [ME, 'GET /api/v1/health', 0.8],
            [INTROSPECT, 'GET /api/v1/health', 0.7],
          ]
        : [
            [ME, 'GET /api/v1/ready', 0.8],
            [ME, 'GET /api/v1/health', 0.5],
            [INTROSPECT, 'GET /api/v1/ready', 0.5],
          ];
    for (const instances of store === 'postgres' ? [1, 2] : [1]) {
      const label = `${store === 'sqlite' ? 'SQLite' : 'PostgreSQL'} ×${instances}`;
      for (const size of sizes) {
        for (const [route, baseline, target] of targets) {
          const ratio = find(store, instances, route, size)!.rps / find(store, instances, baseline, size)!.rps;
          const base = baseline.split('/').at(-1);
          checks.push(`${label}: ${route} / ${base} at ${size.toLocaleString('en')} tokens: ${ratio.toFixed(2)} (target ≥ ${target.toFixed(2)}) ${verdict(ratio, target)}`);
        }
        // CPU per request is steadier than req/s on a shared machine: the route's over health's.
        const health = find(store, instances, 'GET /api/v1/health', size)!.cpuUs;
        for (const route of [ME, INTROSPECT]) {
          const ratio = find(store, instances, route, size)!.cpuUs / health;
          const goal = store === 'sqlite' && route === ME ? ` (target ≤ 1.25) ${ratio <= 1.25 ? 'met' : 'MISSED'}` : '';
          checks.push(`${label}: ${route} patkit CPU per request / health's at ${size.toLocaleString('en')} tokens: ${ratio.toFixed(2)}${goal}`);
        }
      }
      for (const prefix of ['GET /api/v1/users/me', 'POST /api/v1/introspect']) {
        // Compared as ratios to the health baseline of the same run, so load from other work on the
        // shared machine cancels out.
        const at = (size: number) => find(store, instances, prefix, size)!.rps / find(store, instances, 'GET /api/v1/health', size)!.rps;
        const ratio = at(large) / at(small);
        checks.push(`${label}: ${prefix} at ${large.toLocaleString('en')} / at ${small.toLocaleString('en')} tokens (each ÷ its health): ${ratio.toFixed(2)} (target ≥ 0.90) ${verdict(ratio, 0.9)}`);
      }
    }
  }
  for (const store of STORES) {
    for (const instances of store === 'postgres' ? [1, 2] : [1]) {
      for (const size of sizes) {
        const plain = find(store, instances, 'GET /api/v1/users/me', size)!;
        const listed = find(store, instances, ALLOW_LISTED, size)!;
        const ratio = listed.rps / plain.rps;
        // CPU per request is steadier than throughput on a shared machine: both are reported.
        const cpu = (listed.cpuUs + listed.dbCpuUs) / (plain.cpuUs + plain.dbCpuUs);
        checks.push(
          `${store === 'sqlite' ? 'SQLite' : 'PostgreSQL'} ×${instances}: 50-entry allow-list + 50 resources / plain PAT at ${size.toLocaleString('en')} tokens: req/s ${ratio.toFixed(3)} (target ≥ 0.95) ${verdict(ratio, 0.95)}; CPU µs/req (patkit + database) ${cpu.toFixed(3)} (target ≤ 1.05) ${cpu <= 1.05 ? 'met' : `MISSED by ${((cpu - 1.05) * 100).toFixed(0)} points`}`,
        );
      }
    }
  }
  const errors = figures.reduce((n, f) => n + f.errors, 0);
  checks.push(`errors (non-2xx, timeouts) over all runs: ${errors}`);
  console.log('\n' + checks.join('\n'));

  const lines = [
    '| store | instances | scenario | tokens in DB | req/s (median of rounds) | p50 ms | p99 ms | patkit CPU µs/req | PostgreSQL CPU µs/req | errors | patkit RSS MB (max) |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...figures.map(
      (f) =>
        `| ${f.store} | ${f.instances} | ${f.scenario} | ${f.tokens.toLocaleString('en')} | ${f.rps.toFixed(0)} | ${f.p50} | ${f.p99} | ${f.cpuUs.toFixed(0)} | ${f.store === 'postgres' ? f.dbCpuUs.toFixed(0) : '–'} | ${f.errors} | ${f.rss.toFixed(0)} |`,
    ),
  ];
  const entry = [
    `### ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — \`npm run bench:server\``,
    '',
    `${ROUNDS} interleaved rounds × ${SECONDS} s per scenario, ${CONNECTIONS} connections (split across instances), autocannon in the bench process, servers in child processes (Node ${process.version}), PostgreSQL 15 on the same machine, ${cpus().length} CPUs shared with other work, loopback.`,
    '',
    ...lines,
    '',
    ...checks.map((c) => `- ${c}`),
    '',
  ].join('\n');
  await writeResults(entry);
}

/** Puts the newest entry first in the `## Server` section, keeping older entries below it. */
async function writeResults(entry: string) {
  const file = join(ROOT, 'bench', 'RESULTS.md');
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch {
    text = '# Benchmark results\n\n## Server\n';
  }
  if (!/^## Server$/m.test(text)) text += '\n## Server\n';
  text = text.replace(/^## Server\n\n?/m, `## Server\n\n${entry}\n`);
  await writeFile(file, text);
  console.log(`\nrecorded in ${file}`);
}

await main();
