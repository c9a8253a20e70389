/**
 * The console's Audit log page against the REAL server the runner starts: the filters the API has
 * (action, user, token id) narrow the list, "Clear" brings every event back, and `user.*` events
 * name the user who was changed. Mounted in bearer mode as console.browser.test.ts explains.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { mountConsole } from '../../console/app.ts';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import { after, before, describe, it } from '../support/mocha.ts';
import { api, bearerSession, loadEnv } from '../support/real-server.ts';
import { submitSignIn } from './console-driver.ts';

// The token list's row measuring can raise the browser's benign "ResizeObserver loop" notice,
// which would otherwise fail a test through window.onerror (as in the kit's own list tests).
setupIgnoreWindowResizeObserverLoopErrors(before, after);

const root = document.createElement('div');
const cells = (column: number): string[] => [...root.querySelectorAll('.audit tbody tr')].map((r) => r.children[column]!.textContent ?? '');
const statusText = (): string => root.querySelector('.audit [role="status"]')?.textContent ?? '';

describe('console: Audit log', () => {
  after(() => {
    root.remove();
    history.replaceState(null, '', location.pathname + location.search);
  });

  it('filters by action, user and token id; user.* events name the changed user', async () => {
    const env = await loadEnv();
    const admin = await bearerSession(env, 'admin', env.adminPassword);
    const username = `audra-${Math.random().toString(36).slice(2, 8)}`;
    const created = await api(env, admin, 'POST', '/api/v1/users', { username, display_name: 'Audra', password: 'audra-audit-pw-7Hk', roles: ['system_user'] });
    const audra = (await created.json()) as { id: string };
    expect((await api(env, admin, 'PUT', `/api/v1/users/${audra.id}/roles`, { roles: ['system_user', 'user_access_token'] })).status).to.equal(200);
    await api(env, admin, 'DELETE', '/api/v1/sessions/current');

    history.replaceState(null, '', `${location.pathname}${location.search}#/audit`);
    document.body.append(root);
    await mountConsole(root, { baseUrl: env.serverUrl, sessionMode: 'bearer' });
    await submitSignIn(root, 'admin', env.adminPassword);
    await waitUntil(() => root.querySelector('.audit-filters') && root.querySelectorAll('.audit tbody tr').length > 0, 'audit log with filters', { timeout: 5000 });
    await expect(root).to.be.accessible();
    // The one date rule: a time is shown with its zone (lib/dates.ts), not a "(UTC)" header.
    expect(cells(0)[0]).to.match(/^\w{3} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M UTC$/);
    expect(root.querySelector('.audit thead th')!.textContent).to.equal('Time');

    // Action: only that action; the changed user is named, not an id.
    root.querySelector<HTMLInputElement>('#audit-action')!.value = 'user.roles_changed';
    root.querySelector<HTMLButtonElement>('.audit-filters button[type="submit"]')!.click();
    await waitUntil(() => cells(1).length > 0 && cells(1).every((a) => a === 'user.roles_changed'), 'only roles changes');
    expect(cells(3)).to.include(username);
    expect(cells(3).some((s) => s.startsWith('usr_'))).to.equal(false);

    // User: every event about audra (created, roles changed), each naming her.
    root.querySelector<HTMLInputElement>('#audit-action')!.value = '';
    const user = root.querySelector<HTMLSelectElement>('#audit-user')!;
    user.value = audra.id;
    root.querySelector<HTMLButtonElement>('.audit-filters button[type="submit"]')!.click();
    await waitUntil(() => cells(1).includes('user.created') && cells(1).length === 2, 'her two events');
    expect(cells(3)).to.deep.equal([username, username]);

    // A token id nothing happened to: says so for the filters.
    user.value = '';
    root.querySelector<HTMLInputElement>('#audit-token')!.value = 'tok_nothing_here';
    root.querySelector<HTMLButtonElement>('.audit-filters button[type="submit"]')!.click();
    await waitUntil(() => statusText() === 'No events match these filters.', 'no match');

    // Clear: everything again.
    root.querySelector<HTMLButtonElement>('.audit-filters button[type="reset"]')!.click();
    await waitUntil(() => cells(1).length > 2, 'every event again');
    expect(root.querySelector<HTMLInputElement>('#audit-token')!.value).to.equal('');
  });
});
