/**
 * The component pages' live examples, in real Chromium: every `pat-*` element an example places is
 * defined, styled (its shadow root adopts non-empty style sheets) and comes from the built package
 * copied into the site (`/docs/kit/`), never from the sources; the demos show real data. And the
 * HTTP API page renders the server's operations with Scalar.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import { DOCS, ROOT, startSite, type Site } from './harness.ts';

interface ElementReport {
  tag: string;
  defined: boolean;
  styled: number;
  /** Entries of the class's `elementStyles` with no CSS (a sheet the build lost). */
  emptySheets: number;
  rendered: boolean;
}

/** Every `pat-*` element in the page's examples, after each has upgraded. */
async function elementsIn(page: Page): Promise<ElementReport[]> {
  await page.waitForFunction(() => [...document.querySelectorAll('.demo *')].every((e) => !e.localName.startsWith('pat-') || customElements.get(e.localName)), { timeout: 10_000 });
  return page.evaluate(async () => {
    const elements = [...document.querySelectorAll<HTMLElement>('.demo *, body > pat-reveal-dialog')].filter((e) => e.localName.startsWith('pat-'));
    const out = [];
    for (const el of elements) {
      await (el as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete;
      const sheets = el.shadowRoot?.adoptedStyleSheets ?? [];
      const declared = (el.constructor as { elementStyles?: Array<{ cssText?: string } | CSSStyleSheet> }).elementStyles ?? [];
      const cssOf = (s: { cssText?: string } | CSSStyleSheet): string =>
        s instanceof CSSStyleSheet ? [...s.cssRules].map((r) => r.cssText).join('') : (s.cssText ?? '');
      out.push({
        tag: el.localName,
        defined: customElements.get(el.localName) !== undefined,
        styled: sheets.reduce((n, sheet) => n + [...sheet.cssRules].map((r) => r.cssText).join('').length, 0),
        emptySheets: declared.filter((s) => cssOf(s).trim() === '').length,
        rendered: (el.shadowRoot?.childElementCount ?? 0) > 0,
      });
    }
    return out;
  });
}

/** Script URLs the page loaded that define the kit: the package's files, never a source path. */
async function scriptsLoaded(page: Page): Promise<string[]> {
  return page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.endsWith('.js') || p.endsWith('.ts')));
}

