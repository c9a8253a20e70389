/**
 * The documentation site's files at `/docs/` (server/http/docs-files.ts), on a folder made here:
 * a clear 404 before the site is built, files only from inside the folder, the right content
 * types, folders to their index, and a strict policy that lets only the page's own inline scripts
 * (by hash) run.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { docsFiles, inlineScriptHashes } from '../../../server/http/docs-files.ts';

const IMPORT_MAP = '{"imports":{"patkit":"/docs/kit/esm/index.js"}}';
const PAGE = `<!doctype html><html><head><script type="importmap">${IMPORT_MAP}</script><script type="module" src="/docs/a.js"></script></head><body>home</body></html>`;

async function serve(docsDir: string | null): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(docsFiles, { docsDir });
  await app.ready();
  return app;
}

describe('documentation site files (/docs/)', () => {
  let dir: string;
  let outside: string;
  let app: FastifyInstance;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'patkit-docs-files-'));
    outside = mkdtempSync(join(tmpdir(), 'patkit-docs-outside-'));
    writeFileSync(join(dir, 'index.html'), PAGE);
    mkdirSync(join(dir, 'components', 'token-list'), { recursive: true });
    writeFileSync(join(dir, 'components', 'token-list', 'index.html'), '<!doctype html><p>list</p>');
    writeFileSync(join(dir, 'a.js'), 'export {};');
    writeFileSync(join(dir, 'search.json'), '[]');
    writeFileSync(join(dir, 'shot.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    writeFileSync(join(dir, '.secret'), 'hidden');
    writeFileSync(join(outside, 'secret.txt'), 'outside');
    symlinkSync(join(outside, 'secret.txt'), join(dir, 'link.txt'));
    app = await serve(dir);
  });

  after(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('before the site is built, /docs/ answers 404 with how to build it', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'patkit-docs-empty-'));
    for (const docsDir of [join(empty, 'missing'), empty, null]) {
      const bare = await serve(docsDir);
      try {
        for (const url of ['/docs/', '/docs/components/token-list/']) {
          const answer = await bare.inject({ url });
          assert.equal(answer.statusCode, 404, `${url} with ${docsDir}`);
          assert.match(String(answer.headers['content-type']), /^text\/html/);
          assert.match(answer.body, /npm run docs:build/);
        }
      } finally {
        await bare.close();
      }
    }
    rmSync(empty, { recursive: true, force: true });
  });

  it('serves pages, folders by their index, with content types', async () => {
    const home = await app.inject({ url: '/docs/' });
    assert.equal(home.statusCode, 200);
    assert.equal(home.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(home.body, PAGE);
    const list = await app.inject({ url: '/docs/components/token-list/' });
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /list/);
    const types: Record<string, string> = { '/docs/a.js': 'text/javascript; charset=utf-8', '/docs/search.json': 'application/json; charset=utf-8', '/docs/shot.png': 'image/png' };
    for (const [url, type] of Object.entries(types)) {
      const answer = await app.inject({ url });
      assert.equal(answer.statusCode, 200, url);
      assert.equal(answer.headers['content-type'], type, url);
      assert.equal(answer.headers['x-content-type-options'], 'nosniff');
    }
  });

  it('sends a folder without its slash to the slash', async () => {
    for (const [url, to] of [
      ['/docs', '/docs/'],
      ['/docs/components/token-list', '/docs/components/token-list/'],
      ['/docs/components/token-list?x=1', '/docs/components/token-list/?x=1'],
    ]) {
      const answer = await app.inject({ url: url! });
      assert.equal(answer.statusCode, 302, url);
      assert.equal(answer.headers.location, to);
    }
  });

  it('answers 404 for anything missing, hidden, outside the folder or behind a symlink out', async () => {
    for (const url of ['/docs/nope/', '/docs/nope.js', '/docs/.secret', '/docs/../package.json', '/docs/%2e%2e/package.json', '/docs/%2e%2e%2fpackage.json', '/docs/link.txt', '/docs/a.js%00.html', '/docs/components/..%5c..%5cpackage.json']) {
      const answer = await app.inject({ url });
      assert.equal(answer.statusCode, 404, url);
      assert.doesNotMatch(answer.body, /outside|hidden/, url);
    }
    // Bad percent-encoding never reaches the folder: the router refuses it (400).
    assert.equal((await app.inject({ url: '/docs/%E0%A4%A' })).statusCode, 400);
  });

  it('lets only same-origin scripts and the page’s own inline scripts (by hash) run', async () => {
    const answer = await app.inject({ url: '/docs/' });
    const policy = String(answer.headers['content-security-policy']);
    const hash = createHash('sha256').update(IMPORT_MAP).digest('base64');
    const scriptSrc = policy.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'));
    assert.equal(scriptSrc, `script-src 'self' 'sha256-${hash}'`);
    assert.match(policy, /object-src 'none'/);
    assert.match(policy, /frame-ancestors 'none'/);
    assert.deepEqual(inlineScriptHashes('<script src="/x.js"></script><script></script>'), [], 'scripts with a src or no body add nothing');
  });
});
