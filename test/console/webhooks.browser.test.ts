/**
 * The console's Webhooks page against the REAL patkit server the runner starts, in cookie mode on
 * the runner's own origin (its `/api/v1` proxy), as the console runs in production: the admin allows
 * private targets (after typing the password again), creates a webhook (the secret is shown once, copy works), pauses and resumes it,
 * sends a ping and sees the failed attempt in the delivery log (the target is a closed loopback
 * port, so the error is real), and deletes it after a confirmation. A member sees no Webhooks page.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { mountConsole, type AdminConsole } from '../../console/app.ts';
import type { PatConfirmDialog } from '../../components/confirm-dialog/confirm-dialog.component.ts';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import { after, before, describe, it } from '../support/mocha.ts';
import { api, bearerSession, loadEnv, type Env } from '../support/real-server.ts';
import { consoleDriver, text } from './console-driver.ts';
import { loadConsoleCss } from '../support/console-css.ts';

// The token list's row measuring can raise the browser's benign "ResizeObserver loop" notice,
// which would otherwise fail a test through window.onerror (as in the kit's own list tests).
setupIgnoreWindowResizeObserverLoopErrors(before, after);

const root = document.createElement('div');
const TARGET = 'http://127.0.0.1:1/patkit-console-test';

const { byLabel, button, signIn } = consoleDriver(root);

describe('console: webhooks', () => {
  let console_: AdminConsole | null = null;
  let admin = '';
  let env: Env;

  after(async () => {
    // Leave the shared server as it was: private targets off, no webhook of ours.
    if (admin) {
      const list = (await (await api(env, admin, 'GET', '/api/v1/webhooks')).json()) as { items: Array<{ id: string; url: string }> };
      for (const hook of list.items.filter((w) => w.url === TARGET)) await api(env, admin, 'DELETE', `/api/v1/webhooks/${hook.id}`);
      await api(env, admin, 'PATCH', '/api/v1/settings', { allow_private_webhook_targets: false });
      await api(env, admin, 'DELETE', '/api/v1/sessions/current');
    }
    await console_?.provider.signOut().catch(() => undefined);
    root.remove();
    history.replaceState(null, '', location.pathname + location.search);
  });

  it('admin creates a webhook (secret once, copy), pauses, resumes, pings, reads the delivery log and deletes it', async () => {
    env = await loadEnv();
    await loadConsoleCss();
    admin = await bearerSession(env, 'admin', env.adminPassword);
    await api(env, admin, 'PATCH', '/api/v1/settings', { allow_private_webhook_targets: false });
    document.body.append(root);
    console_ = await mountConsole(root, { baseUrl: location.origin, sessionMode: 'cookie' });
    await signIn('admin', env.adminPassword);

    // Activating a nav item (bold) moves none of the items sideways.
    const navBoxes = (): Array<[number, number]> => [...root.querySelectorAll('nav a')].map((a) => [Math.round(a.getBoundingClientRect().left), Math.round(a.getBoundingClientRect().width)]);
    const navBefore = navBoxes();
    expect(root.querySelector('nav a[data-route="webhooks"]')!.getAttribute('aria-current')).to.equal(null);
    location.hash = '#/webhooks';
    await waitUntil(() => root.querySelector('nav a[aria-current="page"][data-route="webhooks"]'), 'on the Webhooks page');
    expect(getComputedStyle(root.querySelector('nav a[data-route="webhooks"]')!).fontWeight).to.equal('600');
    expect(navBoxes(), 'nav items keep their place and width').to.deep.equal(navBefore);
    // The page heading is larger than the section headings under it.
    const size = (node: Element | null): number => parseFloat(getComputedStyle(node!).fontSize);
    expect(size(root.querySelector('main h1'))).to.be.greaterThan(size(root.querySelector('main h2')));
    await waitUntil(() => !byLabel('Allow http and private network targets').disabled, 'setting loaded', { timeout: 5000 });
    expect(text(root.querySelector('h1'))).to.equal('Webhooks');
    await expect(root).to.be.accessible();

    // With private targets off, the loopback http target is refused with the server's reason.
    byLabel('Receiver URL').value = TARGET;
    button('Create webhook').click();
    await waitUntil(() => text(root.querySelector('.webhook-form .error')) !== '', 'refused', { timeout: 5000 });
    expect(text(root.querySelector('.webhook-form .error'))).to.match(/https/);
    // ...naming the switch on this page in words, not the server's internal setting name.
    expect(text(root.querySelector('.webhook-form .error'))).to.contain('"Allow http and private network targets"');
    expect(text(root.querySelector('.webhook-form .error'))).not.to.contain('allow_private_webhook_targets');
    const switchHelp = (): string => text(root.querySelector('#allow-private-targets-help'));
    expect(switchHelp()).to.match(/^Off \(recommended\)/);

    // No event chosen: said before anything is sent.
    for (const box of root.querySelectorAll<HTMLInputElement>('input[name="events"]')) box.checked = false;
    button('Create webhook').click();
    expect(text(root.querySelector('.webhook-form .error'))).to.equal('Choose at least one event.');

    // Allow private targets (the switch): it asks for the password first (docs/security.md rule 31).
    const confirm = root.querySelector('pat-confirm-dialog') as PatConfirmDialog;
    const dialogOpen = (): boolean => confirm.shadowRoot!.querySelector('dialog')?.open === true;
    const passwordField = (): HTMLInputElement => confirm.shadowRoot!.querySelector<HTMLInputElement>('input[type="password"]')!;
    const privateAllowed = async (): Promise<boolean> =>
      ((await (await api(env, admin, 'GET', '/api/v1/settings')).json()) as { allow_private_webhook_targets: boolean }).allow_private_webhook_targets;
    const toggle = byLabel('Allow http and private network targets');
    toggle.click();
    await waitUntil(dialogOpen, 'the password is asked for');
    expect(text(confirm.shadowRoot!.querySelector('h2'))).to.equal('Allow http and private network targets?');
    await expect(confirm).to.be.accessible();
    confirm.shadowRoot!.querySelector<HTMLButtonElement>('[part="cancel"]')!.click();
    await waitUntil(() => !dialogOpen() && !toggle.checked, 'cancelled: the switch is off again');
    expect(await privateAllowed()).to.equal(false);

    toggle.click();
    await waitUntil(dialogOpen, 'asked again');
    passwordField().value = 'not-the-admin-password';
    confirm.shadowRoot!.querySelector<HTMLButtonElement>('[part="confirm"]')!.click();
    await waitUntil(() => dialogOpen() && text(confirm.shadowRoot!.querySelector('form')).includes('That password is not correct.'), 'wrong password: asked again, with the reason', { timeout: 5000 });
    expect(await privateAllowed()).to.equal(false);
    passwordField().value = env.adminPassword;
    confirm.shadowRoot!.querySelector<HTMLButtonElement>('[part="confirm"]')!.click();
    await waitUntil(() => text(root.querySelector('main [role="status"]')) === 'Webhooks may now use http and private addresses.', 'allowed', { timeout: 5000 });
    expect(toggle.checked).to.equal(true);
    expect(await privateAllowed()).to.equal(true);
    expect(switchHelp(), 'the help follows the switch').to.match(/^On:/);

    byLabel('Receiver URL').value = TARGET;
    byLabel('Description (optional)').value = 'console test';
    root.querySelector<HTMLInputElement>('#event-token-disabled')!.checked = true;
    root.querySelector<HTMLInputElement>('#event-token-rotated')!.checked = true;
    button('Create webhook').click();
    await waitUntil(() => root.querySelector('#webhook-secret'), 'secret shown', { timeout: 5000 });
    const secret = text(root.querySelector('#webhook-secret'));
    expect(secret).to.match(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(document.activeElement?.id).to.equal('webhook-secret-title');
    await expect(root).to.be.accessible();

    // Copy reports its outcome (headless Chromium may or may not grant the clipboard; both are said).
    button('Copy secret').click();
    await waitUntil(() => text(root.querySelector('.secret-panel [role="status"]')) !== '', 'copy outcome');
    expect(text(root.querySelector('.secret-panel [role="status"]'))).to.match(/^(Copied\.|Copying failed)/);

    await waitUntil(() => root.querySelector('tr[data-webhook]'), 'listed', { timeout: 5000 });
    const rowEl = root.querySelector<HTMLElement>('tr[data-webhook]')!;
    // Styled like the console's other tables: left-aligned headers, padded cells, rows ruled apart.
    for (const th of root.querySelectorAll('table.webhooks th')) expect(getComputedStyle(th).textAlign).to.equal('left');
    const stateCell = rowEl.children[2]!;
    const descriptionCell = rowEl.children[3]!;
    expect(descriptionCell.getBoundingClientRect().left - stateCell.getBoundingClientRect().left - stateCell.getBoundingClientRect().width).to.be.at.least(0);
    expect(parseFloat(getComputedStyle(stateCell).paddingRight), '"State" and "Description" do not run together').to.be.at.least(6);
    expect(getComputedStyle(stateCell).borderBottomStyle).to.equal('solid');
    expect(text(rowEl)).to.contain(TARGET);
    expect(text(rowEl)).to.contain('token.disabled, token.rotated');
    expect(text(rowEl)).to.contain('Active');
    expect(root.textContent!.split(secret).length - 1, 'secret shown once, in its panel only').to.equal(1);

    button('Done').click();
    expect(root.querySelector('#webhook-secret'), 'the secret is gone from the page').to.equal(null);
    expect(root.textContent).not.to.contain(secret);

    // Pause, then resume.
    button(`Pause ${TARGET}`).click();
    await waitUntil(() => text(rowEl.children[2]) === 'Paused', 'paused', { timeout: 5000 });
    const id = rowEl.dataset.webhook!;
    const paused = (await (await api(env, admin, 'GET', `/api/v1/webhooks/${id}`)).json()) as { active: boolean };
    expect(paused.active).to.equal(false);
    button(`Resume ${TARGET}`).click();
    await waitUntil(() => text(rowEl.children[2]) === 'Active', 'resumed', { timeout: 5000 });

    // Ping: the delivery log shows the attempt against the closed port, with its error.
    button(`Send ping to ${TARGET}`).click();
    await waitUntil(() => root.querySelector('.delivery-log tr[data-delivery]'), 'delivery listed', { timeout: 5000 });
    const refresh = (): void => button('Refresh', root.querySelector('.delivery-log')!).click();
    await waitUntil(
      () => {
        const cells = root.querySelector('.delivery-log tr[data-delivery]')?.children;
        if (cells && text(cells[3]).startsWith('1 of')) return true;
        if (!button('Refresh', root.querySelector('.delivery-log')!).disabled) refresh();
        return false;
      },
      'first attempt logged',
      { timeout: 10000, interval: 300 },
    );
    const cells = root.querySelector('.delivery-log tr[data-delivery]')!.children;
    expect(text(cells[1])).to.equal('webhook.ping');
    expect(text(cells[2])).to.equal('Retrying');
    expect(text(cells[3])).to.match(/^1 of 5/);
    expect(text(cells[4])).to.equal('no answer');
    expect(text(cells[5])).to.match(/ECONNREFUSED/);
    expect(text(cells[6])).not.to.equal('—');
    // The delivery log is a full-width, padded table, not a cramped one.
    const deliveries = root.querySelector<HTMLElement>('table.deliveries')!;
    expect(deliveries.getBoundingClientRect().width).to.be.closeTo(root.querySelector('.delivery-log')!.getBoundingClientRect().width, 1);
    for (const cell of cells) expect(parseFloat(getComputedStyle(cell).paddingLeft)).to.be.at.least(6);
    for (const th of deliveries.querySelectorAll('th')) expect(getComputedStyle(th).textAlign).to.equal('left');
    await expect(root).to.be.accessible();

    // Delete asks first; Cancel keeps it, confirming deletes it.
    button(`Delete ${TARGET}`).click();
    await waitUntil(() => confirm.shadowRoot!.querySelector('dialog')?.open, 'asked first');
    expect(text(confirm.shadowRoot!.querySelector('h2'))).to.equal(`Delete the webhook for ${TARGET}?`);
    confirm.shadowRoot!.querySelector<HTMLButtonElement>('[part="cancel"]')!.click();
    await waitUntil(() => !confirm.shadowRoot!.querySelector('dialog')?.open, 'closed');
    expect(root.querySelector('tr[data-webhook]')).not.to.equal(null);
    expect((await api(env, admin, 'GET', `/api/v1/webhooks/${id}`)).status).to.equal(200);
    button(`Delete ${TARGET}`).click();
    await waitUntil(() => confirm.shadowRoot!.querySelector('dialog')?.open, 'asked again');
    confirm.shadowRoot!.querySelector<HTMLButtonElement>('[part="confirm"]')!.click();
    await waitUntil(() => root.querySelector('tr[data-webhook]') === null, 'deleted', { timeout: 5000 });
    expect(text(root.querySelector('main [role="status"]'))).to.contain('No webhooks left');
    expect((await api(env, admin, 'GET', `/api/v1/webhooks/${id}`)).status).to.equal(404);
  });

  it('a member sees no Webhooks page, and the API refuses them', async () => {
    await console_!.provider.signOut();
    root.replaceChildren();
    const password = 'webhook-member-pw-1';
    const created = await api(env, admin, 'POST', '/api/v1/users', { username: 'hooks-member', display_name: 'Hooks member', password, roles: ['system_user'] });
    expect([201, 409]).to.include(created.status);
    if (created.status === 409) {
      const list = (await (await api(env, admin, 'GET', '/api/v1/users?q=hooks-member')).json()) as { items: Array<{ id: string; username: string }> };
      await api(env, admin, 'PATCH', `/api/v1/users/${list.items.find((u) => u.username === 'hooks-member')!.id}`, { password, active: true });
    }
    console_ = await mountConsole(root, { baseUrl: location.origin, sessionMode: 'cookie' });
    await signIn('hooks-member', password);
    expect(root.querySelector('nav a[data-route="webhooks"]')).to.equal(null);
    location.hash = '#/webhooks';
    await waitUntil(() => root.querySelector('nav a[aria-current="page"]'), 'routed');
    expect(root.querySelector('nav a[aria-current="page"]')!.getAttribute('data-route')).to.equal('my-tokens');
    const refused = await fetch('/api/v1/webhooks', { credentials: 'same-origin' });
    expect(refused.status).to.equal(403);
  });
});
