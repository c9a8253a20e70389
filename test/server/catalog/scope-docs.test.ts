/**
 * Every scope of the catalog (as GET /api/v1/scopes serves it, over real HTTP) has a "Docs" link to
 * its own section of the server's own documentation: an absolute URL on the origin the client used
 * (relative links cannot be followed from the extension popup or a host page), whose anchor is an
 * `id` that exists in docs/guides/scopes.md.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { BUILT_IN_SCOPES, SCOPE_DOCS_PATH } from '../../../server/catalog/catalog.ts';
import { call, startHarness, type Harness } from '../helpers.ts';

/** The explicit `id="…"` anchors of a Markdown page (the scopes page writes its headings as HTML). */
function ids(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]!));
}

const scopesPage = (): Promise<string> => readFile(new URL('../../../docs/guides/scopes.md', import.meta.url), 'utf8');

type ServedScope = { id: string; group: string; docs_url: string | null };

/** GET /api/v1/scopes with a Host header of our choosing (fetch does not let a caller set one). */
function scopesWithHost(base: string, token: string, host: string): Promise<ServedScope[]> {
  const url = new URL('/api/v1/scopes', base);
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host, authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve((JSON.parse(body) as { scopes: ServedScope[] }).scopes) : reject(new Error(`${res.statusCode}: ${body}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('scope docs links', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.stop();
  });

  test("every scope's docs link is absolute, on the server's own docs, and its anchor exists in docs/guides/scopes.md", async () => {
    const anchors = ids(await scopesPage());
    const catalog = await call(h.url, 'GET', '/api/v1/scopes', { token: h.admin });
    assert.equal(catalog.status, 200);
    const scopes = catalog.json.scopes as ServedScope[];
    assert.ok(scopes.some((s) => s.id === 'post:all') && scopes.some((s) => s.id === 'post:channels'), 'the posting scopes are in the catalog');
    for (const scope of scopes) {
      assert.ok(scope.docs_url, `${scope.id} has a docs link`);
      const url = new URL(scope.docs_url);
      assert.equal(`${url.origin}${url.pathname}`, `${h.url}${SCOPE_DOCS_PATH}`, `${scope.id} links to the server's own scopes page`);
      const anchor = decodeURIComponent(url.hash.slice(1));
      assert.ok(anchors.has(anchor), `${scope.id}: docs/guides/scopes.md has no id="${anchor}"`);
    }
    assert.equal(new Set(scopes.map((s) => s.docs_url)).size, scopes.length, 'each scope has a section of its own');
  });

  test('every built-in scope has a section in docs/guides/scopes.md, whatever the server serves', async () => {
    const anchors = ids(await scopesPage());
    for (const scope of BUILT_IN_SCOPES) {
      const anchor = new URL(scope.docs_url!, 'http://x').hash.slice(1);
      assert.ok(anchors.has(anchor), `${scope.id}: docs/guides/scopes.md has no id="${anchor}"`);
    }
  });

  test('the links follow the address the client used (another Host: that host)', async () => {
    const scopes = await scopesWithHost(h.url, h.admin, 'tokens.example.com:8443');
    const read = scopes.find((s) => s.id === 'tokens:read')!;
    assert.equal(read.docs_url, `http://tokens.example.com:8443${SCOPE_DOCS_PATH}#tokens-read`);
  });
});
