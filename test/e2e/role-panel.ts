/**
 * The role panel step of the extension journey (extension.test.ts): a console mapping saved on the
 * options page, the frame script's toggle on a console page served by the test, the role panel
 * framed in it (roles, identity, admin inventory), what neither the page nor the panel may reach,
 * and the open / closed state remembered per console origin.
 */
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import type { LaunchedExtension } from './harness.ts';
import { click, extensionFrame, fill, sendFromPage } from './pages.ts';
import { focusToggle, panelOpen, waitForToggle } from './panel-host.ts';

const TOKEN_RE = /pat_[0-9A-Za-z]{36}/;

export async function checkRolePanel(ext: LaunchedExtension, options: Page, consoleUrl: string): Promise<void> {
  await options.waitForSelector('body[data-ready="true"]');
  await fill(options, '#panel-form input[name=pattern]', `${consoleUrl}/*`);
  await click(options, '#panel-form input[name=inventory]');
  await click(options, '#panel-form button[type=submit]');
  await options.waitForSelector('#panel-list li');
  const page = await ext.browser.newPage();
  await page.goto(`${consoleUrl}/admin/users`);
  await page.bringToFront();
  // Collapsed until asked for: a button, no frame, nothing over the console's own page.
  await waitForToggle(page);
  assert.equal(await panelOpen(page), 'false');
  assert.equal(page.frames().length, 1, 'no frame before it is asked for');
  // Opened from the keyboard.
  await focusToggle(page);
  await page.keyboard.press('Enter');
  await waitForToggle(page, true, 5_000);
  const frame = await extensionFrame(page, ext, '/role-panel.html');
  assert.ok(frame, `the panel frame is in the page (frames: ${page.frames().map((f) => f.url()).join(', ')})`);
  await frame.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
  await frame.waitForSelector('pat-role-manager >>> [part="user"]', { timeout: 15_000 });
  const text = await frame.$eval('pat-role-manager', (el) => el.shadowRoot?.textContent ?? '');
  assert.match(text, /admin/);
  // It says whose identity it acts with.
  assert.match(await frame.$eval('#identity', (el) => el.textContent ?? ''), /^as \S.* on Local <img src=x/, 'whose identity, as text');
  // Admin inventory mode: every user's tokens (metadata only) in the same panel.
  await frame.waitForSelector('pat-token-list[owner="all"] >>> [part="row"]', { timeout: 15_000 });
  const inventory = await frame.$eval('pat-token-list', (el) => el.shadowRoot?.textContent ?? '');
  assert.match(inventory, /expires soon/);
  assert.doesNotMatch(inventory, TOKEN_RE);
  // The page itself cannot reach into the panel (cross-origin frame) and holds no secret.
  const pageText = await page.evaluate(() => document.documentElement.outerHTML);
  assert.doesNotMatch(pageText, TOKEN_RE);
  // The panel page cannot ask for secrets.
  const refused = await sendFromPage(frame, 'pending.get', {});
  assert.equal(refused.ok, false);
  assert.equal(refused.error.code, 'forbidden');
  // Remembered per console origin: open after a reload; Escape closes it, and that is remembered too.
  await page.reload();
  await waitForToggle(page, true);
  assert.ok(await extensionFrame(page, ext, '/role-panel.html'), 'the panel frame is back after a reload');
  await focusToggle(page);
  await page.keyboard.press('Escape');
  await waitForToggle(page, false, 5_000);
  await page.reload();
  await waitForToggle(page);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await panelOpen(page), 'false', 'stays closed after a reload');
  await page.close();
}
