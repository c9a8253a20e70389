/**
 * Screenshots against the committed baselines (test/visual/baselines/<name>.png), with pixelmatch.
 *
 * - A pixel differs when its colour distance is over {@link THRESHOLD} (pixelmatch's 0–1 scale;
 *   0.1 is its default, below what an eye notices) and it is not anti-aliasing (pixelmatch tells
 *   those apart, so font smoothing at an edge does not count).
 * - An image passes when at most {@link MAX_DIFF_FRACTION} of its pixels (0.01%) differ, and never
 *   more than {@link MAX_DIFF_PIXELS}. Measured: runs after the baselines were written (other
 *   processes, browsers and servers, the machine under load) differed by 0 pixels on every screen, so this is only slack for a stray edge pixel of text rasterised on
 *   another machine of the same image; it is kept below what the smallest regression costs: a
 *   1-px shift of one table rule across a 300-px box is 300 pixels, a changed word several hundred.
 * - A different size is a failure by itself (a box grew or shrank).
 *
 * On a failure the actual image and a diff image (changed pixels red over a faded copy) are written
 * to test/visual/failures/ (git-ignored) and named in the assertion message.
 *
 * Update mode (`npm run test:visual -- --update`, or PATKIT_UPDATE_BASELINES=1): every screenshot
 * becomes its baseline. A shot is taken twice in a row and must come out the same both times, so an
 * unstable screen is never committed as a baseline.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

export const BASELINES = join(import.meta.dirname, 'baselines');
export const FAILURES = join(import.meta.dirname, 'failures');

export const THRESHOLD = 0.1;
export const MAX_DIFF_FRACTION = 0.0001;
export const MAX_DIFF_PIXELS = 100;

export function updating(): boolean {
  return process.env.PATKIT_UPDATE_BASELINES === '1';
}

export interface Diff {
  /** Pixels over the threshold (anti-aliasing not counted), or -1 when the sizes differ. */
  pixels: number;
  total: number;
  /** Changed pixels in red over a faded copy (of two sizes: on the larger canvas). */
  image?: Buffer;
  sizes: string;
}

/** A copy of the image on a larger canvas (the added area magenta), so images of two sizes can be diffed. */
function padded(image: PNG, width: number, height: number): PNG {
  if (image.width === width && image.height === height) return image;
  const out = new PNG({ width, height });
  for (let i = 0; i < out.data.length; i += 4) out.data.set([255, 0, 255, 255], i);
  PNG.bitblt(image, out, 0, 0, image.width, image.height, 0, 0);
  return out;
}

/** How two PNGs differ, by pixelmatch; of two sizes, both are put on the larger canvas for the diff image. */
export function diffPngs(expected: Buffer, actual: Buffer): Diff {
  const a = PNG.sync.read(expected);
  const b = PNG.sync.read(actual);
  const sizes = `baseline ${a.width}×${a.height}, actual ${b.width}×${b.height}`;
  const width = Math.max(a.width, b.width);
  const height = Math.max(a.height, b.height);
  const out = new PNG({ width, height });
  const pixels = pixelmatch(padded(a, width, height).data, padded(b, width, height).data, out.data, width, height, { threshold: THRESHOLD, includeAA: false });
  const sameSize = a.width === b.width && a.height === b.height;
  return { pixels: sameSize ? pixels : -1, total: width * height, image: PNG.sync.write(out), sizes };
}

/** Whether a diff is within what the suite allows (see the header). */
export function withinTolerance(diff: Diff): boolean {
  return diff.pixels >= 0 && diff.pixels <= Math.min(MAX_DIFF_PIXELS, Math.floor(diff.total * MAX_DIFF_FRACTION));
}

/** A baseline's file name from a shot's name: `token-list/1-admin-inventory.dark` → `token-list--1-admin-inventory.dark.png`. */
export function baselineFile(name: string): string {
  if (!/^[a-z0-9][a-z0-9./-]*$/.test(name) || name.includes('..')) throw new Error(`bad shot name: ${name}`);
  return `${name.replaceAll('/', '--')}.png`;
}

/** Where baselines are read and failures written (the suite's folders; a unit test passes its own). */
export interface Dirs {
  baselines: string;
  failures: string;
}

/**
 * Checks one screenshot against its baseline and throws an Error naming the written actual and
 * diff images when it is off. In update mode `shoot` runs twice and the baseline is written when
 * both shots agree.
 */
export async function expectMatchesBaseline(name: string, shoot: () => Promise<Buffer>, dirs: Dirs = { baselines: BASELINES, failures: FAILURES }): Promise<void> {
  const file = baselineFile(name);
  const baseline = join(dirs.baselines, file);
  const first = await shoot();
  if (updating()) {
    const second = await shoot();
    const diff = diffPngs(first, second);
    if (diff.pixels !== 0) {
      const written = writeFailure(dirs.failures, file, second, diff);
      throw new Error(`${name}: two shots in a row differ (${diff.pixels < 0 ? diff.sizes : `${diff.pixels} pixels`}): not stable enough for a baseline; see ${written}`);
    }
    mkdirSync(dirs.baselines, { recursive: true });
    writeFileSync(baseline, first);
    return;
  }
  if (!existsSync(baseline)) {
    const written = writeFailure(dirs.failures, file, first);
    throw new Error(`${name}: no baseline ${join('test/visual/baselines', file)}; the shot is ${written}. Run \`npm run test:visual -- --update\` and commit the new PNG.`);
  }
  const diff = diffPngs(readFileSync(baseline), first);
  if (withinTolerance(diff)) {
    clearFailure(dirs.failures, file);
    return;
  }
  const written = writeFailure(dirs.failures, file, first, diff);
  const what = diff.pixels < 0 ? `the size changed (${diff.sizes})` : `${diff.pixels} of ${diff.total} pixels differ (${((100 * diff.pixels) / diff.total).toFixed(3)}%)`;
  throw new Error(`${name}: ${what}; see ${written}. If the change is intended: npm run test:visual -- --update`);
}

function writeFailure(failures: string, file: string, actual: Buffer, diff?: Diff): string {
  mkdirSync(failures, { recursive: true });
  const actualPath = join(failures, file.replace(/\.png$/, '.actual.png'));
  writeFileSync(actualPath, actual);
  if (!diff?.image) return actualPath;
  const diffPath = join(failures, file.replace(/\.png$/, '.diff.png'));
  writeFileSync(diffPath, diff.image);
  return `${actualPath} and ${diffPath}`;
}

function clearFailure(failures: string, file: string): void {
  for (const suffix of ['.actual.png', '.diff.png']) rmSync(join(failures, file.replace(/\.png$/, suffix)), { force: true });
}
