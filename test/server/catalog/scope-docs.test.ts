/**
 * Every "Docs" link of the scope catalog (as GET /api/v1/scopes serves it, over real HTTP) points at
 * a heading that exists in README.md, and the families do not all share one anchor.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { call, startHarness, type Harness } from '../helpers.ts';

const README_URL = 'https://github.com/patkit/patkit';

/** The anchors GitHub gives README.md's headings (lower case, punctuation dropped, spaces → '-', repeats numbered). */
function readmeAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading) continue;
    const slug = heading[1]!.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

describe('scope docs links', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.stop();
  });

  test('the slugger matches GitHub on a heading with punctuation', () => {
    assert.ok(readmeAnchors('### API overview (`/api/v1`, OpenAPI 3.1 at `/api/v1/openapi.json`)').has('api-overview-apiv1-openapi-31-at-apiv1openapijson'));
  });

  test("every scope's docs link goes to a README heading that exists, one per family", async () => {
    const anchors = readmeAnchors(await readFile(new URL('../../../README.md', import.meta.url), 'utf8'));
    const catalog = await call(h.url, 'GET', '/api/v1/scopes', { token: h.admin });
    assert.equal(catalog.status, 200);
    const byGroup = new Map<string, Set<string>>();
    for (const scope of catalog.json.scopes as { id: string; group: string; docs_url: string | null }[]) {
      if (scope.docs_url === null) continue;
      const url = new URL(scope.docs_url);
      assert.equal(`${url.origin}${url.pathname}`, README_URL, `${scope.id} links to the README`);
      const anchor = decodeURIComponent(url.hash.slice(1));
      assert.ok(anchors.has(anchor), `${scope.id}: README.md has no heading for #${anchor}`);
      byGroup.set(scope.group, (byGroup.get(scope.group) ?? new Set()).add(anchor));
    }
    assert.ok(byGroup.size >= 4, 'the built-in families all have docs');
    const perGroup = [...byGroup.values()].map((s) => [...s].join());
    assert.equal(new Set(perGroup).size, perGroup.length, 'each family has its own anchor');
  });
});
