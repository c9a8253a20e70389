/**
 * The visual suite's comparison (compare.ts) on made-up PNGs: an identical shot passes, a 1-px
 * line or a grown box fails and leaves the actual and diff PNGs named in the message, a missing
 * baseline says how to make one, and update mode writes a baseline only from two equal shots.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { PNG } from 'pngjs';
import { baselineFile, diffPngs, expectMatchesBaseline, withinTolerance, type Dirs } from './compare.ts';

/** A white image with an optional black horizontal line at `lineY`. */
function png(width: number, height: number, lineY?: number): Buffer {
  const image = new PNG({ width, height });
  image.data.fill(255);
  if (lineY !== undefined) for (let x = 0; x < width; x += 1) image.data.set([0, 0, 0, 255], (lineY * width + x) * 4);
  return PNG.sync.write(image);
}

let dirs: Dirs;
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'patkit-visual-compare-'));
  dirs = { baselines: join(root, 'baselines'), failures: join(root, 'failures') };
  delete process.env.PATKIT_UPDATE_BASELINES;
});
afterEach(() => {
  delete process.env.PATKIT_UPDATE_BASELINES;
  rmSync(root, { recursive: true, force: true });
});

test('a baseline is written in update mode only when two shots agree', async () => {
  process.env.PATKIT_UPDATE_BASELINES = '1';
  let n = 0;
  await assert.rejects(
    expectMatchesBaseline('unit/flicker', async () => png(300, 100, n++ === 0 ? 10 : 11), dirs),
    /two shots in a row differ/,
  );
  assert.equal(existsSync(join(dirs.baselines, 'unit--flicker.png')), false);
  await expectMatchesBaseline('unit/box', async () => png(300, 100, 10), dirs);
  assert.ok(readFileSync(join(dirs.baselines, 'unit--box.png')).equals(png(300, 100, 10)));
});

test('the same image passes; a 1-px line moved by one pixel fails with actual and diff images', async () => {
  process.env.PATKIT_UPDATE_BASELINES = '1';
  await expectMatchesBaseline('unit/box', async () => png(300, 100, 10), dirs);
  delete process.env.PATKIT_UPDATE_BASELINES;
  await expectMatchesBaseline('unit/box', async () => png(300, 100, 10), dirs);
  const error = await expectMatchesBaseline('unit/box', async () => png(300, 100, 11), dirs).then(
    () => assert.fail('a moved line passed'),
    (e: Error) => e,
  );
  assert.match(error.message, /600 of 30000 pixels differ/);
  for (const file of ['unit--box.actual.png', 'unit--box.diff.png']) {
    assert.ok(error.message.includes(join(dirs.failures, file)), error.message);
    assert.ok(existsSync(join(dirs.failures, file)), file);
  }
});

test('a box of another size fails, with a diff image on the larger canvas', async () => {
  process.env.PATKIT_UPDATE_BASELINES = '1';
  await expectMatchesBaseline('unit/box', async () => png(300, 100), dirs);
  delete process.env.PATKIT_UPDATE_BASELINES;
  await assert.rejects(expectMatchesBaseline('unit/box', async () => png(300, 104), dirs), /the size changed \(baseline 300×100, actual 300×104\)/);
  const diff = PNG.sync.read(readFileSync(join(dirs.failures, 'unit--box.diff.png')));
  assert.deepEqual([diff.width, diff.height], [300, 104]);
});

test('a missing baseline fails and names the update command', async () => {
  await assert.rejects(expectMatchesBaseline('unit/new', async () => png(10, 10), dirs), /no baseline .*npm run test:visual -- --update/);
});

test('the tolerance: a few stray pixels pass, a line across a small box does not', () => {
  const base = png(1000, 1000);
  const stray = new PNG({ width: 1000, height: 1000 });
  stray.data.fill(255);
  for (let i = 0; i < 50; i += 1) stray.data.set([0, 0, 0, 255], (i * 20 * 1000 + i * 7) * 4);
  assert.equal(withinTolerance(diffPngs(base, PNG.sync.write(stray))), true);
  assert.equal(withinTolerance(diffPngs(png(300, 100), png(300, 100, 50))), false);
});

test('shot names become flat file names and cannot leave the folder', () => {
  assert.equal(baselineFile('kit/token-list/1-admin.dark'), 'kit--token-list--1-admin.dark.png');
  assert.throws(() => baselineFile('../escape'), /bad shot name/);
  assert.throws(() => baselineFile('Kit/Upper'), /bad shot name/);
});
