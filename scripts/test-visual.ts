/**
 * `npm run test:visual`: the visual regression suite (test/visual/). Builds what it photographs
 * (the kit and the console into dist/, the documentation site into dist/docs, the e2e extension
 * into .output/chrome-mv3-e2e), then runs the suite's test files with node:test.
 *
 *   npm run test:visual                      compare every screen with test/visual/baselines/
 *   npm run test:visual -- --update          rewrite the baselines (PATKIT_UPDATE_BASELINES=1 does
 *                                            the same); with no file named, baselines no screen
 *                                            takes any more are removed too
 *   npm run test:visual -- --no-build        use dist/ and .output/ as they are
 *   npm run test:visual -- test/visual/kit.test.ts   one file
 *
 * Failures leave the actual and diff PNGs in test/visual/failures/ (git-ignored).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildExtension } from '../test/e2e/harness.ts';
import { BASELINES } from '../test/visual/compare.ts';

const ROOT = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const update = args.includes('--update') || process.env.PATKIT_UPDATE_BASELINES === '1';
const build = !args.includes('--no-build');
const files = args.filter((a) => !a.startsWith('--'));

function npm(script: string): void {
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm run ${script} failed`);
}

if (build) {
  npm('build:kit');
  npm('docs:build');
  buildExtension('e2e');
}

if (update && files.length === 0) {
  // Every baseline is written again; one no screen takes any more (a removed example) goes.
  for (const file of readdirSync(BASELINES)) if (file.endsWith('.png')) rmSync(join(BASELINES, file));
}

const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=1', '--test-timeout=300000', '--test-force-exit', ...(files.length > 0 ? files : ['test/visual/*.test.ts'])],
  { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...(update ? { PATKIT_UPDATE_BASELINES: '1' } : {}) } },
);
process.exit(result.status ?? 1);
