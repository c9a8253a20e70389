/**
 * `npm run bench:kit`: the kit's budgets.
 *
 * 1. Size: builds the package (scripts/build-kit.ts) and reports min and min+gzip bytes of the
 *    whole-kit bundle `patkit-kit.js` (every component + Lit, what a `<script type="module">` loads
 *    up front, with any chunk it imports statically); the chunks it fetches on first use (the token
 *    details view, "Disable unused…") are listed apart. Budget: ≤ 30 KB min+gzip up front.
 * 2. What a host pays: esbuild bundles small host entries against the built package, resolved
 *    through its `exports` and `sideEffects` as a host's bundler would (`import 'patkit/token-list'`
 *    and so on), minified, gzip level 9; printed with the ratio to a host that imports only Lit and
 *    defines one element (the baseline, measured in the same run). Each locale under
 *    `patkit/locales/*` is checked to add 0 bytes to a host that does not import it (esbuild's
 *    metafile: bytes of the locale's module in the output) and its cost when imported.
 * 3. First render: in real Chromium (puppeteer-core), the built bundle renders `<pat-token-list>`
 *    with 10 and with 10,000 tokens, interleaved, fresh element each time; time from setting the
 *    tokens to the first committed render with layout done. Budget: 10,000 tokens within one
 *    frame (16 ms) and ≤ 100 row elements; reported as a ratio to 10 tokens in the same run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import puppeteer from 'puppeteer-core';
import { esmEntries } from '../kit-package/entries.ts';
import { CHROME_FLAGS, CHROME_PATH } from '../test/support/chromium.ts';

const ROOT = resolve(import.meta.dirname, '..');
const KIT = join(ROOT, 'dist', 'kit');
const RUNS = Number(process.env.KIT_BENCH_RUNS ?? 25);
const SIZE_BUDGET = 30 * 1024;
/** The stretch goal for the bundle up front (reported, not enforced). */
const SIZE_STRETCH = 24 * 1024;
/** What a host may pay up front (min+gzip) for one entry alone. */
const HOST_BUDGETS: Readonly<Record<string, number>> = { 'patkit/token-list': 20 * 1024, 'patkit/reveal-dialog': 11 * 1024 };
const FRAME_MS = 16;
const MAX_ROWS = 100;

function buildKit(): void {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-kit.ts')], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`build:kit failed:\n${result.stderr}`);
}

const gz = (data: Uint8Array): number => gzipSync(data, { level: 9 }).length;

interface HostSize {
  /** What the host's page loads up front: its entry chunk and the chunks that imports statically. */
  min: number;
  gzip: number;
  /** Chunks reached only through `import()` (views fetched on first use), min+gzip in all. */
  lazyGzip: number;
  metafile: Metafile;
  /** The bundle defines custom elements (a `customElements.define` call survived tree-shaking). */
  registers: boolean;
}

/** A throwaway host project whose node_modules holds the built package and the repository's Lit. */
function hostProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'patkit-kit-bench-host-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(KIT, join(dir, 'node_modules', 'patkit'), 'dir');
  for (const name of ['lit', 'lit-html', 'lit-element', '@lit']) symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name), 'dir');
  return dir;
}

/**
 * Bundles `code` as a host's bundler would (code splitting on, as Vite and Rollup do for `import()`),
 * and splits what its page loads up front (the entry chunk and what it imports statically) from the
 * chunks it fetches on first use.
 */
async function hostBundle(dir: string, code: string): Promise<HostSize> {
  const name = `host-${Math.random().toString(36).slice(2)}`;
  const entry = join(dir, `${name}.js`);
  writeFileSync(entry, code);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    splitting: true,
    outdir: join(dir, `out-${name}`),
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    legalComments: 'none',
    absWorkingDir: dir,
    preserveSymlinks: false,
    logLevel: 'silent',
  });
  const files = new Map(result.outputFiles.map((f) => [relative(dir, f.path), f]));
  const start = Object.keys(result.metafile.outputs).find((o) => result.metafile.outputs[o]!.entryPoint !== undefined)!;
  const upFront = new Set<string>();
  const visit = (out: string): void => {
    if (upFront.has(out)) return;
    upFront.add(out);
    for (const imported of result.metafile.outputs[out]!.imports) if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(start);
  let min = 0;
  let gzip = 0;
  let lazyGzip = 0;
  let registers = false;
  for (const [out, file] of files) {
    if (!out.endsWith('.js')) continue;
    if (upFront.has(out)) {
      min += file.contents.length;
      gzip += gz(file.contents);
      registers ||= file.text.includes('customElements.define');
    } else lazyGzip += gz(file.contents);
  }
  return { min, gzip, lazyGzip, metafile: result.metafile, registers };
}

