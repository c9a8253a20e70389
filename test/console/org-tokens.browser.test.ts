/**
 * Organisation and group access tokens in the console, against the REAL server the runner starts:
 * a group admin opens the Group page's "Access Tokens" tab, creates a token with the admin role,
 * sees it once, revokes it, deletes it. The form on its own is tested beside its component
 * (test/components/scoped-token-form/).
 */
import { expect, waitUntil } from '@open-wc/testing';
import '../../components/scoped-token-form/scoped-token-form.ts';
import type { PatScopedTokenForm } from '../../components/scoped-token-form/scoped-token-form.component.ts';
import type { PatTokenManager } from '../../components/token-manager/token-manager.component.ts';
import type { PatTokenList } from '../../components/token-list/token-list.component.ts';
import { mountConsole } from '../../console/app.ts';
import { PATKIT_TOKEN_PATTERN } from '../../lib/model.ts';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import { after, before, describe, it } from '../support/mocha.ts';
import { api, bearerSession, loadEnv } from '../support/real-server.ts';
import { deepText } from '../support/memory-provider.ts';
import { submitSignIn } from './console-driver.ts';

// The token list's row measuring can raise the browser's benign "ResizeObserver loop" notice,
// which would otherwise fail a test through window.onerror (as in the kit's own list tests).
setupIgnoreWindowResizeObserverLoopErrors(before, after);

