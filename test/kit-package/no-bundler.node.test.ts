/**
 * The two no-bundler pages of the docs, as an npm user gets them (`npm run test:kit-package`, after
 * `npm run build:kit`): the packed package installed into a fresh folder, then the pages written
 * next to its node_modules word for word (only the token server's address filled in):
 *   - "One script tag" (docs/getting-started/host-app-kit.md): patkit-kit.js + the provider's ESM file;
 *   - "No bundler: an import map" (docs/guides/frameworks.md): the ESM entries, Lit resolved through
 *     the page's import map to the installed node_modules.
 * Each is served as static files, opened in Chromium against a real reference server on another
 * origin, and must sign in, list the admin's token, show the kit styled and load nothing from
 * outside that folder but the token server. Nothing is mocked.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import puppeteer, { type Browser } from 'puppeteer-core';
import { CHROME_FLAGS, CHROME_PATH } from '../support/chromium.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const KIT = join(ROOT, 'dist', 'kit');
/** The password the docs' pages sign in with; the test server is started with it. */
const DOCS_PASSWORD = 'demo-admin-pw';
const DOCS_SERVER = "'https://tokens.example.com'";

/** The first ```html block after `heading` in a docs page, as written. */
function htmlExample(page: string, heading: string): string {
  const text = readFileSync(join(ROOT, page), 'utf8');
  const start = text.indexOf(heading);
  assert.ok(start >= 0, `${page}: a section "${heading}"`);
  const block = /```html\n([\s\S]*?)```/.exec(text.slice(start))?.[1];
  assert.ok(block, `${page}: an html example under "${heading}"`);
  return block;
}

const PAGES = {
  'embed.html': htmlExample('docs/getting-started/host-app-kit.md', '### One script tag'),
  'tokens.html': htmlExample('docs/guides/frameworks.md', '## No bundler: an import map'),
};

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.css': 'text/css', '.map': 'application/json' };

function serveStatic(dir: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const file = normalize(join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    if (!file.startsWith(dir)) return void res.writeHead(404).end();
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  return new Promise((r) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      r({ server, origin: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
    }),
  );
}

let work = '';
let site: { server: Server; origin: string } | null = null;
let patkit: TestServer | null = null;
let browser: Browser | null = null;
let tokenName = '';

before(async () => {
  assert.ok(existsSync(join(KIT, 'package.json')), 'dist/kit is not built: run `npm run build:kit` first (npm test does)');
  work = mkdtempSync(join(tmpdir(), 'patkit-no-bundler-'));
  const app = join(work, 'app');
  mkdirSync(app);
  const env = { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' };
  const pack = spawnSync('npm', ['pack', KIT, '--pack-destination', work, '--json'], { cwd: ROOT, encoding: 'utf8', env });
  assert.equal(pack.status, 0, pack.stderr);
  const tarball = join(work, (JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as Array<{ filename: string }>)[0]!.filename);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'no-bundler-app', private: true, dependencies: { patkit: `file:${tarball}` } }));
  const install = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, encoding: 'utf8', env });
  assert.equal(install.status, 0, `${install.stdout}${install.stderr}`);

  site = await serveStatic(app);
  patkit = await startTestServer({ enablePats: true, env: { PATKIT_CORS_ORIGINS: site.origin, PATKIT_ADMIN_PASSWORD: DOCS_PASSWORD } });
  for (const [file, example] of Object.entries(PAGES)) {
    const page = example.replace(DOCS_SERVER, JSON.stringify(patkit.url));
    assert.notEqual(page, example, `${file}: the example names the token server as the docs do`);
    writeFileSync(join(app, file), page);
  }
  // A token for the admin to find in the list, made over the API.
  const session = await fetch(`${patkit.url}/api/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: DOCS_PASSWORD, mode: 'bearer' }) });
  const { credential } = (await session.json()) as { credential: string };
  tokenName = `no bundler ${Date.now().toString(36)}`;
  const created = await fetch(`${patkit.url}/api/v1/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
    body: JSON.stringify({ name: tokenName, scopes: ['tokens:read'], password: DOCS_PASSWORD, acknowledge_admin_token: true }),
  });
  assert.equal(created.status, 201, await created.text());
  browser = await puppeteer.launch({ executablePath: CHROME_PATH, headless: true, pipe: true, args: [...CHROME_FLAGS, `--user-data-dir=${join(work, 'chrome')}`] });
});

after(async () => {
  await browser?.close();
  await patkit?.stop();
  site?.server.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

for (const file of Object.keys(PAGES)) {
  test(`${file} from the docs works as written from an installed package: signed in, the token listed, the kit styled, nothing fetched from elsewhere`, async () => {
    const page = await browser!.newPage();
    const errors: string[] = [];
    const elsewhere: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('response', (response) => {
      // The browser asks for /favicon.ico by itself; the docs' pages have none, and need none.
      if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) errors.push(`${response.status()} ${response.url()}`);
    });
    page.on('request', (request) => {
      const url = request.url();
      // A data: URL is inline, not fetched (Chromium's own date-picker icon of a date input is one).
      if (!url.startsWith(site!.origin) && !url.startsWith(patkit!.url) && !url.startsWith('data:')) elsewhere.push(url);
    });
    await page.goto(`${site!.origin}/${file}`);
    await page.waitForFunction(
      (name) =>
        [...(document.querySelector('pat-token-manager')?.shadowRoot?.querySelector('pat-token-list')?.shadowRoot?.querySelectorAll('[part~="row"]') ?? [])].some((row) =>
          row.textContent?.includes(name),
        ),
      { timeout: 15_000 },
      tokenName,
    );
    // The wizard is a chunk fetched on first use: reach it as a user would (Create), so that the
    // lazily loaded tag is defined from the installed package and checked below like the rest.
    await page.evaluate(() => (document.querySelector('pat-token-manager') as HTMLElement & { openCreate(): Promise<void> }).openCreate());
    await page.waitForFunction(
      () => !!customElements.get('pat-create-wizard') && !!document.querySelector('pat-token-manager')?.shadowRoot?.querySelector('dialog[part="wizard-dialog"][open]'),
      { timeout: 15_000 },
    );
    // Styled: every pat-* element on the page has its styles (none lost to a build step).
    const unstyled = await page.evaluate(() => {
      const found: string[] = [];
      const visit = (root: Document | ShadowRoot): void => {
        for (const el of root.querySelectorAll('*')) {
          if (!el.localName.startsWith('pat-')) continue;
          const ctor = customElements.get(el.localName) as (CustomElementConstructor & { elementStyles?: Array<{ cssText?: string }> }) | undefined;
          if (!ctor?.elementStyles?.length || ctor.elementStyles.some((s) => !s.cssText)) found.push(el.localName);
          if (el.shadowRoot) visit(el.shadowRoot);
        }
      };
      visit(document);
      return found;
    });
    assert.deepEqual(unstyled, [], 'every kit element carries its styles');
    assert.deepEqual(elsewhere, [], 'nothing loaded from outside the page folder and the token server');
    assert.deepEqual(errors, []);
    await page.close();
  });
}
