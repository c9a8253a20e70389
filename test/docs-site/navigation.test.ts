/**
 * The site's conventions on a fixture folder of pages (built with the real build into a temp
 * folder): the sidebar's sections in their order, filled from front matter; a page without front
 * matter named by its first heading and filed by its folder; relative `.md` links (with anchors)
 * rewritten to page URLs; a link to a repository file outside docs/ sent to GitHub.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPOSITORY_URL } from '../../docs-site/eleventy.config.ts';
import { buildDocs } from '../../scripts/build-docs.ts';
import { ROOT } from './harness.ts';

const PAGES: Record<string, string> = {
  'index.md': '---\ntitle: Home\n---\n\n# Home\n\nWelcome.\n',
  'getting-started/owner.md': '# For token owners\n\nInstall the extension.\n',
  'guides/webhooks.md':
    '---\ntitle: Webhooks\nsection: Guides\norder: 2\n---\n\n# Webhooks\n\nSee [rotation](rotation.md#with-a-grace-period), [the store](../../server/README.md#sqlite) and [home](../index.md).\n\n![A screenshot](../shot.png)\n',
  'guides/rotation.md': '# Rotation `with` grace\n\n## With a grace period\n\nText.\n',
  'notes.md': 'Just text, no heading.\n',
  'guides/vue.md': '# Vue\n\n```html\n<p>{{ message }}</p>\n```\n\nAnd {% raw %} as text.\n',
  'reference.md': '---\ntitle: Reference page\nsection: Reference\n---\n\nText.\n',
};

describe('documentation site conventions', () => {
  let dir: string;
  let out: string;
  const read = (path: string): string => readFileSync(join(out, path), 'utf8');

  before(async () => {
    // Inside the repository (git-ignored dist/), as docs/ is: Eleventy works from the root.
    dir = mkdtempSync(join(ROOT, 'dist', 'docs-fixture-'));
    out = join(dir, 'out');
    for (const [path, text] of Object.entries(PAGES)) {
      mkdirSync(join(dir, 'pages', path, '..'), { recursive: true });
      writeFileSync(join(dir, 'pages', path), text);
    }
    writeFileSync(join(dir, 'pages', 'shot.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    await buildDocs({ input: join(dir, 'pages'), out });
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds the sidebar from front matter, sections in their fixed order', () => {
    const html = read('notes/index.html');
    const sections = [...html.matchAll(/<h2>([^<]+)<\/h2><ul>/g)].map((m) => m[1]);
    assert.deepEqual(sections, ['Getting started', 'Guides', 'Components', 'Reference', 'Project']);
    const guides = /<h2>Guides<\/h2><ul>(.*?)<\/ul>/.exec(html)![1]!;
    assert.deepEqual([...guides.matchAll(/>([^<]+)<\/a>/g)].map((m) => m[1]), ['Webhooks', 'Rotation with grace', 'Vue'], 'order first, then title');
  });

  it('names a page without front matter by its first heading (else its file) and files it by its folder', () => {
    assert.match(read('getting-started/owner/index.html'), /<title>For token owners · patkit<\/title>/);
    assert.match(read('notes/index.html'), /<title>Notes · patkit<\/title>/);
    const html = read('notes/index.html');
    assert.match(/<h2>Getting started<\/h2><ul>(.*?)<\/ul>/.exec(html)![1]!, /For token owners/);
    assert.match(/<h2>Project<\/h2><ul>(.*?)<\/ul>/.exec(html)![1]!, /Notes/);
  });

  it('shows template syntax in Markdown as it is (no template language runs over pages)', () => {
    const html = read('guides/vue/index.html');
    assert.ok(html.includes('{{ message }}'), 'a Vue binding in a code block');
    assert.ok(html.includes('{% raw %} as text'), 'a Liquid tag in text');
  });

  it('rewrites relative .md links to page URLs with their anchors, and repository files to GitHub', () => {
    const html = read('guides/webhooks/index.html');
    assert.match(html, /href="\/docs\/guides\/rotation\/#with-a-grace-period"/);
    assert.match(html, /href="\/docs\/"/);
    assert.ok(html.includes(`href="${REPOSITORY_URL}/blob/main/server/README.md#sqlite"`), 'outside docs/: GitHub');
    assert.match(read('guides/rotation/index.html'), /<h2 id="with-a-grace-period"/);
    assert.match(html, /<img src="\/docs\/shot\.png" alt="A screenshot">/, 'an image beside the pages, from a page one level down');
    assert.ok(readFileSync(join(out, 'shot.png')).length > 0, 'images are copied');
  });
});
