/**
 * `npm run screenshots`: PNGs of the main components for the README and the docs, taken in real
 * Chromium from **the built package** (dist/kit, from `npm run build:kit`), never from the sources,
 * so they show what a host app gets. The page (scripts/screenshots/) imports `patkit/…` through an
 * import map onto dist/kit/esm and node_modules/lit, as an npm user without a bundler would; only
 * its in-memory demo server is bundled. The console shot is the built console (dist/console) served
 * by a real reference server with demo data. Writes `docs/*.png` (1x pixels, each under 100 KB;
 * the script fails if one is larger).
 */
import { existsSync, mkdtempSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import puppeteer, { type Page } from 'puppeteer-core';
import { CHROME_FLAGS, CHROME_PATH } from '../test/support/chromium.ts';
import { startTestServer } from '../test/support/server.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DOCS = join(ROOT, 'docs');
const KIT = join(ROOT, 'dist', 'kit');
const MAX_BYTES = 100 * 1024;

interface Shot {
  file: string;
  state: string;
  theme?: 'dark';
  lang?: 'de';
  /** Opens a dialog first (its button), then the dialog itself is photographed. */
  dialog?: string;
}

const SHOTS: Shot[] = [
  { file: 'token-manager.png', state: 'token-manager' },
  { file: 'token-manager-dark.png', state: 'token-manager', theme: 'dark' },
  { file: 'token-list-de.png', state: 'token-list', lang: 'de' },
  { file: 'create-wizard.png', state: 'create-wizard' },
  { file: 'reveal-dialog.png', state: 'reveal-dialog', dialog: 'pat-reveal-dialog' },
];

/** Bare imports of the page, resolved as an npm user's import map would: the package and Lit. */
const IMPORT_MAP = {
  imports: {
    patkit: '/kit/esm/index.js',
    'patkit/locales/de': '/kit/esm/locales/de.js',
    lit: '/node_modules/lit/index.js',
    'lit/': '/node_modules/lit/',
    'lit-html': '/node_modules/lit-html/lit-html.js',
    'lit-html/': '/node_modules/lit-html/',
    'lit-element/': '/node_modules/lit-element/',
    '@lit/reactive-element': '/node_modules/@lit/reactive-element/reactive-element.js',
    '@lit/reactive-element/': '/node_modules/@lit/reactive-element/',
  },
};

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>patkit screenshots</title>
    <style>
      :root { font-family: system-ui, sans-serif; background: light-dark(#ffffff, #0d1117); color: light-dark(#1b1f24, #e6edf3); }
      body { margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem; }
      .demo { padding: 1rem; border: 1px dashed light-dark(#d0d7de, #3d444d); border-radius: 8px; }
    </style>
    <script type="importmap">${JSON.stringify(IMPORT_MAP)}</script>
    <script type="module" src="/page.js"></script>
  </head>
  <body></body>
</html>
`;

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

/** The page folder at /, the built package at /kit/, Lit's packages at /node_modules/ (nothing else). */
function serve(pageDir: string): Promise<{ server: Server; url: string }> {
  const mounts: Array<[string, string]> = [
    ['/kit/', KIT],
    ...['lit', 'lit-html', 'lit-element', '@lit/reactive-element'].map((name): [string, string] => [`/node_modules/${name}/`, join(ROOT, 'node_modules', name)]),
    ['/', pageDir],
  ];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const [prefix, dir] = mounts.find(([p]) => path.startsWith(p))!;
    const file = normalize(join(dir, path === '/' ? 'index.html' : path.slice(prefix.length)));
    if (!file.startsWith(dir)) {
      res.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/` });
    }),
  );
}

