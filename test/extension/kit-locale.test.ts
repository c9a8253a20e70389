/**
 * The kit's translations reach the extension: `extension/ui-language.ts` finds the kit's locale
 * modules with `import.meta.glob`, which matches nothing (silently) when its path is wrong, and the
 * popup's token list then stays English in a German browser. Builds the real extension (`wxt build`,
 * a few seconds) and looks for the German kit strings in its scripts.
 * Run: `npm run test:ext-unit`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

function scripts(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? scripts(path) : name.endsWith('.js') ? [path] : [];
  });
}

test('the built extension carries the kit German strings as a chunk of their own', () => {
  const run = spawnSync('npx', ['wxt', 'build'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  // A string only the kit's German locale (components/locales/de.ts) holds.
  const marker = 'Persönliche Zugriffstokens';
  const holding = scripts(join(ROOT, '.output/chrome-mv3')).filter((file) => readFileSync(file, 'utf8').includes(marker));
  assert.equal(holding.length, 1, `one script holds the kit's German strings (found ${holding.length})`);
  assert.ok(!/popup|options|role-panel/.test(holding[0]!.split('/').pop()!), `${holding[0]} is a chunk loaded on demand, not a page script`);
});
