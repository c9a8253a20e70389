/**
 * `npm run bench:cache`: reading one server's cached tokens through `TokenCache.list` in real
 * Chromium, as a ratio to a bare IndexedDB `getAll` of the same records over a raw connection, in
 * the same run and the same page. 1,000 and 10,000 tokens (plus another server's tokens in the same
 * store, so the key range has work to do). Target: at most 1.2× the bare read.
 *
 * Runs: esbuild bundles the cache for the browser, a loopback HTTP server serves it, puppeteer-core
 * drives Debian's Chromium (CHROME_PATH to override). Prints a table and one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';
import { CHROME_FLAGS, CHROME_PATH } from '../test/support/chromium.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SIZES = [1_000, 10_000];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);
const TARGET = 1.2;

/** Runs inside the page: seeds, then alternates bare and cached reads, returns medians. */
const PAGE_SCRIPT = `
import { TokenCache } from './lib/cache/token-cache.ts';

function token(i, server) {
  return {
    id: 'tok_' + String(i).padStart(8, '0'),
    owner: { kind: 'user', id: 'usr_1', username: 'alice', display_name: 'Alice Example' },
    name: 'token ' + i,
    description: i % 3 === 0 ? 'deploys from CI for the ' + server + ' project' : '',
    created_at: new Date(Date.UTC(2026, 0, 1) + i * 60000).toISOString(),
    created_by: { id: 'usr_1', username: 'alice' },
    updated_at: null,
    expires_at: i % 4 === 0 ? null : new Date(Date.UTC(2026, 11, 1) + i * 3600000).toISOString(),
    scopes: ['tokens:read', 'tokens:write', 'users:read'].slice(0, 1 + (i % 3)),
    status: i % 10 === 0 ? 'disabled' : 'active',
    last_used_at: i % 2 ? new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString() : null,
    last_used_ip: i % 2 ? '10.0.' + (i % 255) + '.' + (i % 7) : null,
    last4: 'ab' + String(i % 100).padStart(2, '0'),
  };
}

function rawOpen(name) {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function bareGetAll(db, server) {
  return new Promise((resolve, reject) => {
    const req = db.transaction('tokens', 'readonly').objectStore('tokens').getAll(IDBKeyRange.bound([server, ''], [server, []]));
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

window.runBench = async (sizes, rounds) => {
  const results = [];
  for (const n of sizes) {
    const name = 'patkit-bench-' + n;
    await new Promise((r) => { const q = indexedDB.deleteDatabase(name); q.onsuccess = q.onerror = q.onblocked = r; });
    const cache = await TokenCache.open({ name });
    const server = 'https://tokens.example.com';
    await cache.replaceSnapshot(server, Array.from({ length: n }, (_, i) => token(i, server)));
    await cache.replaceSnapshot('https://other.example.com', Array.from({ length: n / 2 }, (_, i) => token(i, 'other')));
    const raw = await rawOpen(name);
    const bare = [];
    const cached = [];
    for (let i = 0; i < 5; i++) { await bareGetAll(raw, server); await cache.list(server); }
    for (let i = 0; i < rounds; i++) {
      // Alternate which goes first, so neither always reads a warmer database.
      const order = i % 2 === 0 ? ['bare', 'cached'] : ['cached', 'bare'];
      for (const which of order) {
        const t0 = performance.now();
        const got = which === 'bare' ? await bareGetAll(raw, server) : await cache.list(server);
        const ms = performance.now() - t0;
        if (got.length !== n) throw new Error(which + ' read ' + got.length + ' of ' + n);
        (which === 'bare' ? bare : cached).push(ms);
      }
    }
    raw.close();
    cache.close();
    await new Promise((r) => { const q = indexedDB.deleteDatabase(name); q.onsuccess = q.onerror = q.onblocked = r; });
    const b = median(bare);
    const c = median(cached);
    // Each round's pair ran back to back: the median of their ratios cancels the drift of a
    // shared machine better than a ratio of medians.
    const paired = median(cached.map((ms, i) => ms / bare[i]));
    results.push({ tokens: n, rounds, bare_ms: +b.toFixed(2), cache_ms: +c.toFixed(2), ratio: +paired.toFixed(3) });
  }
  return results;
};
`;

interface Row {
  tokens: number;
  rounds: number;
  bare_ms: number;
  cache_ms: number;
  ratio: number;
}

const bundle = await build({
  stdin: { contents: PAGE_SCRIPT, resolveDir: ROOT, loader: 'js', sourcefile: 'cache-bench-page.js' },
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  write: false,
  tsconfig: join(ROOT, 'tsconfig.json'),
});
const js = bundle.outputFiles[0]?.text ?? '';

const http = createServer((req, res) => {
  if (req.url === '/bench.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    res.end(js);
  } else {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>cache bench</title><script type="module" src="/bench.js"></script>');
  }
});
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;

const profile = mkdtempSync(join(tmpdir(), 'patkit-bench-chrome-'));
const browser = await puppeteer.launch({
  executablePath: CHROME_PATH,
  headless: true,
  pipe: true,
  userDataDir: profile,
  args: [...CHROME_FLAGS],
});
let rows: Row[] = [];
try {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => typeof (window as unknown as { runBench?: unknown }).runBench === 'function');
  rows = (await page.evaluate(
    (sizes, rounds) => (window as unknown as { runBench(s: number[], r: number): Promise<Row[]> }).runBench(sizes, rounds),
    SIZES,
    ROUNDS,
  )) as Row[];
} finally {
  await browser.close();
  http.close();
  rmSync(profile, { recursive: true, force: true });
}

const version = (await (await import('node:child_process')).execFileSync(CHROME_PATH, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })).trim();
console.log(`cache read benchmark, ${new Date().toISOString()}, ${version}, medians of ${ROUNDS} alternating rounds; ratio = median of per-round ratios`);
console.log('tokens   bare getAll   TokenCache.list   ratio (TokenCache.list / bare)');
for (const r of rows) {
  console.log(`${String(r.tokens).padStart(6)}   ${r.bare_ms.toFixed(2).padStart(8)} ms   ${r.cache_ms.toFixed(2).padStart(12)} ms   ${r.ratio.toFixed(3)}×${r.ratio <= TARGET ? '' : `  (over the ${TARGET}× target)`}`);
}
console.log(JSON.stringify({ bench: 'cache', target: TARGET, rows }));
process.exitCode = rows.every((r) => r.ratio <= TARGET) ? 0 : 1;
