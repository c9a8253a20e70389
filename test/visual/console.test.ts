/**
 * Visual regression of the admin console: the built console (dist/console) on a real reference
 * server with its demo data (`--demo`: example tokens, alice, Example Org), signed in as admin.
 * Every page of the console's navigation is photographed at 1280 px wide (the whole page, at least
 * 800 px tall) in light, dark and German (the console's own language switch), plus the sign-in page and the demo organisation's and group's
 * pages; a page added to the navigation is a new screen here with no list to edit.
 *
 * The server runs in this process on a clock that starts at the suite's fixed instant and moves
 * one millisecond per reading (so records keep their order and every date on screen is the same
 * on every run); the page's clock is fixed the same way (stable-page.ts). Its random bytes are
 * seeded (seeded-random.ts): the ids the console shows are the same on every run.
 *
 * Run: `npm run test:visual`; update the baselines: `npm run test:visual -- --update`
 * (header of test/visual/kit.test.ts, thresholds in test/visual/compare.ts).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'puppeteer-core';
import { buildServer } from '../../server/app.ts';
import { TEST_ADMIN_PASSWORD } from '../support/server.ts';
import { launchVisual, quiet, type VisualBrowser } from './browser.ts';
import { expectMatchesBaseline } from './compare.ts';
import { seedRandomBytes } from './seeded-random.ts';
import { FIXED_NOW, shootPage, stabilise } from './stable-page.ts';

const ROOT = join(import.meta.dirname, '..', '..');

let chromium: VisualBrowser;

before(async () => {
  assert.ok(existsSync(join(ROOT, 'dist', 'console', 'index.html')), 'dist/console is not built: run `npm run test:visual` (it builds the kit and the console)');
  chromium = await launchVisual();
});

after(async () => {
  await chromium?.close();
});

interface DemoServer {
  base: string;
  stop(): Promise<void>;
}

/** A fresh demo server, so each scheme's screens show the same data (its own sign-in only). */
async function startDemoServer(): Promise<DemoServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'patkit-visual-server-'));
  seedRandomBytes();
  let clock = FIXED_NOW;
  const app: FastifyInstance = await buildServer({ dataDir, adminPassword: TEST_ADMIN_PASSWORD, demo: true, now: () => (clock += 1) });
  const base = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
  return {
    base,
    async stop() {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The console's language switch (header and sign-in page); absent from a console that speaks English only. */
const LANGUAGE_SWITCH = '#console-language';

/**
 * The console's sign-in page (in German through its own language switch, which it keeps for the
 * session), then signed in as admin on My tokens. False when German is asked for and the console
 * has no switch.
 */
async function signIn(page: Page, base: string, lang: 'en' | 'de', shoot: (name: string) => Promise<void>): Promise<boolean> {
  await page.goto(`${base}/`, { waitUntil: 'load' });
  await page.waitForSelector('#username', { timeout: 10_000 });
  if (lang === 'de') {
    if (!(await page.$(LANGUAGE_SWITCH))) return false;
    await page.select(LANGUAGE_SWITCH, 'de');
    await page.waitForFunction(() => document.documentElement.lang === 'de');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  }
  await quiet(page);
  await shoot('sign-in');
  await page.type('#username', 'admin');
  await page.type('#password', TEST_ADMIN_PASSWORD);
  await page.click('form.signin button[type=submit]');
  await page.waitForSelector('nav a[data-route]', { timeout: 10_000 });
  return true;
}

/** Goes to a page of the navigation and waits until it has rendered its data. */
async function visit(page: Page, route: string): Promise<void> {
  await page.evaluate((r) => {
    location.hash = `#/${r}`;
  }, route);
  await page.waitForFunction((r) => document.querySelector(`nav a[data-route="${r}"]`)?.getAttribute('aria-current') === 'page', {}, route);
  await page.mouse.move(0, 0);
  await quiet(page);
}

/** Follows the first link in the page's main area whose href starts with `prefix`. */
async function follow(page: Page, prefix: string): Promise<void> {
  const href = await page.$eval(`main a[href^="${prefix}"]`, (a) => a.getAttribute('href')!);
  await page.evaluate((h) => (location.hash = h), href);
  await page.waitForFunction((h) => location.hash === h && document.querySelector('[role="tab"]'), {}, href);
  await quiet(page);
}

/** Each tab of the page in turn (its panel is built on first view): `<name>-<tab id>`. */
async function shootTabs(page: Page, name: string, shoot: (name: string) => Promise<void>): Promise<void> {
  const panels = await page.$$eval('[role="tab"]', (tabs) => tabs.map((t) => t.getAttribute('aria-controls')!));
  assert.ok(panels.length > 0, `${name}: no tabs`);
  for (const panel of panels) {
    await page.click(`[role="tab"][aria-controls="${panel}"]`);
    await page.mouse.move(0, 0);
    await quiet(page);
    await shoot(`${name}-${panel.replace(/^panel-/, '')}`);
  }
}

for (const mode of ['light', 'dark', 'de'] as const) {
  test(`console in ${mode}: the sign-in page and every page of the navigation match their baselines`, async (t) => {
    // Its own server and browser context: no data, session cookie or language from another run.
    const server = await startDemoServer();
    const context = await chromium.browser.createBrowserContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    const failures: string[] = [];
    const shoot = async (name: string): Promise<void> => {
      try {
        await expectMatchesBaseline(`console/${name}.${mode}`, () => shootPage(page));
      } catch (error) {
        failures.push((error as Error).message);
      }
    };
    try {
      await stabilise(page, mode === 'dark' ? 'dark' : 'light');
      if (!(await signIn(page, server.base, mode === 'de' ? 'de' : 'en', shoot))) {
        t.skip(`the console has no language switch (${LANGUAGE_SWITCH}) yet: German screens come with it`);
        return;
      }
      const routes = await page.$$eval('nav a[data-route]', (links) => links.map((a) => (a as HTMLElement).dataset.route!));
      assert.ok(routes.length >= 5, `the admin sees the whole navigation: ${routes.join(', ')}`);
      for (const route of routes) {
        await visit(page, route);
        await shoot(route);
      }
      // The demo organisation's page (a link on Organizations), each of its tabs, then its
      // group's page (a link in the Groups tab) and each of its tabs.
      await visit(page, 'organizations');
      await follow(page, '#/org/');
      await shootTabs(page, 'organization', shoot);
      await page.click('[role="tab"][aria-controls="panel-groups"]');
      await follow(page, '#/group/');
      await shootTabs(page, 'group', shoot);
    } finally {
      await context.close();
      await server.stop();
    }
    assert.deepEqual(errors, [], 'no script errors in the console');
    assert.ok(failures.length === 0, failures.join('\n'));
  });
}
