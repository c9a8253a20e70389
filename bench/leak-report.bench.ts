/**
 * Leak-report answer time, match against no match (docs/security.md rule 33): a real server process
 * per store (`node server/main.ts`, so the client here shares no event loop with it), real HTTP on
 * loopback, BENCH_REQUESTS reports of each kind alternated, each timed from send to the whole answer
 * read. A match reports a live token of its own (fresh each time); a miss reports a well-formed PAT
 * (right length and checksum) that is no token here. Reports leave from rotating loopback addresses (at most 25 from each, under the
 * default 30 an hour), and a pause between two reports lets the server finish any work one left
 * behind, so each figure is the answer alone. Prints the medians and their ratio.
 *
 * `npx node bench/leak-report.bench.ts`; BENCH_REQUESTS (default 200), BENCH_STORES (default "sqlite,postgres").
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'node:http';
import { generateToken } from '../server/auth/credentials.ts';
import { call } from '../test/support/http.ts';
import { startPostgres, type PostgresCluster } from '../test/support/postgres.ts';
import { spawnServer } from '../test/support/spawn-server.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const STORES = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',').map((s) => s.trim());
const PASSWORD = 'leak-report-bench-password';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One report from `localAddress`; resolves with the status once the whole answer is read. */
function report(url: string, localAddress: string, credential: string): Promise<number> {
  const target = new URL(url);
  const payload = JSON.stringify({ credentials: [credential] });
  return new Promise((resolve, reject) => {
    const req = request(
      { host: target.hostname, port: target.port, method: 'POST', path: '/api/v1/credentials/revoke', localAddress, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function measure(store: string, cluster: PostgresCluster | null): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'patkit-leak-bench-'));
  const databaseUrl = cluster ? await cluster.createDatabase() : undefined;
  const server = await spawnServer({ dataDir, databaseUrl, env: { PATKIT_ADMIN_PASSWORD: PASSWORD, PATKIT_ENABLE_PATS: '1' }, timeoutMs: 30_000 });
  try {
    const url = server.url;
    const admin = (await call(url, 'POST', '/api/v1/sessions', { body: { username: 'admin', password: PASSWORD } })).json.credential as string;
    await call(url, 'PATCH', '/api/v1/settings', { token: admin, body: { require_password_confirmation: false } });
    const secrets: string[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const created = await call(url, 'POST', '/api/v1/tokens', { token: admin, body: { name: `bench ${i}`, scopes: ['tokens:read'], acknowledge_admin_token: true } });
      secrets.push(created.json.secret as string);
    }
    let sent = 0;
    const timed = async (credential: string) => {
      const from = `127.0.${1 + Math.floor(sent / 25 / 250)}.${1 + (Math.floor(sent / 25) % 250)}`;
      sent++;
      const started = performance.now();
      const status = await report(url, from, credential);
      const ms = performance.now() - started;
      if (status !== 202) throw new Error(`report: ${status}`);
      await sleep(40);
      return ms;
    };
    const match: number[] = [];
    const miss: number[] = [];
    for (let i = 0; i < 10; i++) await timed(generateToken());
    for (let i = 0; i < REQUESTS; i++) {
      // Alternate which kind goes first, so drift in the machine's load falls on both alike.
      const pair = i % 2 ? ['miss', 'match'] : ['match', 'miss'];
      for (const kind of pair) {
        if (kind === 'match') match.push(await timed(secrets[i]!));
        else miss.push(await timed(generateToken()));
      }
    }
    const m = median(match);
    const n = median(miss);
    console.log(`${store}: ${REQUESTS} of each; median match ${m.toFixed(2)} ms, no match ${n.toFixed(2)} ms, ratio ${(m / n).toFixed(2)}`);
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
    if (cluster && databaseUrl) await cluster.dropDatabase(databaseUrl);
  }
}

let cluster: PostgresCluster | null = null;
try {
  for (const store of STORES) {
    if (store === 'postgres') cluster ??= await startPostgres();
    await measure(store, store === 'postgres' ? cluster : null);
  }
} finally {
  await cluster?.stop();
}
