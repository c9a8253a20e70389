/**
 * `npm run bench:server`: token verification throughput against the `/api/v1/health` baseline of the
 * same server in the same run, at 1,000 and at 1,000,000 tokens in the database (loopback only,
 * bounded duration). Targets: token routes ≥ 0.8 × health; 1,000,000-token figures ≥ 0.9 × the
 * 1,000-token ones. Writes the figures into bench/RESULTS.md (## Server).
 *
 * Options (env): BENCH_SECONDS per run (default 5), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 16),
 * BENCH_TOKENS (default 1000000).
 */
// @ts-expect-error autocannon ships no type declarations (and @types/autocannon is not installed)
import autocannonUntyped from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from '../server/sqlite-store.ts';
import type { NewToken } from '../server/store.ts';

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
  requests: { average: number };
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

function median(runs: Figure[]): Figure {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  const mid = sorted[Math.floor(sorted.length / 2)]!;
  return { ...mid, errors: runs.reduce((n, r) => n + r.errors, 0), rss: Math.max(...runs.map((r) => r.rss)) };
}
const ADMIN_PASSWORD = 'bench-admin-password';

interface Server {
  child: ChildProcess;
  url: string;
}

function startServer(dataDir: string): Promise<Server> {
  const child = spawn(process.execPath, [join(ROOT, 'server/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', PATKIT_DATA_DIR: dataDir, PATKIT_ADMIN_PASSWORD: ADMIN_PASSWORD, PATKIT_ENABLE_PATS: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolvePromise, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /patkit listening on (http:\/\/\S+)/.exec(out);
      if (m) resolvePromise({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await exited;
}

async function api(url: string, method: string, path: string, token: string | null, body?: unknown) {
  const r = await fetch(url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await r.json()) as Record<string, unknown> & { secret?: string; credential?: string };
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

/** Digests of every filler token, to look them up uncached afterwards. */
const fillerDigests: Buffer[] = [];

/** Filler tokens: one transaction, one prepared statement; random digests stand in for secrets. */
async function seed(dataDir: string, ownerId: string, count: number, offset: number): Promise<number> {
  const store = new SqliteStore(dataDir);
  const digests = randomBytes(32 * count);
  fillerDigests.push(digests);
  const at = new Date().toISOString();
  function* rows(): Generator<NewToken> {
    for (let i = 0; i < count; i++) {
      yield {
        id: `tok_bench${String(offset + i).padStart(11, '0')}`,
        digest: digests.subarray(i * 32, i * 32 + 32),
        last4: 'xxxx',
        owner_kind: 'user',
        owner_user_id: ownerId,
        owner_scope_id: null,
        owner_scope_name: null,
        name: `filler ${offset + i}`,
        description: '',
        created_at: at,
        created_by_id: ownerId,
        expires_at: null,
        scopes: ['tokens:read'],
      };
    }
  }
  const t0 = performance.now();
  store.importTokens(rows());
  const total = await store.countTokens();
  store.closeNow();
  console.log(`  seeded ${count.toLocaleString('en')} tokens in ${((performance.now() - t0) / 1000).toFixed(1)} s (total ${total.toLocaleString('en')})`);
  return total;
}

/** Server CPU time (user + system) in ms, from /proc: robust against other load on the machine. */
async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in 1/100 s
}

/**
 * The storage half of verification without the server's cache: indexed lookups of random filler
 * digests (every one a miss of the in-process cache), straight on the store.
 */
async function uncachedLookupMicros(dataDir: string): Promise<number> {
  const store = new SqliteStore(dataDir, { tokenCache: false });
  const all = Buffer.concat(fillerDigests);
  const n = all.length / 32;
  const picks = Array.from({ length: 20_000 }, () => {
    const at = Math.floor(Math.random() * n) * 32;
    return all.subarray(at, at + 32);
  });
  for (const d of picks.slice(0, 2000)) await store.findTokenByDigest(d); // warm up
  let found = 0;
  const t0 = performance.now();
  for (const d of picks) if (await store.findTokenByDigest(d)) found++;
  const micros = ((performance.now() - t0) * 1000) / picks.length;
  store.closeNow();
  if (found !== picks.length) throw new Error(`lookup found ${found} of ${picks.length}`);
  console.log(`  uncached lookup by digest (store, no HTTP): ${micros.toFixed(1)} µs`);
  return micros;
}

async function rssMb(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

interface Figure {
  scenario: string;
  tokens: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  rss: number;
  /** Server CPU microseconds per request. */
  cpuUs: number;
}

async function measure(server: Server, scenario: string, tokens: number, options: Partial<CannonOptions> & { path?: string }): Promise<Figure> {
  const { path = '/', ...rest } = options;
  const cpuBefore = await cpuMs(server.child.pid!);
  const result = await autocannon({ url: server.url + path, connections: CONNECTIONS, duration: SECONDS, ...rest });
  const cpu = (await cpuMs(server.child.pid!)) - cpuBefore;
  const errors = result.errors + result.timeouts + result.non2xx;
  const { rss } = await rssMb(server.child.pid!);
  const total = result.requests.average * SECONDS;
  const figure = { scenario, tokens, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors, rss, cpuUs: total ? (cpu * 1000) / total : 0 };
  console.log(
    `  ${scenario.padEnd(32)} ${tokens.toLocaleString('en').padStart(9)} tokens ${figure.rps.toFixed(0).padStart(6)} req/s  p50 ${figure.p50} ms  p99 ${figure.p99} ms  ${figure.cpuUs.toFixed(0)} µs CPU/req  errors ${errors}  RSS ${rss.toFixed(0)} MB`,
  );
  return figure;
}

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), 'patkit-bench-'));
  const figures: Figure[] = [];
  const lookups = new Map<number, number>();
  try {
    let server = await startServer(dataDir);
    const session = await api(server.url, 'POST', '/api/v1/sessions', null, { username: 'admin', password: ADMIN_PASSWORD, remember: true });
    const admin = session.credential!;
    const adminId = (session.user as { id: string }).id;
    await api(server.url, 'PATCH', '/api/v1/settings', admin, { require_password_confirmation: false, allow_no_expiry: true, max_lifetime_days: 0 });
    const make = async (name: string, scopes: string[]) =>
      (await api(server.url, 'POST', '/api/v1/tokens', admin, { name, scopes, expires_at: null, acknowledge_admin_token: true })).secret!;
    const pat = await make('bench caller', ['tokens:read']);
    const introspector = await make('bench introspector', ['tokens:introspect']);
    const subject = await make('bench subject', ['tokens:read', 'tokens:write']);
    await stopServer(server);

    const scenarios = (tokens: number) => [
      ['GET /api/v1/health (baseline)', { method: 'GET', path: '/api/v1/health' }],
      ['GET /api/v1/users/me (PAT)', { method: 'GET', path: '/api/v1/users/me', headers: { authorization: `Bearer ${pat}` } }],
      [
        'POST /api/v1/introspect (PAT)',
        {
          method: 'POST',
          path: '/api/v1/introspect',
          headers: { authorization: `Bearer ${introspector}`, 'content-type': 'application/json' },
          body: JSON.stringify({ token: subject }),
        },
      ],
    ].map(([name, options]) => ({ name: name as string, options: options as Partial<CannonOptions> & { path: string }, tokens }));

    console.log(`patkit server benchmark: ${ROUNDS} rounds × ${SECONDS} s per scenario, ${CONNECTIONS} connections, ${cpus().length} CPUs, Node ${process.version}`);
    let total = await seed(dataDir, adminId, SMALL - 3, 0);
    for (const size of [SMALL, LARGE]) {
      if (size !== SMALL) total = await seed(dataDir, adminId, size - total, total);
      lookups.set(total, await uncachedLookupMicros(dataDir));
      server = await startServer(dataDir);
      // Warm up (JIT, page cache) before measuring.
      await autocannon({ url: server.url + '/api/v1/users/me', connections: CONNECTIONS, duration: 2, headers: { authorization: `Bearer ${pat}` } });
      // Rounds interleave the scenarios, so a burst of other load on the shared machine hits them all
      // alike; the median round of each scenario is reported.
      const rounds: Figure[][] = scenarios(total).map(() => []);
      for (let round = 0; round < ROUNDS; round++) {
        for (const [i, s] of scenarios(total).entries()) rounds[i]!.push(await measure(server, s.name, total, s.options));
      }
      for (const runs of rounds) figures.push(median(runs));
      await stopServer(server);
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  report(figures, lookups);
}

function report(figures: Figure[], lookups: Map<number, number>) {
  const find = (prefix: string, tokens: number) => figures.find((f) => f.scenario.startsWith(prefix) && f.tokens === tokens)!;
  const sizes = [...new Set(figures.map((f) => f.tokens))];
  const [small, large] = sizes as [number, number];
  const lines: string[] = [];
  const checks: string[] = [];
  for (const size of sizes) {
    const base = find('GET /api/v1/health', size).rps;
    for (const prefix of ['GET /api/v1/users/me', 'POST /api/v1/introspect']) {
      const ratio = find(prefix, size).rps / base;
      checks.push(`${prefix} / health at ${size.toLocaleString('en')} tokens: ${ratio.toFixed(2)} (target ≥ 0.80) ${ratio >= 0.8 ? 'met' : `MISSED by ${((0.8 - ratio) * 100).toFixed(0)} points`}`);
    }
  }
  for (const prefix of ['GET /api/v1/health', 'GET /api/v1/users/me', 'POST /api/v1/introspect']) {
    const ratio = find(prefix, large).rps / find(prefix, small).rps;
    const target = prefix.includes('health') ? '' : ` (target ≥ 0.90) ${ratio >= 0.9 ? 'met' : `MISSED by ${((0.9 - ratio) * 100).toFixed(0)} points`}`;
    checks.push(`${prefix} at ${large.toLocaleString('en')} / at ${small.toLocaleString('en')} tokens: ${ratio.toFixed(2)}${target}`);
  }
  const [lookupSmall, lookupLarge] = [lookups.get(small)!, lookups.get(large)!];
  checks.push(
    `uncached lookup by digest (store only, random tokens): ${lookupSmall.toFixed(1)} µs at ${small.toLocaleString('en')}, ${lookupLarge.toFixed(1)} µs at ${large.toLocaleString('en')} tokens (ratio of speeds ${(lookupSmall / lookupLarge).toFixed(2)})`,
  );
  const errors = figures.reduce((n, f) => n + f.errors, 0);
  checks.push(`errors (non-2xx, timeouts) over all runs: ${errors}`);
  console.log('\n' + checks.join('\n'));

  lines.push(
    '| scenario | tokens in DB | req/s (median of rounds) | p50 ms | p99 ms | server CPU µs/req | errors | server RSS MB (max) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const f of figures) {
    lines.push(`| ${f.scenario} | ${f.tokens.toLocaleString('en')} | ${f.rps.toFixed(0)} | ${f.p50} | ${f.p99} | ${f.cpuUs.toFixed(0)} | ${f.errors} | ${f.rss.toFixed(0)} |`);
  }
  const entry = [
    `### ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — \`npm run bench:server\``,
    '',
    `${ROUNDS} interleaved rounds × ${SECONDS} s per scenario, ${CONNECTIONS} connections, autocannon in the bench process, server in a child process (Node ${process.version}), ${cpus().length} CPUs shared with other work, loopback.`,
    '',
    ...lines,
    '',
    ...checks.map((c) => `- ${c}`),
    '',
  ].join('\n');
  void writeResults(entry);
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
