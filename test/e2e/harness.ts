/**
 * Shared set-up for the extension's end-to-end tests and the popup benchmark: build the extension,
 * launch Debian's Chromium headless with it loaded (puppeteer-core, `pipe: true`), find its id.
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

/** Runs `wxt build` (with `--mode e2e` for the test build). About a second each. */
export function buildExtension(mode: 'production' | 'e2e' | 'firefox'): void {
  const args = mode === 'e2e' ? ['wxt', 'build', '--mode', 'e2e'] : mode === 'firefox' ? ['wxt', 'build', '-b', 'firefox'] : ['wxt', 'build'];
  const result = spawnSync('npx', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) throw new Error(`wxt build (${mode}) failed:\n${result.stdout}\n${result.stderr}`);
}

export interface LaunchedExtension {
  browser: Browser;
  extensionId: string;
  origin: string;
  worker: () => Promise<WebWorker>;
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
