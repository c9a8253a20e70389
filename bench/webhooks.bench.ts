/**
 * `npm run bench:webhooks`: how fast the webhook queue drains, as a ratio to the same number of
 * plain signed POSTs sent straight from this process to the same loopback receiver in the same run
 * (the baseline: what the network and the receiver cost with no queue, lease, log or SSRF check).
 * Also: the time from an event (a token disabled over the API) to its delivery. On SQLite, and on
 * PostgreSQL when BENCH_STORES includes it. Writes the figures into bench/RESULTS.md (## Webhooks).
 *
 * Options (env): BENCH_DELIVERIES (default 400), BENCH_STORES (default "sqlite,postgres").
 */
import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer } from '../server/app.ts';
import { call as apiCall } from '../test/support/http.ts';
import { startPostgres, type PostgresCluster } from '../test/support/postgres.ts';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const N = Number(process.env.BENCH_DELIVERIES ?? 400);
const STORES = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',').map((s) => s.trim());
const PASSWORD = 'bench-webhooks-password';

let received = 0;
let onReceive: (() => void) | null = null;
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    received++;
    onReceive?.();
    res.end('ok');
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const port = (receiver.address() as { port: number }).port;

function until(count: number): Promise<void> {
  return new Promise((resolvePromise) => {
    const check = () => {
      if (received >= count) {
        onReceive = null;
        resolvePromise();
      }
    };
    onReceive = check;
    check();
  });
}

/** The baseline: N signed POSTs, 8 at a time (the dispatcher's parallelism), no queue. */
async function baseline(): Promise<number> {
  const key = Buffer.alloc(32, 7);
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < N) {
        const i = next++;
        const body = JSON.stringify({ type: 'webhook.ping', timestamp: new Date().toISOString(), data: { i } });
        const ts = Math.floor(Date.now() / 1000);
        const signature = 'v1,' + createHmac('sha256', key).update(`msg_${i}.${ts}.${body}`).digest('base64');
        await new Promise<void>((ok, fail) => {
          const r = request({ host: '127.0.0.1', port, method: 'POST', path: '/base', agent: false, headers: { 'content-type': 'application/json', 'webhook-id': `msg_${i}`, 'webhook-timestamp': String(ts), 'webhook-signature': signature } }, (res) => {
            res.resume();
            res.on('end', ok);
          });
          r.on('error', fail);
          r.end(body);
        });
      }
    }),
  );
  return (performance.now() - start) / 1000;
}

async function call(url: string, method: string, path: string, token: string | null, body?: unknown) {
  return (await apiCall(url, method, path, { token: token ?? undefined, body })).json as Record<string, any>;
}

async function measure(store: string, cluster: PostgresCluster | null): Promise<{ store: string; queueSeconds: number; baseSeconds: number; eventMs: number[] }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'patkit-bench-webhooks-'));
  const databaseUrl = cluster ? await cluster.createDatabase() : undefined;
  const app = await buildServer({ dataDir, databaseUrl, adminPassword: PASSWORD, enablePats: true, consoleDir: null, webhooks: { pollIntervalMs: 50 } });
  try {
    const url = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
    const admin = (await call(url, 'POST', '/api/v1/sessions', null, { username: 'admin', password: PASSWORD })).credential as string;
    await call(url, 'PATCH', '/api/v1/settings', admin, { allow_private_webhook_targets: true, require_password_confirmation: false, password: PASSWORD });
    const hook = (await call(url, 'POST', '/api/v1/webhooks', admin, { url: `http://127.0.0.1:${port}/queue`, events: ['token.disabled'] })).webhook.id as string;

    // Event to delivery: one disable at a time.
    const eventMs: number[] = [];
    for (let i = 0; i < 10; i++) {
      const token = (await call(url, 'POST', '/api/v1/tokens', admin, { name: `b${i}`, scopes: ['tokens:read'], acknowledge_admin_token: true })).token.id as string;
      const target = received + 1;
      const start = performance.now();
      await call(url, 'POST', `/api/v1/tokens/${token}/disable`, admin, {});
      await until(target);
      eventMs.push(performance.now() - start);
    }

    // Queue drain: pause, queue N pings, resume, time until all arrived.
    await call(url, 'PATCH', `/api/v1/webhooks/${hook}`, admin, { active: false });
    for (let i = 0; i < N; i++) await call(url, 'POST', `/api/v1/webhooks/${hook}/ping`, admin, {});
    const target = received + N;
    const start = performance.now();
    await call(url, 'PATCH', `/api/v1/webhooks/${hook}`, admin, { active: true });
    await until(target);
    const queueSeconds = (performance.now() - start) / 1000;
    const baseSeconds = await baseline();
    return { store, queueSeconds, baseSeconds, eventMs };
  } finally {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
    if (cluster && databaseUrl) await cluster.dropDatabase(databaseUrl);
  }
}

const results = [];
let cluster: PostgresCluster | null = null;
try {
  if (STORES.includes('sqlite')) results.push(await measure('SQLite', null));
  if (STORES.includes('postgres')) {
    cluster = await startPostgres();
    results.push(await measure('PostgreSQL', cluster));
  }
} finally {
  await cluster?.stop();
  receiver.close();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const lines = [
  '## Webhooks',
  '',
  `Run 2026-12-01 with \`npm run bench:webhooks\` (BENCH_DELIVERIES=${N}); receiver on loopback; dispatcher polling every 50 ms, 8 attempts in parallel.`,
  '',
  '| store | queue drain, deliveries/s | direct signed POSTs/s (baseline, same run) | ratio | event → delivery, median ms (10 disables) |',
  '| --- | --- | --- | --- | --- |',
  ...results.map((r) => `| ${r.store} | ${(N / r.queueSeconds).toFixed(0)} | ${(N / r.baseSeconds).toFixed(0)} | ${(r.baseSeconds / r.queueSeconds).toFixed(2)} | ${median(r.eventMs).toFixed(0)} |`),
  '',
];
console.log(lines.join('\n'));
const file = join(ROOT, 'bench', 'RESULTS.md');
let text = await readFile(file, 'utf8').catch(() => '# Benchmark results\n');
const section = /## Webhooks\n[\s\S]*?(?=\n## |$)/;
text = section.test(text) ? text.replace(section, lines.join('\n')) : `${text.trimEnd()}\n\n${lines.join('\n')}`;
await writeFile(file, text.endsWith('\n') ? text : `${text}\n`);