/** Bytes the output holds from input files whose path matches `pattern`. */
function bytesFrom(metafile: Metafile, pattern: RegExp): number {
  let total = 0;
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, info] of Object.entries(output.inputs)) if (pattern.test(input)) total += info.bytesInOutput;
  }
  return total;
}

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;

/** Runs in the page: one fresh list per measurement. */
const PAGE = `<!doctype html><html><head><meta charset="utf-8"></head><body>
<script type="module">
  import '/patkit-kit.js';
  function tokens(n) {
    const out = [];
    const now = Date.now();
    for (let i = 0; i < n; i++) {
      out.push({
        id: 'tok_' + i.toString(36).padStart(8, '0'),
        owner: { kind: 'user', id: 'u' + (i % 50), username: 'user' + (i % 50), display_name: 'User ' + (i % 50) },
        name: 'token ' + i, description: 'used by service ' + (i % 97),
        created_at: new Date(now - i * 60000).toISOString(), created_by: null, updated_at: null,
        expires_at: i % 7 === 0 ? null : new Date(now + (i % 400) * 86400000).toISOString(),
        scopes: ['tokens:read', 'tokens:write'].slice(0, 1 + (i % 2)),
        status: i % 11 === 0 ? 'disabled' : 'active', last_used_at: null, last_used_ip: null, last4: 'abcd',
      });
    }
    return out;
  }
  // Data is made once per size, as a host would already hold it: the bench times rendering, not
  // the garbage collection of freshly made test data.
  const cache = new Map();
  window.measure = async (n) => {
    if (!cache.has(n)) cache.set(n, tokens(n));
    const data = cache.get(n);
    await new Promise((r) => requestAnimationFrame(() => r()));
    const el = document.createElement('pat-token-list');
    const start = performance.now();
    el.tokens = data;
    document.body.append(el);
    await el.updateComplete;
    el.shadowRoot.querySelector('[part="body"]').offsetHeight; // force style + layout
    const ms = performance.now() - start;
    const rows = el.shadowRoot.querySelectorAll('[part~="row"]').length;
    el.remove();
    return { ms, rows };
  };
  window.ready = true;
</script></body></html>`;

