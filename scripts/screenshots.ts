/**
 * `npm run screenshots`: PNGs of the main components for the README, taken in real Chromium from
 * the gallery page (built fresh), so they show what the kit renders today. Writes `docs/*.png`
 * (small: 1x pixels, each under 100 KB; the script fails if one is larger).
 */
import { mkdtempSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Page } from 'puppeteer-core';
import { CHROME_FLAGS, CHROME_PATH } from '../test/support/chromium.ts';
import { buildGallery } from './build-gallery.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DOCS = join(ROOT, 'docs');
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

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

/** The built gallery on a loopback port (only its own files). */
function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const name = path === '/' ? 'index.html' : path.slice(1);
    if (name.includes('/') || name.startsWith('.')) {
      res.writeHead(404).end();
      return;
    }
    readFile(join(dir, name)).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(name)] ?? 'application/octet-stream' }).end(body),
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
  await page.waitForSelector('body[data-ready="true"]');
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

const dir = await buildGallery(mkdtempSync(join(tmpdir(), 'patkit-gallery-')));
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
  page.on('pageerror', (error) => console.error(`page error: ${String(error)}`));
  for (const shot of SHOTS) await take(page, url, shot);
} finally {
  await browser.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
}
