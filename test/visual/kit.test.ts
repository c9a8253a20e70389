/**
 * Visual regression of every kit component, from the documentation site's examples: one set of
 * states for the docs and for the baselines. Every `docs-site/examples/<component>/<id>.html` is a
 * state, photographed on its component page of the built site (dist/docs, which runs the built
 * package dist/kit) in light, dark and German (the page's own language switch). A new example
 * file is a new state here with no list to edit; its baselines come from the update mode.
 *
 * What is photographed: the example's component (its first `<pat-…>` element), cropped to its
 * box; an example whose demo is a trigger button (a dialog's `ask()`/`reveal()`) is clicked and the
 * open dialog is photographed instead.
 *
 * Run: `npm run test:visual` (builds the kit, the docs and the extension first).
 * Update the baselines: `npm run test:visual -- --update` (or PATKIT_UPDATE_BASELINES=1), then
 * look at the changed PNGs in test/visual/baselines/ and commit them. Failures leave the actual
 * and diff images in test/visual/failures/ (git-ignored). Thresholds: test/visual/compare.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ElementHandle, Page } from 'puppeteer-core';
import { EXAMPLES_DIR, examplesOf } from '../../docs-site/examples.ts';
import { docsFiles } from '../../server/http/docs-files.ts';
import { launchVisual, quiet, type VisualBrowser } from './browser.ts';
import { expectMatchesBaseline } from './compare.ts';
import { setScheme, shootElement, stabilise } from './stable-page.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const DOCS = join(ROOT, 'dist', 'docs');

type Mode = 'light' | 'dark' | 'de';
/** German last: the page's language switch is not switched back. */
const MODES: Mode[] = ['light', 'dark', 'de'];

const components = readdirSync(EXAMPLES_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

let app: FastifyInstance;
let base: string;
let chromium: VisualBrowser;
/** Script errors on any page, reported by the test of the page they happened on. */
const pageErrors: string[] = [];

before(async () => {
  assert.ok(existsSync(join(DOCS, 'index.html')), 'dist/docs is not built: run `npm run test:visual` (it builds the kit and the docs)');
  app = Fastify({ logger: false });
  await app.register(docsFiles, { docsDir: DOCS });
  base = new URL(await app.listen({ port: 0, host: '127.0.0.1' })).origin;
  chromium = await launchVisual();
});

after(async () => {
  await chromium?.close();
  await app?.close();
});

/** The component page, every live example settled. */
async function openPage(component: string): Promise<Page> {
  const page = await chromium.browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${component}: ${String(error)}`));
  await stabilise(page, 'light');
  await page.goto(`${base}/docs/components/${component}/`, { waitUntil: 'load' });
  await quiet(page);
  return page;
}

/** Puts an open page in a mode: the colour scheme, and German through the page's own switch. */
async function enterMode(page: Page, mode: Mode): Promise<void> {
  await setScheme(page, mode === 'dark' ? 'dark' : 'light');
  if (mode === 'de') {
    // The page's switch loads patkit/locales/de and sets lang on every example; a dialog the kit
    // appends to <body> (the reveal) follows <html lang>, as in a host app.
    await page.select('#demo-lang', 'de');
    await page.waitForFunction(() => [...document.querySelectorAll('.demo')].every((d) => d.getAttribute('lang') === 'de'));
    await page.evaluate(() => (document.documentElement.lang = 'de'));
  }
  await quiet(page);
}

/** The example's component, or null when its demo is a trigger button. */
async function subjectOf(page: Page, example: string): Promise<ElementHandle<Element> | null> {
  const box = await page.waitForSelector(`.demo[data-example="${example}"]`);
  assert.ok(box, `no demo ${example}`);
  const handle = await box.evaluateHandle((b) => [...b.children].find((c) => c.localName.startsWith('pat-') && c.getBoundingClientRect().height > 0) ?? null);
  return handle.asElement() as ElementHandle<Element> | null;
}

/** Clicks the example's button and returns the dialog it opened (wherever the component puts it). */
async function openDialog(page: Page, example: string): Promise<ElementHandle<Element>> {
  await page.click(`.demo[data-example="${example}"] > button`);
  await page.mouse.move(0, 0);
  const dialog = await page.waitForSelector('pierce/dialog[open]', { timeout: 5000 });
  assert.ok(dialog, `${example}: the button opened no dialog`);
  await quiet(page);
  return dialog;
}

/** Shoots every example of the page in one mode; returns the failures' messages. */
async function shootMode(page: Page, component: string, mode: Mode): Promise<string[]> {
  const failures: string[] = [];
  for (const example of examplesOf(component)) {
    const name = `${component}/${example.id}`;
    try {
      let subject = await subjectOf(page, name);
      let dialogPage: Page | undefined;
      if (!subject) {
        // A dialog example: on a fresh page, so no other example's state is on it.
        dialogPage = await openPage(component);
        await enterMode(dialogPage, mode);
        subject = await openDialog(dialogPage, name);
      }
      const on = dialogPage ?? page;
      const element = subject;
      try {
        await expectMatchesBaseline(`kit/${name}.${mode}`, () => shootElement(on, element));
      } finally {
        await dialogPage?.close();
      }
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  return failures;
}

test('every component page of the site has examples, so every component has baselines', () => {
  const pages = readdirSync(join(DOCS, 'components'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  assert.ok(pages.length >= 8, `component pages: ${pages.join(', ')}`);
  const bare = pages.filter((page) => examplesOf(page).length === 0);
  assert.deepEqual(bare, [], `components with no docs-site/examples/<component>/*.html, so no visual baseline: ${bare.join(', ')}`);
});

for (const component of components) {
  test(`kit: ${component}: every docs example, in ${MODES.join(', ')}, matches its baseline`, async () => {
    const page = await openPage(component);
    const failures: string[] = [];
    pageErrors.length = 0;
    try {
      for (const mode of MODES) {
        await enterMode(page, mode);
        failures.push(...(await shootMode(page, component, mode)));
      }
    } finally {
      await page.close();
    }
    assert.deepEqual(pageErrors, [], 'no script errors on the page');
    assert.ok(failures.length === 0, failures.join('\n'));
  });
}
