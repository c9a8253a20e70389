/**
 * `npm run bench:peer`: patkit's token verification against a peer's, on the same machine in the
 * same run. Target: patkit's requests/s ≥ 5 × Verdaccio's.
 *
 * Method: a real Verdaccio (npm registry, `test/support/verdaccio.ts`) with JWT API tokens
 * (`security.api.jwt`), and a real patkit server on SQLite (a child process, as `bench:server`
 * starts it). Verdaccio gets a registry user (`PUT /-/user/org.couchdb.user:NAME`, as `npm adduser`
 * does) whose JWT is the credential; patkit gets an admin PAT with `tokens:read`. Each is warmed up,
 * then BENCH_ROUNDS rounds alternate between them (the order flips each round, so a burst of other
 * load on the shared machine hits both alike): autocannon, in this process, loads
 * `GET /-/whoami` with `Authorization: Bearer <jwt>` on Verdaccio and `GET /api/v1/users/me` with
 * `Authorization: Bearer <PAT>` on patkit, each for BENCH_SECONDS with BENCH_CONNECTIONS
 * connections over loopback. Both routes authenticate the caller and answer who it is. Reported:
 * the median round's requests/s of each, their ratio (patkit ÷ Verdaccio), and CPU time per
 * request of each server process (from /proc, steadier than throughput under other load). Any
 * non-2xx answer fails the run. The figures are printed, to be recorded by hand in bench/RESULTS.md.
 *
 * Options (env): BENCH_SECONDS per run (default 5), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 16).
 */
// @ts-expect-error autocannon ships no type declarations (and @types/autocannon is not installed)
import autocannonUntyped from 'autocannon';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { call } from '../test/support/http.ts';
import { spawnServer, type ServerProcess } from '../test/support/spawn-server.ts';
import { addRegistryUser, startVerdaccio, type RunningVerdaccio } from '../test/support/verdaccio.ts';

interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
const autocannon = autocannonUntyped as (options: { url: string; connections: number; duration: number; headers: Record<string, string> }) => Promise<CannonResult>;

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const TARGET = 5;
const ADMIN_PASSWORD = 'bench-admin-password';

interface Target {
  name: string;
  url: string;
  pid: number;
  authorization: string;
}

interface Run {
  rps: number;
  p50: number;
  p99: number;
  cpuUs: number;
  failures: number;
}

/** CPU time (user + system) in ms of one process, from /proc. */
async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function measure(target: Target): Promise<Run> {
  const before = await cpuMs(target.pid);
  const r = await autocannon({ url: target.url, connections: CONNECTIONS, duration: SECONDS, headers: { authorization: target.authorization } });
  const cpu = (await cpuMs(target.pid)) - before;
  const run = { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, cpuUs: r.requests.total ? (cpu * 1000) / r.requests.total : 0, failures: r.errors + r.timeouts + r.non2xx };
  console.log(`  ${target.name.padEnd(40)} ${run.rps.toFixed(0).padStart(6)} req/s  p50 ${run.p50} ms  p99 ${run.p99} ms  ${run.cpuUs.toFixed(0)} µs CPU/req  failures ${run.failures}`);
  return run;
}

const median = (runs: Run[]): Run => [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)]!;

/** A patkit server on SQLite with an admin PAT (`tokens:read`). */
async function startPatkit(dataDir: string): Promise<{ server: ServerProcess; pat: string }> {
  const server = await spawnServer({ dataDir, env: { PATKIT_ADMIN_PASSWORD: ADMIN_PASSWORD, PATKIT_ENABLE_PATS: '1' } });
  const ok = async (method: string, path: string, token: string | undefined, body: unknown) => {
    const r = await call(server.url, method, path, { token, body });
    if (r.status < 200 || r.status > 299) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
    return r.json as { credential?: string; secret?: string };
  };
  const admin = (await ok('POST', '/api/v1/sessions', undefined, { username: 'admin', password: ADMIN_PASSWORD })).credential!;
  await ok('PATCH', '/api/v1/settings', admin, { require_password_confirmation: false, allow_no_expiry: true, max_lifetime_days: 0 });
  const pat = (await ok('POST', '/api/v1/tokens', admin, { name: 'peer bench', scopes: ['tokens:read'], expires_at: null, acknowledge_admin_token: true })).secret!;
  return { server, pat };
}

async function main(): Promise<void> {
  console.log(`patkit vs Verdaccio: ${ROUNDS} alternating rounds × ${SECONDS} s, ${CONNECTIONS} connections, ${cpus().length} CPUs, Node ${process.version}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const dataDir = await mkdtemp(join(tmpdir(), 'patkit-peer-bench-'));
  let verdaccio: RunningVerdaccio | null = null;
  let patkit: ServerProcess | null = null;
  try {
    verdaccio = await startVerdaccio({ jwt: true });
    const jwt = await addRegistryUser(verdaccio.url, 'bench', 'bench-password-1');
    const started = await startPatkit(dataDir);
    patkit = started.server;
    const targets: Target[] = [
      { name: 'Verdaccio GET /-/whoami (JWT)', url: `${verdaccio.url}/-/whoami`, pid: verdaccio.pid, authorization: `Bearer ${jwt}` },
      { name: 'patkit GET /api/v1/users/me (PAT)', url: `${patkit.url}/api/v1/users/me`, pid: patkit.child.pid!, authorization: `Bearer ${started.pat}` },
    ];
    // Warm up (JIT, caches) before measuring.
    for (const t of targets) await autocannon({ url: t.url, connections: 8, duration: 2, headers: { authorization: t.authorization } });
    const runs: Run[][] = [[], []];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const i of order) runs[i]!.push(await measure(targets[i]!));
    }
    const [peer, ours] = [median(runs[0]!), median(runs[1]!)];
    const ratio = ours.rps / peer.rps;
    const failures = runs.flat().reduce((n, r) => n + r.failures, 0);
    console.log(`\nVerdaccio GET /-/whoami: ${peer.rps.toFixed(0)} req/s (median round), ${peer.cpuUs.toFixed(0)} µs CPU/req`);
    console.log(`patkit GET /api/v1/users/me: ${ours.rps.toFixed(0)} req/s (median round), ${ours.cpuUs.toFixed(0)} µs CPU/req`);
    console.log(`patkit ÷ Verdaccio: req/s ${ratio.toFixed(2)} (target ≥ ${TARGET}) ${ratio >= TARGET ? 'met' : 'MISSED'}; CPU per request ${(peer.cpuUs / ours.cpuUs).toFixed(2)}× less`);
    console.log(`failures (non-2xx, errors, timeouts): ${failures}`);
    process.exitCode = ratio >= TARGET && failures === 0 ? 0 : 1;
  } finally {
    await patkit?.stop();
    await verdaccio?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
