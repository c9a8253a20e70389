/**
 * The component pages against the built package's manifest (dist/kit/custom-elements.json): one
 * page per tag, no more, no less, each with its import line and every member the manifest lists;
 * and the page renderer on hand-made manifests: text from a manifest stays text, and fields the
 * schema leaves out are tolerated.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { renderComponentPage } from '../../docs-site/component-page.ts';
import { sourceRelativeLink, safeMarkdown, REPOSITORY_URL } from '../../docs-site/eleventy.config.ts';
import { componentsOf, readManifest, type Manifest } from '../../docs-site/manifest.ts';
import { DOCS, ensureBuilt, ROOT } from './harness.ts';

describe('component pages', () => {
  before(async () => {
    await ensureBuilt();
  });

  it('list exactly the tags of the built package’s manifest, one page each', () => {
    const tags = componentsOf(readManifest(join(ROOT, 'dist', 'kit'))).map((c) => c.tag);
    assert.ok(tags.length >= 8, tags.join(', '));
    const pages = readdirSync(join(DOCS, 'components'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => `pat-${e.name}`)
      .sort();
    assert.deepEqual(pages, [...tags].sort());
    const index = readFileSync(join(DOCS, 'components', 'index.html'), 'utf8');
    const listed = [...index.matchAll(/<tr><td><a href="\/docs\/components\/([a-z-]+)\/">/g)].map((m) => `pat-${m[1]}`).sort();
    assert.deepEqual(listed, [...tags].sort(), 'the Components index lists every tag once');
  });

  it('show each component’s import line and every attribute, method, event, part and custom property', () => {
    for (const doc of componentsOf(readManifest(join(ROOT, 'dist', 'kit')))) {
      const html = readFileSync(join(DOCS, 'components', doc.name, 'index.html'), 'utf8');
      const text = html.replace(/<[^>]+>/g, '').replace(/&#39;|&apos;/g, "'");
      assert.ok(text.includes(`import 'patkit/${doc.name}';`), `${doc.tag}: import line`);
      for (const p of doc.properties) assert.ok(html.includes(`<code>${p.name || p.attribute}</code>`), `${doc.tag}: property ${p.name || p.attribute}`);
      for (const m of doc.methods) assert.ok(html.includes(`id="method-${m.name}"`), `${doc.tag}: method ${m.name}`);
      for (const e of doc.events) assert.ok(html.includes(`<code>${e.name}</code>`), `${doc.tag}: event ${e.name}`);
      for (const p of doc.cssParts) assert.ok(html.includes(`<code>${p.name}</code>`), `${doc.tag}: part ${p.name}`);
      for (const p of doc.cssProperties) assert.ok(html.includes(`<code>${p.name}</code>`), `${doc.tag}: custom property ${p.name}`);
      for (const s of doc.slots) assert.ok(html.includes(`<code>${s.name || '(default)'}</code>`), `${doc.tag}: slot ${s.name}`);
      assert.match(html, /class="demo"/, `${doc.tag}: a live example`);
    }
  });

  it('render manifest text as text: markup in a description never becomes an element', () => {
    const manifest: Manifest = {
      modules: [
        {
          declarations: [
            {
              tagName: 'pat-demo',
              name: 'PatDemo',
              summary: 'Embed it: `<pat-demo>` <script>alert(1)</script>',
              attributes: [{ name: 'expiring-soon-days', fieldName: 'expiringSoonDays' }],
              members: [
                { kind: 'field', name: 'expiringSoonDays', type: { text: 'number' }, default: '7', description: 'Days.' },
                { kind: 'field', name: 'secretThing', privacy: 'private' },
                { kind: 'field', name: '#hidden' },
                { kind: 'method', name: 'ask', parameters: [{ name: 'request', type: { text: 'ConfirmRequest' } }], return: { type: { text: 'Promise<ConfirmResult>' } } },
              ],
              events: [{ name: 'pat-token-saved', type: { text: 'PatTokenSavedEvent' }, description: '<img src=x onerror="alert(1)"> `detail.token`' }],
              cssParts: [{ name: 'row', description: 'A row.' }],
              cssProperties: [{ name: '--pat-accent', default: '#0b5cd5' }],
            },
          ],
        },
      ],
    };
    const [doc] = componentsOf(manifest);
    const html = renderComponentPage(doc!, [], safeMarkdown());
    assert.ok(!/<img|<script>alert/.test(html), 'no markup from the manifest');
    assert.ok(html.includes('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'), 'shown as text');
    assert.ok(html.includes('<code>detail.token</code>'), 'Markdown code spans still render');
    assert.ok(html.includes('<code>expiringSoonDays</code>') && html.includes('<code>expiring-soon-days</code>'));
    assert.ok(!html.includes('secretThing') && !html.includes('#hidden'), 'private members stay out');
    assert.ok(html.includes('ask(request: ConfirmRequest): Promise&lt;ConfirmResult&gt;'), 'a method with its parameters');
  });

  it('tolerate a manifest without events, slots, parts or members, and with `detail` missing', () => {
    const [doc] = componentsOf({ schemaVersion: '2.1.0', modules: [{ declarations: [{ tagName: 'pat-bare', events: [{ name: 'pat-x', type: { text: 'CustomEvent<{ id: string }>' } }] }] }] });
    assert.equal(doc!.name, 'bare');
    assert.deepEqual(doc!.events, [{ name: 'pat-x', detail: '{ id: string }', type: 'CustomEvent<{ id: string }>', description: '' }]);
    const html = renderComponentPage(doc!, [], safeMarkdown());
    for (const none of ['No public properties.', 'No public methods.', 'No slots.', 'No CSS parts.', 'No CSS custom properties.']) assert.ok(html.includes(none), none);
  });

  it('read relative links as GitHub does: pages’ files to site paths, repository files to GitHub, site links alone', () => {
    assert.equal(sourceRelativeLink(ROOT, 'docs', './docs/guides/x.md', '../../server/README.md#the-store'), `${REPOSITORY_URL}/blob/main/server/README.md#the-store`);
    assert.equal(sourceRelativeLink(ROOT, 'docs', './docs/security.md', '../test/docs/security-model.node.test.ts'), `${REPOSITORY_URL}/blob/main/test/docs/security-model.node.test.ts`);
    assert.equal(sourceRelativeLink(ROOT, 'docs', './docs/index.md', 'components/'), '/components/');
    assert.equal(sourceRelativeLink(ROOT, 'docs', './docs/guides/x.md', '../token-manager.png'), '/token-manager.png', 'a file beside the pages: a site path, whatever the page’s depth');
    assert.equal(sourceRelativeLink(ROOT, 'docs', './docs/guides/x.md', 'y/#top'), '/guides/y/#top');
    assert.equal(sourceRelativeLink(ROOT, 'docs', './docs/guides/x.md', '../../server/'), `${REPOSITORY_URL}/tree/main/server/`);
    assert.equal(sourceRelativeLink(ROOT, 'docs', './docs/x.md', '../../elsewhere.md'), '../../elsewhere.md', 'outside the repository: left alone');
    assert.equal(sourceRelativeLink(ROOT, 'docs', './docs/index.md', '/security/#threat-model'), '/security/#threat-model');
    assert.equal(sourceRelativeLink(ROOT, 'docs', './docs/index.md', 'https://example.com/a.md'), 'https://example.com/a.md');
  });
});
