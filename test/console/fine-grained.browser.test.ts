/**
 * The console's fine-grained token pages against the REAL patkit server the runner starts
 * (web-test-runner.config.js), in cookie mode on the runner's own origin (its `/api/v1` proxy):
 * the admin manages token templates (create, a refused bad address, edit, delete), turns token
 * approval on in Settings, sees a member's request counted beside the Requests nav item and
 * approves it there (the token then works), and turns an organisation's "Require approval" on.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { mountConsole, type AdminConsole } from '../../console/app.ts';
import type { PatConfirmDialog } from '../../components/confirm-dialog/confirm-dialog.component.ts';
import type { PatTokenRequests } from '../../components/token-requests/token-requests.component.ts';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import { after, before, describe, it } from '../support/mocha.ts';
import { api, bearerSession, loadEnv, type Env } from '../support/real-server.ts';
import { consoleDriver, text } from './console-driver.ts';
import { loadConsoleCss } from '../support/console-css.ts';

// The token list's row measuring can raise the browser's benign "ResizeObserver loop" notice,
// which would otherwise fail a test through window.onerror (as in the kit's own list tests).
setupIgnoreWindowResizeObserverLoopErrors(before, after);

const root = document.createElement('div');
const CAROL_PASSWORD = 'carol-console-pw-4Lk';
const TEMPLATE = 'Deploy to staging (console test)';

const { byLabel, button, signIn, go } = consoleDriver(root);

/** `carol` with the token role and a known password (setup only). */
async function prepareCarol(env: Env, admin: string): Promise<void> {
  const created = await api(env, admin, 'POST', '/api/v1/users', {
    username: 'carol',
    display_name: 'Carol',
    password: CAROL_PASSWORD,
    roles: ['system_user', 'user_access_token'],
  });
  if (created.status === 201) return;
  const list = (await (await api(env, admin, 'GET', '/api/v1/users?q=carol')).json()) as { items: Array<{ id: string; username: string }> };
  const carol = list.items.find((u) => u.username === 'carol')!;
  await api(env, admin, 'PATCH', `/api/v1/users/${carol.id}`, {
    password: CAROL_PASSWORD,
    active: true,
  });
  await api(env, admin, 'PUT', `/api/v1/users/${carol.id}/roles`, {
    roles: ['system_user', 'user_access_token'],
  });
}