describe('console: Group page → Access Tokens', () => {
  const root = document.createElement('div');
  after(() => {
    root.remove();
    history.replaceState(null, '', location.pathname + location.search);
  });

  it('a group admin creates a group token with the admin role, sees it once, revokes it, deletes it', async () => {
    const env = await loadEnv();
    // Setup through the API as admin: PATs on, an organisation with a group, gina its group admin.
    const admin = await bearerSession(env, 'admin', env.adminPassword);
    await api(env, admin, 'PATCH', '/api/v1/settings', { enable_personal_access_tokens: true });
    const suffix = Math.random().toString(36).slice(2, 8);
    const org = (await (await api(env, admin, 'POST', '/api/v1/orgs', { name: `Console Org ${suffix}` })).json()) as { id: string };
    const group = (await (await api(env, admin, 'POST', `/api/v1/orgs/${org.id}/groups`, { name: 'Console Group' })).json()) as { id: string };
    const password = 'gina-console-pw-4Kd';
    const user = (await (await api(env, admin, 'POST', '/api/v1/users', { username: `gina-${suffix}`, display_name: 'Gina', password, roles: ['system_user'] })).json()) as {
      id: string;
    };
    expect((await api(env, admin, 'PUT', `/api/v1/orgs/${org.id}/groups/${group.id}/members/${user.id}`, { role: 'admin' })).status).to.equal(200);
    await api(env, admin, 'DELETE', '/api/v1/sessions/current');

    document.body.append(root);
    await mountConsole(root, { baseUrl: env.serverUrl, sessionMode: 'bearer' });
    await submitSignIn(root, `gina-${suffix}`, password);
    await waitUntil(() => root.querySelector('nav a[data-route="organizations"]'), 'Organizations in the nav', { timeout: 5000 });

    // Organizations → the group → its page, "Access Tokens" tab selected.
    location.hash = '#/organizations';
    await waitUntil(() => [...root.querySelectorAll('main a')].some((a) => a.textContent === 'Console Group'), 'group listed', { timeout: 5000 });
    [...root.querySelectorAll<HTMLAnchorElement>('main a')].find((a) => a.textContent === 'Console Group')!.click();
    await waitUntil(() => root.querySelector('[role="tab"][aria-selected="true"]'), 'Group page', { timeout: 5000 });
    expect(root.querySelector('h1')!.textContent).to.equal('Group: Console Group');
    expect(root.querySelector('.crumbs')!.textContent).to.equal(`Organizations / Console Org ${suffix}`);
    expect(root.querySelector('[role="tab"][aria-selected="true"]')!.textContent).to.equal('Access Tokens');
    const manager = root.querySelector('pat-token-manager') as PatTokenManager;
    expect(manager.scopeOwner).to.deep.include({ kind: 'group', id: group.id });
    await waitUntil(() => manager.shadowRoot?.querySelector('[part="create"]'), 'manager');
    const list = manager.shadowRoot!.querySelector('pat-token-list') as PatTokenList;
    await waitUntil(() => !list.loading, 'list loaded', { timeout: 5000 });
    expect(list.error).to.equal(null);
    const create = manager.shadowRoot!.querySelector<HTMLButtonElement>('[part="create"]')!;
    expect(create.textContent!.trim()).to.equal('Create access token');
    await expect(root).to.be.accessible();

    // Create access token: name, the admin role, the scope line; the password when the policy asks.
    create.click();
    await waitUntil(() => manager.shadowRoot!.querySelector<HTMLDialogElement>('[part="wizard-dialog"]')!.open, 'dialog open');
    const form = manager.shadowRoot!.querySelector('pat-scoped-token-form') as PatScopedTokenForm;
    const f = form.shadowRoot!;
    f.querySelector<HTMLInputElement>('input[name="name"]')!.value = 'deploy bot';
    f.querySelector<HTMLInputElement>('input[name="admin_role"]')!.click();
    await form.updateComplete;
    expect(f.querySelector('[part="scope-line"]')!.textContent!.trim()).to.equal('Will have group admin scope.');
    const passwordField = f.querySelector<HTMLInputElement>('input[name="password"]');
    if (passwordField) {
      passwordField.value = password;
      passwordField.dispatchEvent(new InputEvent('input'));
    }
    f.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();

    // Seen once.
    const reveal = (): HTMLElement | null => manager.shadowRoot!.querySelector('pat-reveal-dialog');
    await waitUntil(() => reveal()?.shadowRoot?.querySelector('[part~="secret"]') || f.querySelector('[role="alert"]'), 'answer', { timeout: 5000 });
    expect(f.querySelector('[role="alert"]')?.textContent ?? '', 'no form error').to.equal('');
    const secret = reveal()!.shadowRoot!.querySelector('[part~="secret"]')!.textContent!;
    expect(reveal()!.shadowRoot!.querySelector('h2')!.textContent).to.equal('Your new group access token: deploy bot');
    expect(secret).to.match(PATKIT_TOKEN_PATTERN);
    reveal()!.shadowRoot!.querySelector<HTMLButtonElement>('[part="close"]')!.click();
    await waitUntil(() => reveal()?.shadowRoot?.querySelector('[part="acknowledge"]'), 'asked to confirm');
    reveal()!.shadowRoot!.querySelector<HTMLButtonElement>('[part="acknowledge"]')!.click();
    await waitUntil(() => !reveal(), 'reveal gone');
    expect(deepText(document)).not.to.contain(secret);
    const me = await api(env, secret, 'GET', '/api/v1/users/me');
    expect(me.status).to.equal(200);
    expect(((await me.json()) as { kind: string }).kind).to.equal('technical');
    await waitUntil(() => list.tokens.some((t) => t.name === 'deploy bot'), 'token listed', { timeout: 5000 });
    const token = list.tokens.find((t) => t.name === 'deploy bot')!;
    expect(token.owner.kind).to.equal('group');
    expect(token.status).to.equal('active');
    const row = (): HTMLElement | undefined => [...list.shadowRoot!.querySelectorAll<HTMLElement>('[part~="row"]')].find((r) => r.textContent!.includes('deploy bot'));
    // The Access column names the group and the role, never the raw permission ids.
    await waitUntil(() => row(), 'row rendered');
    const access = row()!.querySelector('.access')!;
    expect(access.querySelector('.access-summary')!.textContent).to.equal('Console Group: group admin');
    expect(access.textContent).not.to.contain('grp_');

    const confirm = list.shadowRoot!.querySelector('pat-confirm-dialog')!;
    const runMenu = async (action: string, label: string): Promise<void> => {
      await waitUntil(() => row(), 'row rendered');
      row()!.querySelector<HTMLButtonElement>('.menu-trigger')!.click();
      await waitUntil(() => list.shadowRoot!.querySelector(`[data-action="${action}"]`), `${action} offered`);
      const item = list.shadowRoot!.querySelector<HTMLButtonElement>(`[data-action="${action}"]`)!;
      expect(item.textContent!.trim()).to.equal(label);
      // Organisation and group tokens are revoked or deleted, not edited, cloned or regenerated.
      expect(list.shadowRoot!.querySelector('[data-action="edit"], [data-action="clone"], [data-action="regenerate"]')).to.equal(null);
      item.click();
      await waitUntil(() => confirm.shadowRoot!.querySelector('dialog')?.open, `${action} confirmation`);
      const confirmPassword = confirm.shadowRoot!.querySelector<HTMLInputElement>('input[type="password"]');
      if (confirmPassword) confirmPassword.value = password;
      confirm.shadowRoot!.querySelector<HTMLButtonElement>('[part="confirm"]')!.click();
    };

    // Revoke Token: temporary disable; the Status column says so and the token stops working.
    await runMenu('disable', 'Revoke Token');
    await waitUntil(() => list.tokens.find((t) => t.id === token.id)?.status === 'disabled', 'revoked', { timeout: 5000 });
    await waitUntil(() => row()?.querySelector('.status.disabled'), 'status column shows it');
    expect((await api(env, secret, 'GET', '/api/v1/users/me')).status).to.equal(401);

    // Delete Token: permanent.
    await runMenu('delete', 'Delete Token');
    await waitUntil(() => !list.tokens.some((t) => t.id === token.id), 'removed from the list', { timeout: 5000 });
    expect((await api(env, secret, 'GET', '/api/v1/users/me')).status).to.equal(401);
  });
});
