/**
 * `npm run bench:soak [-- --seconds N] [-- --heap-snapshots DIR] [-- "--capped=V8 OPTIONS"]`: memory under churn. Two real
 * servers on the SQLite default (temp data dirs), one plain and one with the heap capped at 128 MB
 * (`--max-old-space-size=128`), loaded at the same time by the same mix, so the throughput ratio
 * capped / uncapped is measured under the same machine load. Each gets 16 clients (`--clients`) of
 * plain fetch: 80 % verify (`GET /api/v1/users/me` with a PAT from the live pool), 10 % create and
 * 10 % delete (admin PAT), for `--seconds` (default 300). Targets: RSS flat over the second half
 * (growth ≤ 5 % of the mid-run RSS) and capped ≥ 0.9 × uncapped throughput.
 *
 * RSS is read from /proc/<pid>/status; the heap from the servers' `PATKIT_DIAG_MEMORY=1` lines (the
 * least heap in use over each second ≈ the live heap). With `--heap-snapshots DIR` the plain server
 * writes a heap snapshot before and after the load (`--heapsnapshot-signal=SIGUSR2`) and the bench
 * prints the constructors that grew most. Takes minutes: not part of `npm run bench`.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseMemorySamples, type MemorySample } from '../server/startup/memory-diagnostics.ts';
import { call } from '../test/support/http.ts';
import { spawnServer, type ServerProcess } from '../test/support/spawn-server.ts';
import { growth, heapBytes, largest, summarise, type ConstructorTotal } from './heap-summary.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '300' },
    clients: { type: 'string', default: '16' },
    'heap-snapshots': { type: 'string' },
    // The capped server's V8 options (default: the cap alone), e.g. "--max-old-space-size=128 --max-semi-space-size=16".
    capped: { type: 'string', default: '--max-old-space-size=128' },
  },
});
const CAPPED = args.capped.split(/\s+/).filter((option) => option !== '');
const SECONDS = Number(args.seconds);
const CLIENTS = Number(args.clients);
const SNAPSHOT_DIR = args['heap-snapshots'] ? resolve(args['heap-snapshots']) : null;
if (!(SECONDS >= 10) || !(CLIENTS >= 1)) throw new Error('--seconds must be at least 10 and --clients at least 1');
const ADMIN_PASSWORD = 'soak-admin-password';
const POOL = 200;
const MB = 1024 * 1024;

interface Target {
  label: string;
  server: ServerProcess;
  admin: string;
  /** Live tokens: id and secret; verifies pick from here, deletes take from here. */
  pool: { id: string; secret: string; busy: number }[];
  counts: { verify: number; create: number; delete: number; errors: number };
  /** RSS in all, its anonymous part (heap, malloc, SQLite's page cache) and its file-backed part (code, the mmapped database). */
  samples: { t: number; rss: number; anon: number; file: number; heap: number; heapTotal: number }[];
  firstError: string | null;
  /** The server's last diagnostics line (collections so far, young generation, heap limit). */
  diag: MemorySample | null;
  /** The server's CPU time (user + system, ms) when the load started and ended. */
  cpuMs: { start: number; end: number };
}

async function api(url: string, method: string, path: string, token: string | undefined, body?: unknown) {
  const r = await call(url, method, path, { token, body });
  if (r.status < 200 || r.status > 299) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
  return r.json as Record<string, unknown>;
}

async function start(label: string, dir: string, nodeOptions: string[]): Promise<Target> {
  const server = await spawnServer({
    dataDir: join(dir, label),
    env: {
      PATKIT_ADMIN_PASSWORD: ADMIN_PASSWORD,
      PATKIT_ENABLE_PATS: '1',
      PATKIT_DIAG_MEMORY: '1',
      NODE_OPTIONS: [process.env.NODE_OPTIONS ?? '', ...nodeOptions].join(' ').trim(),
    },
  });
  const session = await api(server.url, 'POST', '/api/v1/sessions', undefined, { username: 'admin', password: ADMIN_PASSWORD, remember: true });
  const credential = session.credential as string;
  await api(server.url, 'PATCH', '/api/v1/settings', credential, { require_password_confirmation: false, allow_no_expiry: true, max_lifetime_days: 0 });
  const created = await api(server.url, 'POST', '/api/v1/tokens', credential, {
    name: 'soak admin',
    scopes: ['tokens:read', 'tokens:write'],
    expires_at: null,
    acknowledge_admin_token: true,
  });
  const target: Target = { label, server, admin: created.secret as string, pool: [], counts: { verify: 0, create: 0, delete: 0, errors: 0 }, samples: [], firstError: null, diag: null, cpuMs: { start: 0, end: 0 } };
  for (let i = 0; i < POOL; i++) await create(target);
  target.counts.create = 0;
  return target;
}

