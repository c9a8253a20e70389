/**
 * Every "Docs" link of the scope catalog (as GET /api/v1/scopes serves it, over real HTTP) points
 * at the server's own documentation site: absolute on the origin the client called, on the scopes
 * page the docs build generates from the same catalog, at an anchor that page has, one per scope.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { renderScopesPage } from '../../../docs-site/scopes-page.ts';
import { withDocsOrigin } from '../../../server/catalog/catalog-routes.ts';
import { SCOPES_PAGE } from '../../../server/catalog/catalog.ts';
import { call, startHarness, type Harness } from '../helpers.ts';

describe('scope docs links', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.stop();
  });

  test("every built-in scope's docs link goes to its own entry on the server's scopes page", async () => {
    const ids = new Set([...renderScopesPage().matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]));
    const catalog = await call(h.url, 'GET', '/api/v1/scopes', { token: h.admin });
    assert.equal(catalog.status, 200);
    const anchors = new Set<string>();
    for (const scope of catalog.json.scopes as { id: string; docs_url: string | null }[]) {
      assert.ok(scope.docs_url, `${scope.id} has a docs link (post:* included)`);
      const url = new URL(scope.docs_url);
      assert.equal(`${url.origin}${url.pathname}`, `${new URL(h.url).origin}${SCOPES_PAGE}`, `${scope.id} links to this server's scopes page`);
      const anchor = decodeURIComponent(url.hash.slice(1));
      assert.ok(ids.has(anchor), `${scope.id}: the scopes page has no #${anchor}`);
      anchors.add(anchor);
    }
    assert.equal(anchors.size, (catalog.json.scopes as unknown[]).length, 'each scope has its own anchor');
  });

  test('the links follow the Host the client called, and a Host that makes no URL leaves them out', () => {
    const catalog = { scopes: [{ id: 'tokens:read', group: 'Tokens', description: '', docs_url: '/docs/reference/scopes/#tokens-read' }, { id: 'orders:read', group: 'Orders', description: '', docs_url: 'https://shop.example/docs' }], presets: [] };
    const at = (protocol: string, host: string) => withDocsOrigin(catalog, { protocol: protocol as 'http' | 'https', host }).scopes.map((s) => s.docs_url);
    assert.deepEqual(at('https', 'tokens.example.com'), ['https://tokens.example.com/docs/reference/scopes/#tokens-read', 'https://shop.example/docs']);
    assert.deepEqual(at('http', '127.0.0.1:8787'), ['http://127.0.0.1:8787/docs/reference/scopes/#tokens-read', 'https://shop.example/docs']);
    assert.deepEqual(at('http', 'bad host/x'), [null, 'https://shop.example/docs']);
  });
});
