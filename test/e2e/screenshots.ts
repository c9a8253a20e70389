/**
 * Documentation screenshots taken by the end-to-end tests, only when `PATKIT_SCREENSHOTS=1` asks
 * (docs/guides/console-panel.md shows them): the page as a person sees it, at 1x, written to
 * `docs/<file>`, and refused when it grows past the size the docs allow.
 */
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { ROOT } from './harness.ts';

const MAX_BYTES = 200 * 1024;

export function screenshotsWanted(): boolean {
  return process.env.PATKIT_SCREENSHOTS === '1';
}

/** Writes `docs/<file>` from the page at 1280×800 when asked; otherwise does nothing. */
export async function docsScreenshot(page: Page, file: string): Promise<void> {
  if (!screenshotsWanted()) return;
  await page.setViewport({ width: 1280, height: 800, deviceScaleFactor: 1 });
  // Let the frame settle at the new size (layout, then the panel's own rendering).
  await new Promise((r) => setTimeout(r, 500));
  const path = join(ROOT, 'docs', file);
  await page.screenshot({ path: path as `${string}.png`, type: 'png' });
  const size = statSync(path).size;
  assert.ok(size <= MAX_BYTES, `${file} is ${Math.round(size / 1024)} KB; the docs allow ${MAX_BYTES / 1024} KB`);
}
