/**
 * Options page checks of the extension journey: body text of at least 14 px, and "Add server"
 * while the browser's permission prompt is open: the page names the prompt, a second click says
 * so again instead of asking twice. The prompt is held open here by replacing
 * `permissions.request` in the page (a real prompt cannot be left open by a test), then restored.
 */
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { click, fill } from './pages.ts';

export async function checkOptionsTextAndPermissionPrompt(options: Page, serverUrl: string): Promise<void> {
  const sizes = await options.$$eval('body, label, .hint, p', (els) => els.filter((e) => e.checkVisibility()).map((e) => parseFloat(getComputedStyle(e).fontSize)));
  assert.ok(sizes.length > 3 && sizes.every((px) => px >= 14), `font sizes ${sizes.join(', ')}`);
  // The browser's prompt stays open (held here: the real one cannot be left open by a test).
  await options.evaluate(() => {
    const b = (globalThis as any).browser ?? (globalThis as any).chrome;
    const w = window as any;
    w.__realRequest = b.permissions.request;
    w.__asked = 0;
    b.permissions.request = () => ((w.__asked += 1), new Promise((resolve) => (w.__answer = resolve)));
  });
  await fill(options, '#server-form input[name=name]', 'held');
  await fill(options, '#server-form input[name=baseUrl]', serverUrl);
  await click(options, '#save-server');
  const pendingText = "Answer the browser's permission prompt to go on (it may be hidden behind this window).";
  await options.waitForFunction((text) => document.querySelector('#server-pending')?.textContent === text, {}, pendingText);
  await options.$eval('#server-pending', (e) => (e.textContent = ''));
  await click(options, '#save-server');
  await options.waitForFunction((text) => document.querySelector('#server-pending')?.textContent === text, {}, pendingText);
  assert.equal(await options.evaluate(() => (window as any).__asked), 1, 'one prompt, not two');
  await options.evaluate(() => {
    const b = (globalThis as any).browser ?? (globalThis as any).chrome;
    b.permissions.request = (window as any).__realRequest;
    (window as any).__answer(false);
  });
  await options.waitForFunction(() => document.querySelector('#server-pending')?.textContent === '' && /needs your permission/.test(document.querySelector('#server-error')?.textContent ?? ''));
  assert.equal(await options.$$eval('#server-list li.card', (els) => els.length), 0);
}
