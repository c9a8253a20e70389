/**
 * lib/ must run in a page, in an extension service worker and in Node 24 (by type stripping): no DOM
 * framework, no extension API, erasable TypeScript only, explicit `.ts` imports. Loading every module
 * under Node proves the last two; the scan proves the first two.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const LIB = fileURLToPath(new URL('../../lib/', import.meta.url));

async function libFiles(dir = LIB): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await libFiles(path)));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

test('every lib module loads under Node 24 type stripping', async () => {
  const files = await libFiles();
  assert.ok(files.length >= 10, `found ${files.length} modules`);
  for (const file of files) await import(file);
});

test('lib imports no DOM framework and no extension API', async () => {
  const forbidden = [
    /from ['"](lit|lit\/.*|@lit\/.*|react|preact|vue)['"]/,
    /from ['"](wxt|wxt\/.*|#imports|webextension-polyfill|@wxt-dev\/.*)['"]/,
    /\b(chrome|browser)\.(runtime|storage|tabs|permissions)\b/,
    /\bdocument\.|\bwindow\./,
  ];
  for (const file of await libFiles()) {
    const source = await readFile(file, 'utf8');
    for (const pattern of forbidden) assert.doesNotMatch(source, pattern, `${relative(LIB, file)} matches ${pattern}`);
    for (const m of source.matchAll(/from ['"](\.{1,2}\/[^'"]+)['"]/g)) {
      assert.match(m[1] ?? '', /\.ts$/, `${relative(LIB, file)}: relative import without .ts: ${m[1]}`);
    }
  }
});