async function take(page: Page, base: string, shot: Shot): Promise<void> {
  const params = new URLSearchParams({ shot: shot.state, ...(shot.theme ? { theme: shot.theme } : {}), ...(shot.lang ? { lang: shot.lang } : {}) });
  await page.goto(`${base}?${params}`, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
  const demo = await page.waitForSelector(`.demo[data-shot="${shot.state}"]`);
  if (!demo) throw new Error(`no state ${shot.state}`);
  // Let the demo provider answer and the list measure its rows.
  await page.waitForFunction(() => !document.querySelector('pat-token-list[loading]'), { timeout: 5000 }).catch(() => {});
  await new Promise((r) => setTimeout(r, 300));
  const path = join(DOCS, shot.file) as `${string}.png`;
  if (shot.dialog) {
    await demo.$eval('button', (b) => (b as HTMLButtonElement).click());
    const dialog = await page.waitForSelector(`${shot.dialog} >>> dialog[open]`);
    await new Promise((r) => setTimeout(r, 200));
    await dialog!.screenshot({ path });
  } else {
    await demo.screenshot({ path });
  }
  const size = statSync(path).size;
  if (size > MAX_BYTES) throw new Error(`${shot.file} is ${Math.round(size / 1024)} KB (limit 100 KB)`);
  console.log(`${shot.file.padEnd(24)} ${(size / 1024).toFixed(1)} KB`);
}

/** The admin console's "My tokens" page, signed in as admin on a fresh server with demo data. */
async function consoleShot(page: Page): Promise<void> {
  const server = await startTestServer({ demo: true });
  try {
    await page.setViewport({ width: 1100, height: 420, deviceScaleFactor: 1 });
    await page.goto(`${server.url}/`, { waitUntil: 'load' });
    await page.waitForSelector('#username', { timeout: 10_000 });
    await page.type('#username', 'admin');
    await page.type('#password', server.adminPassword);
    await page.click('form.signin button[type=submit]');
    // The demo tokens' rows, wherever the console nests the list (shadow roots included).
    await page.waitForFunction(
      () => {
        const rows = (root: Document | ShadowRoot): number =>
          root.querySelectorAll('[part~="row"]').length + [...root.querySelectorAll('*')].reduce((n, el) => n + (el.shadowRoot ? rows(el.shadowRoot) : 0), 0);
        return rows(document) >= 3;
      },
      { timeout: 10_000 },
    );
    await new Promise((r) => setTimeout(r, 300));
    const path = join(DOCS, 'console.png') as `${string}.png`;
    await page.screenshot({ path });
    const size = statSync(path).size;
    if (size > MAX_BYTES) throw new Error(`console.png is ${Math.round(size / 1024)} KB (limit 100 KB)`);
    console.log(`${'console.png'.padEnd(24)} ${(size / 1024).toFixed(1)} KB`);
  } finally {
    await server.stop();
  }
}

if (!existsSync(join(KIT, 'package.json'))) throw new Error('dist/kit is not built: run `npm run build:kit` first');
if (!existsSync(join(ROOT, 'dist', 'console', 'index.html'))) throw new Error('dist/console is not built: run `npm run build:kit` first');
const dir = mkdtempSync(join(tmpdir(), 'patkit-shots-page-'));
writeFileSync(join(dir, 'index.html'), PAGE);
// The demo server only; every patkit and Lit import stays bare, for the import map.
await build({
  entryPoints: [join(ROOT, 'scripts', 'screenshots', 'page.js')],
  outfile: join(dir, 'page.js'),
  bundle: true,
  format: 'esm',
  target: 'es2022',
  external: ['patkit', 'patkit/*', 'lit', 'lit/*'],
  logLevel: 'warning',
});
const profile = mkdtempSync(join(tmpdir(), 'patkit-shots-chrome-'));
const { server, url } = await serve(dir);
const browser = await puppeteer.launch({
  executablePath: CHROME_PATH,
  headless: true,
  args: [...CHROME_FLAGS, `--user-data-dir=${profile}`],
  defaultViewport: { width: 960, height: 720, deviceScaleFactor: 1 },
});
try {
  mkdirSync(DOCS, { recursive: true });
  const page = await browser.newPage();
  const failures: string[] = [];
  page.on('pageerror', (error) => failures.push(`page error: ${String(error)}`));
  page.on('response', (response) => {
    if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) failures.push(`${response.status()} ${response.url()}`);
  });
  for (const shot of SHOTS) await take(page, url, shot);
  // A fresh page: the reveal dialog just shown guards its page against leaving (beforeunload).
  await consoleShot(await browser.newPage());
  if (failures.length > 0) throw new Error(failures.join('\n'));
} finally {
  await browser.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
}
