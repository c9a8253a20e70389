/**
 * Popup checks of the extension journey for an organisation or group token that is revoked: its
 * actions are quiet buttons except Delete, a danger one; Enable asks for the password naming the
 * token and says "Enter your password…" once, then the token is active again.
 */
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { click, fill } from './pages.ts';

export async function checkScopedTokenActions(popup: Page, token: { id: string; name: string }, password: string): Promise<void> {
  const tokenId = token.id;
  // Delete is styled as the danger it is; the other actions are quiet.
  const buttons = await popup.$$eval(`#org-view li[data-token-id="${tokenId}"] .actions button`, (nodes) =>
    nodes.map((b) => ({ text: b.textContent, cls: b.className, bg: getComputedStyle(b).backgroundColor })),
  );
  assert.deepEqual(buttons.map((b) => [b.text, b.cls]), [['Enable', 'secondary'], ['Delete', 'danger']]);
  assert.equal(buttons[1]!.bg, 'rgb(185, 28, 28)');
  // Enable asks for the password (the server's policy) naming the token, its sentence said once.
  await click(popup, `#org-view ::-p-aria(Enable: ${token.name})`);
  await popup.waitForSelector('pat-confirm-dialog >>> dialog[open]', { timeout: 10_000 });
  const question = await popup.$eval('pat-confirm-dialog', (d) => ({
    title: d.shadowRoot!.querySelector('h2')!.textContent,
    text: d.shadowRoot!.querySelector('form')!.textContent!,
  }));
  assert.equal(question.title, `Enable token: ${token.name}`);
  assert.equal(question.text.split('Enter your password to confirm this change.').length - 1, 1, question.text);
  await fill(popup, 'pat-confirm-dialog >>> input[type=password]', password);
  await click(popup, 'pat-confirm-dialog >>> [part="confirm"]');
  await popup.waitForFunction(
    (id) => document.querySelector(`#org-view li[data-token-id="${id}"] .state`)?.textContent === 'Active',
    { timeout: 10_000 },
    tokenId,
  );
}
