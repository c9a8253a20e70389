/**
 * `npm run screenshots`: PNGs of the main components for the README, taken in real Chromium from
 * the documentation site's component pages (built fresh by `npm run docs:build`'s code), whose live
 * examples run the built package (dist/kit), so they show what the package renders today. Writes
 * `docs/*.png` (small: 1x pixels, each under 100 KB; the script fails if one is larger). The console
 * shot (`docs/console.png`) is the built console (dist/console) on a real reference server with
 * demo data.
 */
import { existsSync, mkdtempSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import puppeteer, { type Page } from 'puppeteer-core';
import { docsFiles } from '../server/http/docs-files.ts';
import { CHROME_FLAGS, CHROME_PATH } from '../test/support/chromium.ts';
import { startTestServer } from '../test/support/server.ts';
import { buildDocs } from './build-docs.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DOCS = join(ROOT, 'docs');
const MAX_BYTES = 100 * 1024;

interface Shot {
  file: string;
  /** The example, as `<component>/<example id>` (docs-site/examples/). */
  example: string;
  theme?: 'dark';
  lang?: 'de';
  /** Opens a dialog first (the example's button), then the dialog itself is photographed. */
  dialog?: string;
}

const SHOTS: Shot[] = [
  { file: 'token-manager.png', example: 'token-manager/1-signed-in' },
  { file: 'token-manager-dark.png', example: 'token-manager/1-signed-in', theme: 'dark' },
  { file: 'token-list-de.png', example: 'token-list/1-admin-inventory', lang: 'de' },
  { file: 'create-wizard.png', example: 'create-wizard/1-create' },
  { file: 'reveal-dialog.png', example: 'reveal-dialog/1-reveal', dialog: 'pat-reveal-dialog' },
];

async function take(page: Page, base: string, shot: Shot): Promise<void> {
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: shot.theme ?? 'light' }]);
  const [component] = shot.example.split('/');
  await page.goto(`${base}/docs/components/${component}/`, { waitUntil: 'networkidle0' });
  if (shot.lang) {
    // The package's own locale entry, through the page's import map; the kit follows <html lang>.
    await page.evaluate(async (lang) => {
      await import(`patkit/locales/${lang}`);
      document.documentElement.lang = lang;
    }, shot.lang);
  }
  const box = await page.waitForSelector(`.demo[data-example="${shot.example}"]`);
  if (!box) throw new Error(`no example ${shot.example}`);
  const demo = shot.dialog ? box : await box.waitForSelector(':scope > [id]');
  if (!demo) throw new Error(`no element in ${shot.example}`);
  // Let the demo provider answer and the list measure its rows.
  await page.waitForFunction(() => !document.querySelector('pat-token-list[loading]'), { timeout: 5000 }).catch(() => {});
  await new Promise((r) => setTimeout(r, 300));
  const path = join(DOCS, shot.file) as `${string}.png`;
  if (shot.dialog) {
    await box.$eval('button', (b) => (b as HTMLButtonElement).click());
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

if (!existsSync(join(ROOT, 'dist', 'console', 'index.html'))) throw new Error('dist/console is not built: run `npm run build:kit` first');
await buildDocs();
const app = Fastify({ logger: false });
await app.register(docsFiles, { docsDir: join(ROOT, 'dist', 'docs') });
const url = new URL(await app.listen({ port: 0, host: '127.0.0.1' })).origin;
const profile = mkdtempSync(join(tmpdir(), 'patkit-shots-chrome-'));
const browser = await puppeteer.launch({
  executablePath: CHROME_PATH,
  headless: true,
  args: [...CHROME_FLAGS, `--user-data-dir=${profile}`],
  defaultViewport: { width: 1280, height: 800, deviceScaleFactor: 1 },
});
try {
  mkdirSync(DOCS, { recursive: true });
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${String(error)}`));
  for (const shot of SHOTS) await take(page, url, shot);
  await consoleShot(await browser.newPage());
} finally {
  await browser.close();
  await app.close();
  rmSync(profile, { recursive: true, force: true });
}