describe('console: templates and token approval', () => {
  let console_: AdminConsole | null = null;
  let admin = '';
  let env: Env;

  after(async () => {
    // Leave the shared server as it was: approval off, no template of ours.
    if (admin) {
      await api(env, admin, 'PATCH', '/api/v1/settings', {
        token_approval: 'off',
      });
      const templates = (await (await api(env, admin, 'GET', '/api/v1/token-templates')).json()) as { items?: Array<{ id: string; name: string }> };
      for (const t of (templates.items ?? []).filter((x) => x.name.startsWith(TEMPLATE))) await api(env, admin, 'DELETE', `/api/v1/token-templates/${t.id}`);
      await api(env, admin, 'DELETE', '/api/v1/sessions/current');
    }
    await console_?.provider.signOut().catch(() => undefined);
    root.remove();
    history.replaceState(null, '', location.pathname + location.search);
  });

  it('admin creates a template, is told which address is bad, edits it and deletes it', async () => {
    env = await loadEnv();
    await loadConsoleCss();
    admin = await bearerSession(env, 'admin', env.adminPassword);
    document.body.append(root);
    console_ = await mountConsole(root, {
      baseUrl: location.origin,
      sessionMode: 'cookie',
    });
    await signIn('admin', env.adminPassword);
    expect([...root.querySelectorAll('nav a')].map((a) => text(a))).to.include('Token templates');
    await go('templates');
    await waitUntil(() => text(root.querySelector('main [role="status"]')) !== 'Loading templates…', 'templates loaded', { timeout: 5000 });
    expect(text(root.querySelector('h1'))).to.equal('Token templates');
    await expect(root).to.be.accessible();

    const form = root.querySelector<HTMLFormElement>('form.template-form')!;
    byLabel('Name', form).value = TEMPLATE;
    byLabel('Description (optional)', form).value = '<img src=x onerror="window.__tplXss=1">';
    form.querySelector<HTMLInputElement>('input[name="scopes"][value="tokens:read"]')!.checked = true;
    byLabel('Expires after (days)', form).value = '30';
    byLabel('Allowed addresses (optional)', form).value = '203.0.113.0/24\nnot-an-address';
    button('Create template', form).click();
    // The server's refusal names the field; the field is marked, and nothing was created.
    await waitUntil(() => text(form.querySelector('[role="alert"]')) !== '', 'refused', { timeout: 5000 });
    expect(text(form.querySelector('[role="alert"]'))).to.match(/allowed_ips/);
    expect(form.querySelector('[name="allowed_ips"]')!.getAttribute('aria-invalid')).to.equal('true');
    const none = (await (await api(env, admin, 'GET', '/api/v1/token-templates')).json()) as { items: Array<{ name: string }> };
    expect(none.items.some((t) => t.name === TEMPLATE)).to.equal(false);

    byLabel('Allowed addresses (optional)', form).value = '203.0.113.0/24';
    button('Create template', form).click();
    const row = (): HTMLElement | null => [...root.querySelectorAll<HTMLElement>('table.templates tbody tr')].find((r) => text(r.querySelector('th')) === TEMPLATE) ?? null;
    await waitUntil(row, 'template listed', { timeout: 5000 });
    expect(text(root.querySelector('main [role="status"]'))).to.equal(`Template "${TEMPLATE}" created.`);
    expect(text(row()!)).to.contain('tokens:read').and.contain('30 days').and.contain('203.0.113.0/24');
    expect(row()!.querySelector('img')).to.equal(null);
    expect((window as unknown as { __tplXss?: number }).__tplXss).to.equal(undefined);
    const stored = (await (await api(env, admin, 'GET', '/api/v1/token-templates')).json()) as {
      items: Array<{
        name: string;
        scopes: string[];
        expires_in_days: number;
        allowed_ips: string[];
      }>;
    };
    const saved = stored.items.find((t) => t.name === TEMPLATE)!;
    expect(saved).to.include({ expires_in_days: 30 });
    expect(saved.scopes).to.deep.equal(['tokens:read']);
    expect(saved.allowed_ips).to.deep.equal(['203.0.113.0/24']);

    // Edit: the form fills with the template; Save changes it in place.
    button(`Edit ${TEMPLATE}`).click();
    expect(text(form.querySelector('h2'))).to.equal(`Edit template: ${TEMPLATE}`);
    expect(byLabel('Expires after (days)', form).value).to.equal('30');
    byLabel('Expires after (days)', form).value = '7';
    button('Save template', form).click();
    await waitUntil(() => row() && text(row()!).includes('7 days'), 'saved', {
      timeout: 5000,
    });
    expect(text(form.querySelector('h2'))).to.equal('New template');
    await expect(root).to.be.accessible();

    // Delete after a confirmation.
    button(`Delete ${TEMPLATE}`).click();
    const confirm = root.querySelector('pat-confirm-dialog') as PatConfirmDialog;
    await waitUntil(() => confirm.shadowRoot!.querySelector('dialog')?.open, 'asked');
    confirm.shadowRoot!.querySelector<HTMLButtonElement>('[part="confirm"]')!.click();
    await waitUntil(() => !row(), 'deleted', { timeout: 5000 });
    expect(text(root.querySelector('main [role="status"]'))).to.equal(`Deleted "${TEMPLATE}".`);
  });

  it("admin turns approval on; a member's request is counted in the nav and approved on the Requests page", async () => {
    // Settings: "For everyone but System Admins".
    await go('settings');
    await waitUntil(() => root.querySelector('form.settings'), 'settings form');
    const choice = byLabel('For everyone but System Admins');
    expect(choice.type).to.equal('radio');
    choice.checked = true;
    button('Save settings').click();
    await waitUntil(() => text(root.querySelector('.settings [role="status"]')) === 'Settings saved.', 'saved', { timeout: 5000 });
    const settings = (await (await api(env, admin, 'GET', '/api/v1/settings')).json()) as { token_approval: string };
    expect(settings.token_approval).to.equal('non_admins');
    await expect(root).to.be.accessible();

    // Carol asks for a token: it is pending and works nowhere yet.
    await prepareCarol(env, admin);
    const carol = await bearerSession(env, 'carol', CAROL_PASSWORD);
    const created = await api(env, carol, 'POST', '/api/v1/tokens', {
      name: 'carol deploys',
      scopes: ['tokens:read'],
      expires_at: new Date(Date.now() + 5 * 86_400_000).toISOString(),
      justification: 'Nightly deploys to staging',
      password: CAROL_PASSWORD,
    });
    expect(created.status, await created.clone().text()).to.equal(201);
    const { secret, token } = (await created.json()) as {
      secret: string;
      token: { id: string; status: string };
    };
    expect(token.status).to.equal('pending');
    expect((await api(env, secret, 'GET', '/api/v1/users/me')).status).to.equal(401);

    // The admin's console (signed in again, as on a new visit) counts it beside Requests.
    button('Sign out').click();
    await signIn('admin', env.adminPassword);
    const requestsLink = root.querySelector('nav a[data-route="requests"]')!;
    expect(requestsLink.getAttribute('aria-label')).to.match(/^Requests, \d+ pending$/);
    const before = Number(text(requestsLink.parentElement!.querySelector('.count')));
    expect(before).to.be.greaterThan(0);
    await go('requests');
    const requests = root.querySelector('pat-token-requests') as PatTokenRequests;
    const card = (): HTMLElement | null => requests.shadowRoot!.querySelector<HTMLElement>(`[part="request"][data-id="${token.id}"]`);
    await waitUntil(card, 'request listed', { timeout: 5000 });
    expect(text(card()!.querySelector('[part="justification"]'))).to.equal('Nightly deploys to staging');
    await expect(root).to.be.accessible();
    card()!.querySelector<HTMLButtonElement>('[part="approve"]')!.click();
    await waitUntil(() => !card(), 'decided', { timeout: 5000 });
    // The nav's number follows, and the token works now.
    await waitUntil(() => (text(requestsLink.parentElement!.querySelector('.count')) || '0') === String(before - 1), 'count updated', { timeout: 5000 });
    expect((await api(env, secret, 'GET', '/api/v1/users/me')).status).to.equal(200);
    await api(env, carol, 'DELETE', '/api/v1/sessions/current');
  });

  it('a System Admin turns "Require approval" on for one organisation', async () => {
    const org = await api(env, admin, 'POST', '/api/v1/orgs', {
      name: `Approvals ${Date.now()}`,
    });
    const { id } = (await org.json()) as { id: string };
    location.hash = `#/org/${id}`;
    await waitUntil(() => root.querySelector('#org-require-approval'), 'switch shown', { timeout: 5000 });
    const toggle = root.querySelector<HTMLInputElement>('#org-require-approval')!;
    expect(toggle.getAttribute('role')).to.equal('switch');
    expect(toggle.checked).to.equal(false);
    toggle.click();
    await waitUntil(() => text(root.querySelector('.org-approval [role="status"]')) !== '', 'saved', { timeout: 5000 });
    expect(toggle.checked).to.equal(true);
    const stored = (await (await api(env, admin, 'GET', `/api/v1/orgs/${id}`)).json()) as { require_token_approval: boolean };
    expect(stored.require_token_approval).to.equal(true);
    await expect(root).to.be.accessible();
  });
});
