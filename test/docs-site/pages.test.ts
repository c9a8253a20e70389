/**
 * Every page of the built documentation site, in real Chromium, found by following links from
 * `/docs/`: each renders without a console error (nor a failed request, nor one that leaves the
 * site), and every internal link and `#anchor` resolves.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSite, type Site } from './harness.ts';

interface Link {
  from: string;
  href: string;
}

describe('documentation site: every page', () => {
  let site: Site;
  /** Page path → the ids on it. */
  const pages = new Map<string, Set<string>>();
  const links: Link[] = [];
  const problems: string[] = [];

  before(async () => {
    site = await startSite();
    const queue = ['/docs/'];
    while (queue.length > 0) {
      const path = queue.shift()!;
      if (pages.has(path)) continue;
      const { page, problems: found } = await site.openPage(path);
      // Scalar draws its own links (client-side routes) inside its root: not the site's.
      const seen = await page.evaluate(() => ({
        ids: [...document.querySelectorAll('[id], a[name]')].map((e) => e.id || e.getAttribute('name') || ''),
        hrefs: [...document.querySelectorAll('a[href]')].filter((a) => !a.closest('#api-reference-root')).map((a) => (a as HTMLAnchorElement).href),
      }));
      await page.close();
      pages.set(path, new Set(seen.ids));
      problems.push(...found.map((p) => `${path}: ${p}`));
      for (const href of seen.hrefs) {
        const url = new URL(href);
        if (url.origin !== site.url) continue;
        links.push({ from: path, href });
        if (url.pathname.startsWith('/docs/') && url.pathname.endsWith('/') && !pages.has(url.pathname)) queue.push(url.pathname);
      }
    }
  });

  after(async () => {
    await site?.close();
  });

  it('reaches every part of the site from the home page', () => {
    const paths = [...pages.keys()];
    for (const expected of ['/docs/', '/docs/components/', '/docs/api/', '/docs/security/', '/docs/architecture/', '/docs/contributing/', '/docs/components/token-list/']) {
      assert.ok(paths.includes(expected), `${expected} is linked from the site (crawled: ${paths.join(', ')})`);
    }
  });

  it('renders every page without a console error, a failed request or an outside request', () => {
    assert.deepEqual(problems, []);
  });

  it('finds pages and headings from the search box', async () => {
    const { page, problems: found } = await site.openPage('/docs/');
    try {
      await page.type('#site-search', 'threat model');
      await page.waitForSelector('#site-search-results a');
      const results = await page.$$eval('#site-search-results a', (links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname + new URL((a as HTMLAnchorElement).href).hash));
      assert.ok(results.includes('/docs/security/#threat-model'), results.join(', '));
      await page.evaluate(() => {
        const input = document.querySelector<HTMLInputElement>('#site-search')!;
        input.value = 'zzzz-nothing';
        input.dispatchEvent(new Event('input'));
      });
      await page.waitForFunction(() => document.querySelector('#site-search-results')?.textContent === 'No match');
      assert.deepEqual(found, []);
    } finally {
      await page.close();
    }
  });

  it('resolves every internal link and anchor', async () => {
    const broken: string[] = [];
    for (const { from, href } of links) {
      const url = new URL(href);
      if (!url.pathname.startsWith('/docs/')) {
        broken.push(`${from}: ${href} (outside /docs/)`);
        continue;
      }
      const ids = pages.get(url.pathname);
      if (ids === undefined) {
        const answer = await fetch(`${url.origin}${url.pathname}`);
        if (!answer.ok) broken.push(`${from}: ${href} (HTTP ${answer.status})`);
        continue;
      }
      const anchor = decodeURIComponent(url.hash.slice(1));
      if (anchor && !ids.has(anchor)) broken.push(`${from}: ${href} (no #${anchor} on ${url.pathname})`);
    }
    assert.deepEqual(broken, []);
    assert.ok(links.some((l) => new URL(l.href).hash !== ''), 'the crawl saw anchored links');
  });
});
