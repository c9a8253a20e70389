/**
 * The code the README and the docs mark as runnable (```ts test / ```js test, see test/docs/snippets.ts)
 * is what a reader can paste: every block type-checks as written under the project's strict
 * TypeScript settings (JavaScript through checkJs), with `patkit/…` imports resolved to the kit's
 * sources the way the package's `exports` map them; and the webhook verification code accepts what
 * the server's own signing code signs and refuses what it must refuse. The browser snippets also run
 * from the installed package in test/kit-package/ (consumer, no-bundler) and test/components/loader.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { esmEntries } from '../../kit-package/entries.ts';
import { generateWebhookSecret, signMessage } from '../../server/webhooks/signing.ts';
import { allSnippets, ROOT, snippetsOf, type Snippet } from './snippets.ts';

const snippets = allSnippets();
let dir = '';

/** The file name a snippet is written to: where it comes from, readable in tsc's output. */
const fileFor = (s: Snippet): string => `${s.file.replace(/[^a-z0-9]+/gi, '_')}_L${s.line}.${s.lang}`;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'patkit-snippets-'));
  for (const s of snippets) writeFileSync(join(dir, fileFor(s)), s.code);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('runnable snippets in the README and the docs', () => {
  test('the marker is found where the docs promise runnable code (and only on ts / js blocks)', () => {
    const where = (file: string): number => snippets.filter((s) => s.file === file).length;
    assert.ok(where('docs/getting-started/host-app-kit.md') >= 2, 'the host-app page: the bearer example and the event veto');
    assert.ok(where('docs/guides/webhooks.md') >= 1, 'the webhooks guide: the verification code');
    assert.ok(where('docs/guides/languages.md') >= 2, 'the languages guide: German and a locale of your own');
    assert.ok(where('docs/guides/providers.md') >= 1, 'the providers guide: a provider of your own');
    // The parser itself: a marked block is found with its line; an unmarked or other-language one is not.
    const parsed = snippetsOf('text\n```ts test\nconst a = 1;\n```\n```ts\nconst b = 2;\n```\n```sh test\nls\n```\n', 'x.md');
    assert.deepEqual(parsed, [{ file: 'x.md', line: 3, lang: 'ts', code: 'const a = 1;\n' }]);
  });

  test('every runnable snippet type-checks as written under strict TypeScript', () => {
    const paths: Record<string, string[]> = {};
    for (const entry of esmEntries(ROOT)) paths[entry.subpath === '.' ? 'patkit' : `patkit/${entry.subpath.slice(2)}`] = [join(ROOT, entry.source)];
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: join(ROOT, 'tsconfig.json'),
        compilerOptions: { paths, typeRoots: [join(ROOT, 'node_modules', '@types')], allowJs: true, checkJs: true, noEmit: true },
        include: snippets.map(fileFor),
      }),
    );
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')], { cwd: dir, encoding: 'utf8' });
    const output = `${tsc.stdout}${tsc.stderr}`;
    // Name each failure by its Markdown file and line, so the message says which snippet to fix.
    const byFile = new Map(snippets.map((s) => [fileFor(s), s]));
    const located = output.replace(/^(\S+\.(?:ts|js))\((\d+),\d+\)/gm, (whole, file: string, line: string) => {
      const s = byFile.get(file);
      return s ? `${s.file}:${s.line + Number(line) - 1}` : whole;
    });
    assert.equal(tsc.status, 0, `tsc found errors in the docs' snippets:\n${located}\n(files: ${snippets.map((s) => `${s.file}:${s.line}`).join(', ')})`);
  });

  test('the webhook verification code accepts what the server signs and refuses tampered, late, unsigned and foreign messages', async () => {
    const snippet = snippets.find((s) => s.file === 'docs/guides/webhooks.md' && s.code.includes('export function verify('));
    assert.ok(snippet, 'the webhooks guide exports verify()');
    const { verify } = (await import(pathToFileURL(join(dir, fileFor(snippet))).href)) as {
      verify: (secret: string, headers: Record<string, string | undefined>, body: string) => boolean;
    };
    const secret = generateWebhookSecret();
    const body = JSON.stringify({ type: 'token.rotated', timestamp: new Date().toISOString(), data: { token: { id: 'tok_1' } } });
    const now = Math.floor(Date.now() / 1000);
    const headers = (ts: number, signature: string): Record<string, string> => ({ 'webhook-id': 'msg_1', 'webhook-timestamp': String(ts), 'webhook-signature': signature });
    const signed = signMessage(secret, 'msg_1', now, body);
    assert.equal(verify(secret, headers(now, signed), body), true, 'a message the server signed');
    assert.equal(verify(secret, headers(now, `v1,bm90IGl0 ${signed}`), body), true, 'one good signature among several');
    assert.equal(verify(secret, headers(now, signed), body.replace('tok_1', 'tok_2')), false, 'a tampered body');
    assert.equal(verify(secret, { ...headers(now, signed), 'webhook-id': 'msg_2' }, body), false, 'another message id');
    assert.equal(verify(generateWebhookSecret(), headers(now, signed), body), false, 'another secret');
    const late = now - 600;
    assert.equal(verify(secret, headers(late, signMessage(secret, 'msg_1', late, body)), body), false, 'signed ten minutes ago');
    assert.equal(verify(secret, { 'webhook-id': 'msg_1', 'webhook-timestamp': String(now) }, body), false, 'no signature header');
  });
});