async function renderBench(): Promise<{ small: number; large: number; rows: number; smallRows: number }> {
  const bundle = readFileSync(join(KIT, 'patkit-kit.js'));
  const server = createServer((req, res) => {
    if (req.url === '/patkit-kit.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(bundle);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(PAGE);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const profile = mkdtempSync(join(tmpdir(), 'patkit-kit-bench-'));
  const browser = await puppeteer.launch({
    executablePath: CHROME_PATH,
    headless: true,
    pipe: true,
    args: [...CHROME_FLAGS, `--user-data-dir=${profile}`, '--window-size=1280,900'],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction('window.ready === true');
    const measure = (n: number): Promise<{ ms: number; rows: number }> =>
      page.evaluate((count) => (window as unknown as { measure(n: number): Promise<{ ms: number; rows: number }> }).measure(count), n);
    // Warm up the JIT and the style system, as a real page would be after its first render.
    for (let i = 0; i < 3; i += 1) {
      await measure(10);
      await measure(10_000);
    }
    const small: number[] = [];
    const large: number[] = [];
    let rows = 0;
    let smallRows = 0;
    for (let i = 0; i < RUNS; i += 1) {
      const a = await measure(10);
      const b = await measure(10_000);
      small.push(a.ms);
      large.push(b.ms);
      rows = Math.max(rows, b.rows);
      smallRows = a.rows;
    }
    const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    return { small: median(small), large: median(large), rows, smallRows };
  } finally {
    await browser.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

buildKit();
const bundle = readFileSync(join(KIT, 'patkit-kit.js'));
/**
 * What a page loads up front: the bundle and every chunk it imports statically (a bundler may
 * split shared code out; that still loads at once). Chunks reached only through `import()` (views
 * fetched on first use) are reported apart.
 */
const staticChunks = new Set<string>();
for (const m of bundle.toString('utf8').matchAll(/(?:^|;|\})\s*import\s*(?:[^'"();]*?\s*from\s*)?["'](\.\/chunks\/[^"']+)["']/g)) staticChunks.add(m[1]!.slice(2));
const upFront = Buffer.concat([bundle, ...[...staticChunks].map((c) => readFileSync(join(KIT, c)))]);
const whole = { min: upFront.length, gzip: gz(bundle) + [...staticChunks].reduce((n, c) => n + gz(readFileSync(join(KIT, c))), 0) };
console.log('## whole kit (min / min+gzip)');
const sizeOk = whole.gzip <= SIZE_BUDGET;
console.log(`patkit-kit.js incl. Lit${staticChunks.size ? ` + ${staticChunks.size} chunk(s) it imports statically` : ''} (loaded up front): ${kb(whole.min)} / ${kb(whole.gzip)} (budget ${kb(SIZE_BUDGET)}, stretch ${kb(SIZE_STRETCH)}): ${sizeOk ? 'OK' : 'OVER BUDGET'}${whole.gzip <= SIZE_STRETCH ? ', within the stretch' : ''}`);
const chunkDir = join(KIT, 'chunks');
for (const file of existsSync(chunkDir) ? readdirSync(chunkDir).filter((f) => f.startsWith('patkit-kit-') && f.endsWith('.js')).sort() : []) {
  if (staticChunks.has(`chunks/${file}`)) continue;
  const data = readFileSync(join(chunkDir, file));
  console.log(`  fetched on first use: chunks/${file}: ${kb(data.length)} / ${kb(gz(data))}`);
}

const host = hostProject();
let hostOver = false;
try {
  const baseline = await hostBundle(host, "import { LitElement, html } from 'lit';\ncustomElements.define('x-host', class extends LitElement { render() { return html`hi`; } });\n");
  const cases: Array<[string, string]> = [
    ['patkit/token-list', "import 'patkit/token-list';"],
    ['patkit/reveal-dialog', "import 'patkit/reveal-dialog';"],
    ['patkit/create-wizard', "import 'patkit/create-wizard';"],
    ['patkit/token-manager', "import 'patkit/token-manager';"],
    ['patkit (everything)', "import 'patkit';"],
    ['patkit/token-list.component (class, no tag)', "import { PatTokenList } from 'patkit/token-list.component';\nexport { PatTokenList };"],
    ['patkit/events: PatTokenSavedEvent only', "import { PatTokenSavedEvent } from 'patkit/events';\nexport { PatTokenSavedEvent };"],
    ['patkit: PatTokenSavedEvent only (patkit registers all)', "import { PatTokenSavedEvent } from 'patkit';\nexport { PatTokenSavedEvent };"],
    ['patkit/provider', "import { createPatkitProvider } from 'patkit/provider';\nexport { createPatkitProvider };"],
  ];
  console.log('## what a host pays up front (esbuild bundle of a host entry, code splitting on, minified; ratio to a Lit-only host; chunks fetched on first use apart)');
  console.log(`${'host imports'.padEnd(56)} ${'min'.padStart(9)} ${'min+gzip'.padStart(9)}  ratio  later (min+gzip)`);
  console.log(`${'lit only (baseline: one LitElement)'.padEnd(56)} ${kb(baseline.min).padStart(9)} ${kb(baseline.gzip).padStart(9)}  1.00×`);
  for (const [label, code] of cases) {
    const size = await hostBundle(host, `${code}\n`);
    const budget = HOST_BUDGETS[label];
    const verdict = budget === undefined ? '' : size.gzip <= budget ? `  (budget ${kb(budget)}: OK)` : `  (budget ${kb(budget)}: OVER BUDGET)`;
    if (budget !== undefined && size.gzip > budget) hostOver = true;
    console.log(`${label.padEnd(56)} ${kb(size.min).padStart(9)} ${kb(size.gzip).padStart(9)}  ${(size.gzip / baseline.gzip).toFixed(2)}×  ${kb(size.lazyGzip).padStart(7)}${size.registers ? '' : '  (registers nothing)'}${verdict}`);
  }
  const locales = esmEntries(ROOT).filter((e) => e.subpath.startsWith('./locales/'));
  if (locales.length === 0) console.log('## locales: none in this build (no components/locales/*.ts)');
  for (const locale of locales) {
    const name = `patkit/${locale.subpath.slice(2)}`;
    const lang = new RegExp(`${locale.subpath.slice(2).replace('/', '\\/')}\\.js$`);
    const without = await hostBundle(host, "import 'patkit/token-list';\n");
    const withLocale = await hostBundle(host, `import 'patkit/token-list';\nimport * as locale from '${name}';\nconsole.log(locale);\n`);
    const added = bytesFrom(without.metafile, lang);
    console.log(`## ${name}: adds ${added} bytes to a host that does not import it${added === 0 ? '' : ' (EXPECTED 0)'}; importing it adds ${kb(withLocale.gzip - without.gzip)} min+gzip`);
    if (added !== 0) process.exitCode = 1;
  }
} finally {
  rmSync(host, { recursive: true, force: true });
}

const r = await renderBench();
const renderOk = r.large <= FRAME_MS && r.rows <= MAX_ROWS;
console.log('## <pat-token-list> first render (median of %d, built bundle, Chromium)', RUNS);
console.log(`10 tokens:     ${r.small.toFixed(2)} ms, ${r.smallRows} row elements`);
console.log(`10,000 tokens: ${r.large.toFixed(2)} ms, ${r.rows} row elements (budget ${FRAME_MS} ms, ≤ ${MAX_ROWS} rows): ${renderOk ? 'OK' : 'OVER BUDGET'}`);
console.log(`ratio 10,000 / 10: ${(r.large / r.small).toFixed(2)}×`);
if (!sizeOk || hostOver || !renderOk) process.exitCode = 1;
