/**
 * Visual regression of the extension: the built e2e extension (.output/chrome-mv3-e2e, the
 * production build plus loopback host permissions, test/e2e/harness.ts) in real Chromium, against
 * a real reference server with demo data, in English (light and dark) and in German (the browser's
 * UI language, which the extension's pages and the kit follow).
 *
 * Screens: the options page before any server, the options page with the server signed in, and
 * the popup listing the demo tokens (at its own size: 760 px wide, its 13 px root font). The
 * popup's status line says when the list was fetched, stamped by the service worker's clock,
 * which a page cannot fix: that line is masked (a grey block over its box; the layout around it
 * is still compared). The server's address (a free port) is masked on the options page likewise.
 *
 * Run: `npm run test:visual`; update the baselines: `npm run test:visual -- --update`
 * (header of test/visual/kit.test.ts, thresholds in test/visual/compare.ts).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'puppeteer-core';
import { buildServer } from '../../server/app.ts';
import { E2E_BUILD } from '../e2e/harness.ts';
import { TEST_ADMIN_PASSWORD } from '../support/server.ts';
import { launchVisual, quiet, type VisualBrowser } from './browser.ts';
import { expectMatchesBaseline } from './compare.ts';
import { seedRandomBytes } from './seeded-random.ts';
import { FIXED_NOW, mask, settle, shootElement, stabilise } from './stable-page.ts';

const POPUP_VIEWPORT = { width: 760, height: 600 };

/** The extension's pages in one UI language: `schemes` are photographed on each screen. */
function screens(lang: 'en' | 'de', schemes: Array<'light' | 'dark'>): void {
  describe(`extension in ${lang === 'en' ? 'English' : 'German'}`, () => {
    let chromium: VisualBrowser;
    let app: FastifyInstance;
    let dataDir: string;
    let base: string;
    let origin: string;

    before(async () => {
      assert.ok(existsSync(join(E2E_BUILD, 'manifest.json')), 'the e2e extension is not built: run `npm run test:visual` (it builds it)');
      dataDir = await mkdtemp(join(tmpdir(), 'patkit-visual-ext-'));
      seedRandomBytes();
      let clock = FIXED_NOW;
      app = await buildServer({ dataDir, adminPassword: TEST_ADMIN_PASSWORD, demo: true, now: () => (clock += 1) });
      base = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
      chromium = await launchVisual({ lang, extension: E2E_BUILD });
      const worker = await chromium.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'), { timeout: 20_000 });
      origin = `chrome-extension://${new URL(worker.url()).host}`;
    });

    after(async () => {
      await chromium?.close();
      await app?.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    /** An extension page, still and ready (`body[data-ready]`), in the first scheme. */
    async function open(browser: Browser, path: string, viewport?: { width: number; height: number }): Promise<Page> {
      const page = await browser.newPage();
      await stabilise(page, 'light', viewport);
      // Headless Chromium answers getUILanguage() with en-US whatever --lang says, while its
      // i18n messages follow --lang: the one stand-in here gives the pages the language the
      // browser was started in, as a German Chrome does.
      await page.evaluateOnNewDocument((ui: string) => {
        const api = (globalThis as { chrome?: { i18n?: { getUILanguage(): string } } }).chrome;
        if (api?.i18n) api.i18n.getUILanguage = () => ui;
      }, lang === 'en' ? 'en-US' : lang);
      await page.goto(`${origin}/${path}`, { waitUntil: 'load' });
      await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
      return page;
    }

    /** Photographs `selector` of the page in every scheme, the masked boxes covered. */
    async function shootAll(page: Page, name: string, selector: string, masked: string[]): Promise<string[]> {
      const failures: string[] = [];
      for (const scheme of schemes) {
        await page.emulateMediaFeatures([
          { name: 'prefers-color-scheme', value: scheme },
          { name: 'prefers-reduced-motion', value: 'reduce' },
        ]);
        await page.mouse.move(0, 0);
        await quiet(page);
        await page.evaluate(() => document.querySelectorAll('[data-visual-mask]').forEach((m) => m.remove()));
        await settle(page);
        await mask(page, masked);
        const element = await page.$(selector);
        assert.ok(element, `${name}: no ${selector}`);
        try {
          await expectMatchesBaseline(`extension/${name}.${lang === 'en' ? scheme : 'de'}`, () => shootElement(page, element));
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
      return failures;
    }

    test(`options page and popup (${lang}; ${schemes.join(', ')}) match their baselines`, async () => {
      const failures: string[] = [];
      const options = await open(chromium.browser, 'options.html');
      await quiet(options);
      failures.push(...(await shootAll(options, 'options-empty', 'main', [])));

      // A server added and signed in through the page, as a person does.
      await options.type('#server-form input[name=name]', 'Demo server');
      await options.select('#server-form select[name=kind]', 'patkit');
      await options.type('#server-form input[name=baseUrl]', base);
      await options.click('#save-server');
      await options.waitForSelector('#server-list li.card .state[data-state="signed_out"]', { timeout: 15_000 });
      await options.type('#server-list li.card form.signin input[name=username]', 'admin');
      await options.type('#server-list li.card form.signin input[name=password]', TEST_ADMIN_PASSWORD);
      await options.click('#server-list li.card form.signin button[type=submit]');
      await options.waitForSelector('#server-list li.card .state[data-state="signed_in"]', { timeout: 15_000 });
      await options.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      failures.push(...(await shootAll(options, 'options-signed-in', 'main', ['#server-list .url'])));
      await options.close();

      const popup = await open(chromium.browser, 'popup.html', POPUP_VIEWPORT);
      await popup.waitForSelector('#new-token:not([disabled])', { timeout: 15_000 });
      await popup.waitForFunction(() => (document.querySelector('pat-token-list')?.shadowRoot?.querySelectorAll('[part="row"]').length ?? 0) >= 3, { timeout: 15_000 });
      failures.push(...(await shootAll(popup, 'popup', 'body', ['#status'])));
      await popup.close();
      assert.ok(failures.length === 0, failures.join('\n'));
    });
  });
}

screens('en', ['light', 'dark']);
screens('de', ['light']);