let serial = 0;
async function create(target: Target): Promise<void> {
  const made = await api(target.server.url, 'POST', '/api/v1/tokens', target.admin, {
    name: `soak ${serial++}`,
    scopes: ['tokens:read'],
    expires_at: null,
    acknowledge_admin_token: true,
  });
  target.pool.push({ id: (made.token as { id: string }).id, secret: made.secret as string, busy: 0 });
  target.counts.create++;
}

/**
 * One operation of the mix. The pool never falls below half its start size, and a token being
 * verified is never deleted under it: a refused verify would count as a failed attempt and, summed
 * over minutes, throttle the bench's address (429) instead of measuring it.
 */
async function operate(target: Target): Promise<void> {
  const roll = Math.random();
  if (roll < 0.1) return create(target);
  const pick = () => Math.floor(Math.random() * target.pool.length);
  if (roll < 0.2) {
    const at = pick();
    if (target.pool.length > POOL / 2 && target.pool[at]!.busy === 0) {
      const [gone] = target.pool.splice(at, 1);
      await api(target.server.url, 'DELETE', `/api/v1/tokens/${gone!.id}`, target.admin, {});
      target.counts.delete++;
      return;
    }
  }
  const token = target.pool[pick()]!;
  token.busy++;
  try {
    const r = await call(target.server.url, 'GET', '/api/v1/users/me', { token: token.secret });
    if (r.status !== 200) throw new Error(`verify: ${r.status} ${r.text}`);
  } finally {
    token.busy--;
  }
  target.counts.verify++;
}

async function clientLoop(target: Target, until: number): Promise<void> {
  while (performance.now() < until) {
    try {
      await operate(target);
    } catch (error) {
      target.counts.errors++;
      target.firstError ??= error instanceof Error ? error.message : String(error);
    }
  }
}

async function rssBytes(pid: number): Promise<{ rss: number; anon: number; file: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') + kb('RssShmem') };
}

/** CPU time (user + system) of the process in ms, from /proc: what it cost whatever else ran. */
async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function sample(target: Target, t: number): Promise<void> {
  const last = parseMemorySamples(target.server.stderr()).at(-1);
  target.diag = last ?? target.diag;
  target.samples.push({ t, ...(await rssBytes(target.server.child.pid!)), heap: last?.heapUsedMin ?? 0, heapTotal: last?.heapTotal ?? 0 });
}

/** Waits until the server has written one more snapshot into `dir` and finished writing it. */
async function snapshot(target: Target, dir: string): Promise<string> {
  const before = new Set(await readdir(dir));
  target.server.child.kill('SIGUSR2');
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const fresh = (await readdir(dir)).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    if (!fresh) continue;
    const size = (await stat(join(dir, fresh))).size;
    await new Promise((r) => setTimeout(r, 1_000));
    if ((await stat(join(dir, fresh))).size === size && size > 0) return join(dir, fresh);
  }
}

/** Least-squares slope of y over t, per minute. */
function slopePerMinute(points: { t: number; y: number }[]): number {
  const n = points.length;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.t - mt) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.t - mt) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 60_000;
}