describe('documentation site: live examples and the API page', () => {
  let site: Site;
  const components = readdirSync(join(DOCS, 'components'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

  before(async () => {
    site = await startSite();
  });

  after(async () => {
    await site?.close();
  });

  it('has component pages to check', () => {
    assert.ok(components.length >= 8, components.join(', '));
  });

  for (const name of ['token-manager', 'token-list', 'token-details', 'create-wizard', 'reveal-dialog', 'confirm-dialog', 'role-manager', 'scoped-token-form', 'token-requests']) {
    it(`${name}: every example element is defined, styled and from the package`, async () => {
      const { page, problems } = await site.openPage(`/docs/components/${name}/`, { wait: 'networkidle0' });
      try {
        // The reveal dialog is opened by its example's button, into the page's body.
        if (name === 'reveal-dialog') {
          await page.click('#show-secret');
          await page.waitForSelector('pat-reveal-dialog');
        }
        const elements = await elementsIn(page);
        assert.ok(elements.some((e) => e.tag === `pat-${name}`), `pat-${name} is on its page: ${JSON.stringify(elements)}`);
        for (const e of elements) {
          assert.ok(e.defined, `${e.tag} defined`);
          assert.ok(e.styled > 100, `${e.tag} carries its styles (${e.styled} characters of CSS)`);
          assert.equal(e.emptySheets, 0, `${e.tag}: every one of its style sheets has CSS`);
          assert.ok(e.rendered, `${e.tag} rendered into its shadow root`);
        }
        const scripts = await scriptsLoaded(page);
        assert.ok(scripts.includes(`/docs/kit/esm/${name}.js`), `loads /docs/kit/esm/${name}.js: ${scripts.join(', ')}`);
        const foreign = scripts.filter((s) => !/^\/docs\/(kit|vendor|examples|demo|assets)\//.test(s) || s.endsWith('.ts'));
        assert.deepEqual(foreign, [], 'every script is the package, Lit, an example, the demo server or the site');
        assert.deepEqual(problems, []);
      } finally {
        await page.close();
      }
    });
  }

  it('the demos show real data: the manager lists the demo tokens, the signed-out example says so', async () => {
    const { page, problems } = await site.openPage('/docs/components/token-manager/', { wait: 'networkidle0' });
    try {
      const rows = await page.waitForFunction(
        () => document.querySelector('#my-tokens')?.shadowRoot?.querySelector('pat-token-list')?.shadowRoot?.querySelectorAll('[part~="row"]').length === 5,
        { timeout: 10_000 },
      );
      assert.ok(rows);
      const message = await page.waitForFunction(() => document.querySelector('#signed-out')?.shadowRoot?.querySelector('[part="message"]')?.textContent?.trim(), { timeout: 10_000 });
      assert.ok(String(await message.jsonValue()).length > 0);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  it('the requests page: the demo lists the pending requests, approves one from its button, and is accessible (axe)', async () => {
    const { page, problems } = await site.openPage('/docs/components/token-requests/', { wait: 'networkidle0', bypassCsp: true });
    try {
      await page.emulateMediaFeatures([{ name: 'prefers-reduced-motion', value: 'reduce' }]);
      await page.waitForFunction(() => document.querySelector('#requests')?.shadowRoot?.querySelectorAll('[part="request"]').length === 3, { timeout: 10_000 });
      await page.waitForFunction(() => document.querySelector('#denied-requests')?.shadowRoot?.querySelector('[part="decision"]')?.textContent?.includes('bot account'), { timeout: 10_000 });
      await page.addScriptTag({ path: join(ROOT, 'node_modules', 'axe-core', 'axe.min.js') });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (c: Element) => Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> } }).axe;
        return (await axe.run(document.querySelector('main')!)).violations.map((v) => `${v.id} (${v.nodes.length})`);
      });
      assert.deepEqual(violations, []);
      await page.evaluate(() => document.querySelector('#requests')!.shadowRoot!.querySelector<HTMLButtonElement>('[part="approve"]')!.click());
      await page.waitForFunction(() => document.querySelector('#requests-decision')?.textContent === 'approved deploy previews', { timeout: 10_000 });
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  it('is accessible in light and in dark (axe), and the language switch reaches the examples', async () => {
    const { page, problems } = await site.openPage('/docs/components/token-manager/', { wait: 'networkidle0', bypassCsp: true });
    try {
      // Buttons blend their background for 120 ms on a scheme change; with reduced motion (which
      // the kit honours) the switch is instant, so axe judges the settled colours.
      await page.emulateMediaFeatures([{ name: 'prefers-reduced-motion', value: 'reduce' }]);
      await page.waitForFunction(() => document.querySelector('#my-tokens')?.shadowRoot?.querySelector('pat-token-list')?.shadowRoot?.querySelectorAll('[part~="row"]').length === 5);
      await page.addScriptTag({ path: join(ROOT, 'node_modules', 'axe-core', 'axe.min.js') });
      const audit = async (): Promise<string[]> =>
        page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run: (c: Element) => Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> } }).axe;
          const result = await axe.run(document.querySelector('main')!);
          return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
        });
      assert.deepEqual(await audit(), [], 'light');
      await page.select('#site-theme', 'dark');
      assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme), 'dark');
      assert.deepEqual(await audit(), [], 'dark');
      await page.select('#demo-lang', 'de');
      await page.waitForFunction(() => document.querySelector('#my-tokens')?.shadowRoot?.querySelector('[part="create"]')?.textContent?.trim() === 'Token erstellen', { timeout: 10_000 });
      // The host's words too (the heading), and no English reason beside German: nothing stays English.
      const noCreate = async (): Promise<string[]> =>
        page.$eval('#no-create', (m) => ['h2', '[part="message"]'].map((s) => m.shadowRoot?.querySelector(s)?.textContent?.trim() ?? ''));
      await page.waitForFunction(() => document.querySelector('#no-create')?.shadowRoot?.querySelector('h2')?.textContent === 'Meine Tokens', { timeout: 10_000 });
      assert.deepEqual(await noCreate(), ['Meine Tokens', 'Sie können auf diesem Server keine Tokens erstellen.']);
      await page.select('#demo-lang', 'en');
      await page.waitForFunction(() => document.querySelector('#no-create')?.shadowRoot?.querySelector('h2')?.textContent === 'My tokens', { timeout: 10_000 });
      assert.deepEqual(await noCreate(), ['My tokens', 'You cannot create tokens on this server.']);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  it('the API page renders every tag and operation of the server’s OpenAPI document with Scalar', async () => {
    const spec = JSON.parse(readFileSync(join(DOCS, 'api', 'openapi.json'), 'utf8')) as {
      paths: Record<string, Record<string, { summary?: string; tags?: string[] }>>;
    };
    const operations = Object.values(spec.paths).flatMap((methods) => Object.values(methods));
    const summaries = operations.map((o) => o.summary).filter((s): s is string => Boolean(s));
    assert.ok(summaries.length > 20, `the document has operations (${summaries.length})`);
    const { page, problems } = await site.openPage('/docs/api/', { wait: 'networkidle0' });
    try {
      await page.waitForSelector('#api-reference-root h1', { timeout: 20_000 });
      const title = await page.$eval('#api-reference-root h1', (h) => h.textContent ?? '');
      assert.match(title, /patkit reference token server/);
      // Scalar's sidebar lists each tag's operations once the tag's group is opened.
      for (let round = 0; round < 3; round += 1) {
        const closed = await page.$$('#api-reference-root button[aria-expanded="false"]');
        if (closed.length === 0) break;
        for (const button of closed) await button.evaluate((b) => (b as HTMLButtonElement).click());
      }
      const text = await page.evaluate(() => document.querySelector('#api-reference-root')!.textContent ?? '');
      const missing = summaries.filter((s) => !text.includes(s));
      assert.deepEqual(missing, [], 'every operation is in Scalar’s rendering');
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
});
