/**
 * Shared set-up for the extension's end-to-end tests and the popup benchmark: build the extension,
 * launch Debian's Chromium headless with it loaded (puppeteer-core, `pipe: true`), find its id —
 * or Debian's Firefox ESR over WebDriver BiDi ({@link launchFirefoxExtension}).
 *
 * The tests load the `e2e` build (`wxt build --mode e2e` → .output/chrome-mv3-e2e). It is the
 * production build plus one manifest line, `host_permissions` for loopback, because a headless
 * browser cannot click the prompt that `permissions.request` shows. The options page still calls
 * `permissions.request` from the click (Chrome answers at once for an origin already granted), so
 * the code path is the real one; the production manifest is checked to carry no loopback
 * host permission.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer-core';
import { CHROME_FLAGS, CHROME_PATH } from '../support/chromium.ts';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const E2E_BUILD = join(ROOT, '.output/chrome-mv3-e2e');
export const PROD_BUILD = join(ROOT, '.output/chrome-mv3');
export const FIREFOX_BUILD = join(ROOT, '.output/firefox-mv3');
/** Firefox's e2e build: only the leaked-token test needs it (its GitHub stand-in hook exists in e2e builds only). */
export const FIREFOX_E2E_BUILD = join(ROOT, '.output/firefox-mv3-e2e');
/** Firefox ESR (`FIREFOX_PATH`, or Debian's `firefox-esr`). */
export const FIREFOX_PATH = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
/** The gecko id of wxt.config.ts and the fixed internal UUID the tests give it (its page origin). */
export const GECKO_ID = 'patkit@patkit.dev';
const FIREFOX_UUID = '3f0c9a52-7d41-4e8b-9b1f-5a2e6c7d8e90';

export type BrowserName = 'chromium' | 'firefox';

/** Runs `wxt build` (with `--mode e2e` for the test build). About a second each. */
export function buildExtension(mode: 'production' | 'e2e' | 'firefox' | 'firefox-e2e'): void {
  const args =
    mode === 'e2e' ? ['wxt', 'build', '--mode', 'e2e'] : mode === 'firefox' ? ['wxt', 'build', '-b', 'firefox'] : mode === 'firefox-e2e' ? ['wxt', 'build', '-b', 'firefox', '--mode', 'e2e'] : ['wxt', 'build'];
  const result = spawnSync('npx', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) throw new Error(`wxt build (${mode}) failed:\n${result.stdout}\n${result.stderr}`);
}

export interface LaunchedExtension {
  /** Which browser runs it. */
  name: BrowserName;
  browser: Browser;
  extensionId: string;
  origin: string;
  /** Chromium only: the background service worker (Firefox runs an event page instead). */
  worker: () => Promise<WebWorker>;
  /** Opens an extension page in a new tab, brought to the front, once its document has loaded. */
  open(path: string): Promise<Page>;
  close(): Promise<void>;
}

export async function launchExtension(extensionPath = E2E_BUILD): Promise<LaunchedExtension> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'patkit-e2e-profile-'));
  const browser = await puppeteer.launch({
    executablePath: CHROME_PATH,
    headless: true,
    pipe: true,
    enableExtensions: [extensionPath],
    userDataDir,
    args: [...CHROME_FLAGS],
  });
  const target = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'), { timeout: 20_000 });
  const extensionId = new URL(target.url()).host;
  const origin = `chrome-extension://${extensionId}`;
  return {
    name: 'chromium',
    browser,
    extensionId,
    origin,
    async worker() {
      const t = await browser.waitForTarget((x) => x.type() === 'service_worker' && x.url().startsWith(origin), { timeout: 20_000 });
      const w = await t.worker();
      if (!w) throw new Error('no service worker');
      return w;
    },
    async open(path: string) {
      const page = await browser.newPage();
      await page.goto(`${origin}/${path}`);
      return page;
    },
    async close() {
      await browser.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Firefox ESR with the extension installed as a temporary add-on (WebDriver BiDi,
 * `browser.installExtension`). It loads the production
 * Firefox build: `extensions.webextOptionalPermissionPrompts: false` makes Firefox grant an
 * optional host permission that `permissions.request` asks for without showing its prompt, so
 * the real request path (the manifest's optional patterns, the pattern patkit asks for) is
 * exercised with no test-only manifest line. The clipboard pref lets a test read back a copy.
 */
export async function launchFirefoxExtension(extensionPath = FIREFOX_BUILD): Promise<LaunchedExtension> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'patkit-e2e-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    userDataDir,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_UUID }),
      'extensions.webextOptionalPermissionPrompts': false,
      'dom.events.testing.asyncClipboard': true,
    },
  });
  const id = await browser.installExtension(extensionPath);
  if (id !== GECKO_ID) throw new Error(`Firefox installed ${id}, expected ${GECKO_ID}`);
  const origin = `moz-extension://${FIREFOX_UUID}`;
  return {
    name: 'firefox',
    browser,
    extensionId: FIREFOX_UUID,
    origin,
    worker() {
      return Promise.reject(new Error('Firefox runs the background as an event page: evaluate in an extension page instead'));
    },
    async open(path: string) {
      const page = await browser.newPage();
      const url = `${origin}/${path}`;
      // A goto to a moz-extension:// page navigates but its promise may never settle:
      // start it, then poll the document until the page is there and loaded.
      void page.goto(url, { timeout: 20_000 }).catch(() => undefined);
      const deadline = Date.now() + 20_000;
      for (;;) {
        const loaded = await page
          .evaluate((want) => location.href === want && document.readyState === 'complete', url)
          .catch(() => false);
        if (loaded) break;
        if (Date.now() > deadline) throw new Error(`Firefox did not open ${url}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      // Background tabs stall clicks and locators in Firefox.
      await page.bringToFront();
      return page;
    },
    async close() {
      await browser.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Launches the extension in the named browser: the e2e build in Chromium, the production build in Firefox. */
export function launchIn(name: BrowserName): Promise<LaunchedExtension> {
  return name === 'firefox' ? launchFirefoxExtension() : launchExtension(E2E_BUILD);
}