function report(target: Target): { rps: number; growth: number; cpuUs: number } {
  const { samples, counts } = target;
  const at = (fraction: number) => samples.reduce((best, s) => (Math.abs(s.t - fraction * SECONDS * 1000) < Math.abs(best.t - fraction * SECONDS * 1000) ? s : best));
  const quarters = [0, 0.25, 0.5, 0.75, 1].map((f) => `${Math.round(f * 100)}%: RSS ${(at(f).rss / MB).toFixed(0)} MB (anon ${(at(f).anon / MB).toFixed(0)}, file ${(at(f).file / MB).toFixed(0)}), live heap ${(at(f).heap / MB).toFixed(1)} MB of ${(at(f).heapTotal / MB).toFixed(0)} MB reserved`);
  const secondHalf = samples.filter((s) => s.t >= (SECONDS * 1000) / 2);
  const rssSlope = slopePerMinute(secondHalf.map((s) => ({ t: s.t, y: s.rss / MB })));
  const heapSlope = slopePerMinute(secondHalf.map((s) => ({ t: s.t, y: s.heap / MB })));
  const mid = at(0.5).rss;
  const grown = (at(1).rss - mid) / mid;
  const total = counts.verify + counts.create + counts.delete;
  const rps = total / SECONDS;
  const cpuUs = ((target.cpuMs.end - target.cpuMs.start) * 1000) / total;
  console.log(`\n${target.label}: ${total.toLocaleString('en')} requests (${counts.verify.toLocaleString('en')} verify, ${counts.create.toLocaleString('en')} create, ${counts.delete.toLocaleString('en')} delete), ${rps.toFixed(0)} req/s, CPU ${cpuUs.toFixed(0)} µs per request, errors ${counts.errors}${target.firstError ? ` (first: ${target.firstError})` : ''}`);
  for (const line of quarters) console.log(`  ${line}`);
  console.log(`  second half: RSS ${rssSlope >= 0 ? '+' : ''}${rssSlope.toFixed(2)} MB/min (${(grown * 100).toFixed(1)} % from mid to end), heap ${heapSlope >= 0 ? '+' : ''}${heapSlope.toFixed(2)} MB/min`);
  const d = target.diag;
  if (d) {
    const per = (n: number) => ((n * 1000) / total).toFixed(2);
    console.log(
      `  collections: ${d.gc.minor.toLocaleString('en')} minor (${per(d.gc.minor)} per 1,000 requests, ${per(d.gc.minorMs)} ms per 1,000), ` +
        `${d.gc.major.toLocaleString('en')} major (${per(d.gc.major)} per 1,000, ${per(d.gc.majorMs)} ms per 1,000); ` +
        `young generation ${(d.newSpace / MB).toFixed(1)} MB, heap limit ${(d.heapLimit / MB).toFixed(0)} MB`,
    );
  }
  return { rps, growth: grown, cpuUs };
}

function printTotals(title: string, rows: ConstructorTotal[]): void {
  console.log(`\n${title}`);
  for (const r of rows) console.log(`  ${(r.bytes / MB).toFixed(2).padStart(8)} MB ${String(r.count).padStart(9)} × ${r.name}`);
}

async function compareSnapshots(before: string, after: string): Promise<void> {
  const [a, b] = [await summarise(before), await summarise(after)];
  console.log(`\nheap snapshots (plain server): ${(heapBytes(a) / MB).toFixed(1)} MB before the load, ${(heapBytes(b) / MB).toFixed(1)} MB after`);
  printTotals('largest after the load (shallow size):', largest(b));
  printTotals('grew most during the load:', growth(a, b));
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'patkit-soak-'));
  const snapshots = SNAPSHOT_DIR ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${SNAPSHOT_DIR}`] : [];
  if (SNAPSHOT_DIR) await mkdir(SNAPSHOT_DIR, { recursive: true });
  const targets: Target[] = [];
  console.log(`patkit soak: ${SECONDS} s, ${CLIENTS} clients per server, SQLite, Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  try {
    targets.push(await start('uncapped', dir, snapshots));
    targets.push(await start(`capped (${CAPPED.join(' ')})`, dir, CAPPED));
    const before = SNAPSHOT_DIR ? await snapshot(targets[0]!, SNAPSHOT_DIR) : null;
    for (const t of targets) t.cpuMs.start = await cpuMs(t.server.child.pid!);
    const t0 = performance.now();
    const until = t0 + SECONDS * 1000;
    const sampler = setInterval(() => void Promise.all(targets.map((t) => sample(t, performance.now() - t0))), 1_000);
    await Promise.all(targets.flatMap((t) => [sample(t, 0), ...Array.from({ length: CLIENTS }, () => clientLoop(t, until))]));
    clearInterval(sampler);
    for (const t of targets) t.cpuMs.end = await cpuMs(t.server.child.pid!);
    await Promise.all(targets.map((t) => sample(t, performance.now() - t0)));
    type Figures = ReturnType<typeof report>;
    const [plain, capped] = targets.map(report) as [Figures, Figures];
    const ratio = capped.rps / plain.rps;
    console.log(`\nload average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(`RSS growth over the second half (uncapped): ${(plain.growth * 100).toFixed(1)} % (target ≤ 5 %) ${plain.growth <= 0.05 ? 'met' : 'MISSED'}`);
    console.log(`throughput capped / uncapped: ${ratio.toFixed(2)} (target ≥ 0.90) ${ratio >= 0.9 ? 'met' : 'MISSED'}`);
    // The steadier figure on a shared machine: what a request cost each server, whatever else ran.
    console.log(`CPU per request capped / uncapped: ${(capped.cpuUs / plain.cpuUs).toFixed(2)} (≤ 1.11 is the same target in CPU)`);
    if (before) await compareSnapshots(before, await snapshot(targets[0]!, SNAPSHOT_DIR!));
  } finally {
    await Promise.all(targets.map((t) => t.server.stop()));
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
