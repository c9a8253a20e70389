/**
 * The admin console against the REAL patkit server the runner starts (web-test-runner.config.js):
 * sign in as admin, enable PATs, grant `alice` the token role, sign in as alice, create a token,
 * see it once, revoke it.
 *
 * The console normally runs on the server's own origin in cookie mode. Here the page comes from
 * the test runner's origin, and a SameSite=Strict session cookie cannot cross origins, so the same
 * console code is mounted in bearer mode (`sessionMode` is the console's only option that differs).
 */
import { expect, waitUntil } from '@open-wc/testing';
import { mountConsole } from '../../console/app.ts';
import type { PatTokenManager } from '../../components/token-manager/token-manager.component.ts';
import type { PatTokenList } from '../../components/token-list/token-list.component.ts';
import type { PatCreateWizard } from '../../components/create-wizard/create-wizard.component.ts';
import type { PatRoleManager } from '../../components/role-manager/role-manager.component.ts';
import { PATKIT_TOKEN_PATTERN } from '../../lib/model.ts';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import { after, before, describe, it } from '../support/mocha.ts';
import { api, bearerSession, loadEnv, type Env } from '../support/real-server.ts';
import { deepText } from '../support/memory-provider.ts';

// The token list's row measuring can raise the browser's benign "ResizeObserver loop" notice,
// which would otherwise fail a test through window.onerror (as in the kit's own list tests).
setupIgnoreWindowResizeObserverLoopErrors(before, after);

const ALICE_PASSWORD = 'alice-console-pw-9Zq';


/** Makes sure `alice` exists with a known password and without the token role (setup only). */
async function prepareAlice(env: Env): Promise<void> {
  const credential = await bearerSession(env, 'admin', env.adminPassword);
  const created = await api(env, credential, 'POST', '/api/v1/users', {
    username: 'alice',
    display_name: 'Alice',
    password: ALICE_PASSWORD,
    roles: ['system_user'],
  });
  if (created.status !== 201) {
    const list = (await (await api(env, credential, 'GET', '/api/v1/users?q=alice')).json()) as { items: Array<{ id: string; username: string }> };
    const alice = list.items.find((u) => u.username === 'alice')!;
    await api(env, credential, 'PATCH', `/api/v1/users/${alice.id}`, { password: ALICE_PASSWORD, active: true });
    await api(env, credential, 'PUT', `/api/v1/users/${alice.id}/roles`, { roles: ['system_user'] });
  }
  await api(env, credential, 'DELETE', '/api/v1/sessions/current');
}

const root = document.createElement('div');

function byLabel(text: string): HTMLInputElement {
  const label = [...root.querySelectorAll('label')].find((l) => l.textContent!.trim() === text)!;
  return root.querySelector<HTMLInputElement>(`#${label.htmlFor}`)!;
}

function button(text: string, scope: ParentNode = root): HTMLButtonElement {
  return [...scope.querySelectorAll('button')].find((b) => b.textContent!.trim() === text)!;
}

async function signIn(username: string, password: string): Promise<void> {
  await waitUntil(() => root.querySelector('form.signin'), 'sign-in page');
  byLabel('Username').value = username;
  byLabel('Password').value = password;
  button('Sign in').click();
  await waitUntil(() => root.querySelector('nav'), `${username} signed in`, { timeout: 5000 });
}

async function go(route: string): Promise<void> {
  location.hash = `#/${route}`;
  await waitUntil(() => root.querySelector(`nav a[aria-current="page"][data-route="${route}"]`), `on ${route}`);
}

describe('admin console against the real server', () => {
  after(() => {
    root.remove();
    history.replaceState(null, '', location.pathname + location.search);
  });

  it('admin enables PATs and grants alice the token role; alice creates a token, sees it once, revokes it', async () => {
    const env = await loadEnv();
    await prepareAlice(env);
    document.body.append(root);
    await mountConsole(root, { baseUrl: env.serverUrl, sessionMode: 'bearer' });

    // 1. Admin signs in and sees every page.
    await waitUntil(() => root.querySelector('form.signin'), 'sign-in page');
    await expect(root).to.be.accessible();
    await signIn('admin', env.adminPassword);
    const pages = [...root.querySelectorAll('nav a')].map((a) => a.textContent);
    expect(pages).to.deep.equal(['My tokens', 'All tokens', 'Requests', 'Identify a token', 'Organizations', 'Users & roles', 'Settings', 'Token templates', 'Webhooks', 'Audit log']);

    // 2. Settings: "Enable personal access tokens" on, saved.
    await go('settings');
    await waitUntil(() => root.querySelector('form.settings'), 'settings form');
    const enable = byLabel('Enable personal access tokens');
    expect(enable.getAttribute('role')).to.equal('switch');
    enable.checked = true;
    button('Save settings').click();
    await waitUntil(() => root.querySelector('.settings [role="status"]')!.textContent === 'Settings saved.', 'settings saved');
    await expect(root).to.be.accessible();

    // 3. Users & roles: alice gets "Allow this account to generate personal access tokens".
    await go('users');
    const roles = root.querySelector('pat-role-manager') as PatRoleManager;
    const aliceCard = (): HTMLElement | undefined =>
      [...roles.shadowRoot!.querySelectorAll<HTMLElement>('[part="user"]')].find((c) => c.querySelector('.muted')?.textContent === 'alice');
    await waitUntil(() => aliceCard()?.querySelector('label.switch'), 'alice listed', { timeout: 5000 });
    const tokenRole = [...aliceCard()!.querySelectorAll('label.switch')]
      .find((l) => l.textContent!.trim() === 'Allow this account to generate personal access tokens')!
      .querySelector('input')!;
    expect(tokenRole.checked).to.equal(false);
    tokenRole.click();
    await roles.updateComplete;
    aliceCard()!.querySelector<HTMLButtonElement>('[part="save"]')!.click();
    await waitUntil(() => aliceCard()!.querySelector('[role="status"]')!.textContent!.includes('Saved roles of Alice.'), 'roles saved');
    // The admin's own card offers no Deactivate (the server would refuse it) and says why.
    const ownCard = [...roles.shadowRoot!.querySelectorAll<HTMLElement>('[part="user"]')].find((c) => c.querySelector('.muted')?.textContent === 'admin')!;
    expect(ownCard.querySelector('[part="activation"]')).to.equal(null);
    expect(ownCard.textContent).to.contain('only another admin can deactivate it');
    expect(aliceCard()!.querySelector('[part="activation"]')).not.to.equal(null);

    // 4. Sign out; alice signs in and has only her own pages.
    button('Sign out').click();
    await signIn('alice', ALICE_PASSWORD);
    expect([...root.querySelectorAll('nav a')].map((a) => a.textContent)).to.deep.equal(['My tokens', 'Organizations']);

    // 5. Alice creates a token.
    const manager = root.querySelector('pat-token-manager') as PatTokenManager;
    await waitUntil(() => manager.shadowRoot?.querySelector('[part="create"]'), 'manager');
    const list = manager.shadowRoot!.querySelector('pat-token-list') as PatTokenList;
    const wizard = manager.shadowRoot!.querySelector('pat-create-wizard') as PatCreateWizard;
    await waitUntil(() => !list.loading && manager.currentUser, 'list loaded', { timeout: 5000 });
    manager.shadowRoot!.querySelector<HTMLButtonElement>('[part="create"]')!.click();
    // The wizard is fetched on the first Create (a module graph the test server compiles on demand).
    await waitUntil(() => manager.shadowRoot!.querySelector<HTMLDialogElement>('[part="wizard-dialog"]')!.open, 'wizard open', { timeout: 5000 });
    const w = wizard.shadowRoot!;
    const name = w.querySelector<HTMLInputElement>('input[name="name"]')!;
    name.value = 'alice ci';
    name.dispatchEvent(new InputEvent('input'));
    const description = w.querySelector<HTMLTextAreaElement>('textarea[name="description"]')!;
    description.value = '<img src=x onerror="window.__consoleXss=1">';
    description.dispatchEvent(new InputEvent('input'));
    const legend = (): string => w.querySelector('legend')?.textContent ?? '';
    const next = async (expected: string): Promise<void> => {
      w.querySelector<HTMLButtonElement>('[part="next"]')!.click();
      await waitUntil(() => legend() === expected, `step ${expected}`);
    };
    await next('Expiry');
    await next('Access');
    await waitUntil(() => w.querySelectorAll('input[name="access"]').length > 0, 'presets loaded');
    const ownTokens = [...w.querySelectorAll('label.choice')].find((l) => l.textContent!.includes('Manage own tokens'))!;
    ownTokens.querySelector('input')!.click();
    // The server bounds tokens to resources: "All resources" (the default) keeps today's reach.
    await next('Resources');
    await next('Confirm');
    // The server's policy asks for the password on token changes (seed 003).
    const password = w.querySelector<HTMLInputElement>('input[type="password"]');
    if (password) {
      password.value = ALICE_PASSWORD;
      password.dispatchEvent(new InputEvent('input'));
    }
    w.querySelector<HTMLButtonElement>('[part="submit"]')!.click();

    // 6. Seen once.
    const reveal = (): HTMLElement | null => manager.shadowRoot!.querySelector('pat-reveal-dialog');
    // (The wizard keeps empty alert regions ready: an error is one with text.)
    const wizardError = (): string => [...w.querySelectorAll('[role="alert"], .error-text')].map((e) => e.textContent!.trim()).join(' ').trim();
    await waitUntil(() => reveal()?.shadowRoot?.querySelector('[part~="secret"]') || wizardError(), 'answer', {
      timeout: 5000,
    });
    expect(wizardError(), 'no wizard error').to.equal('');
    const secret = reveal()!.shadowRoot!.querySelector('[part~="secret"]')!.textContent!;
    expect(secret).to.match(PATKIT_TOKEN_PATTERN);
    reveal()!.shadowRoot!.querySelector<HTMLButtonElement>('[part="close"]')!.click();
    await waitUntil(() => reveal()?.shadowRoot?.querySelector('[part="acknowledge"]'), 'asked to confirm');
    expect(reveal()!.shadowRoot!.textContent).to.contain(
      "Make sure you have copied and saved the access token below. You won't be able to see it again!",
    );
    reveal()!.shadowRoot!.querySelector<HTMLButtonElement>('[part="acknowledge"]')!.click();
    await waitUntil(() => !reveal(), 'reveal gone');
    expect(deepText(document)).not.to.contain(secret);

    // The token works against the real server, and its description stayed text.
    const me = await api(env, secret, 'GET', '/api/v1/users/me');
    expect(me.status).to.equal(200);
    await waitUntil(() => list.tokens.some((t) => t.name === 'alice ci'), 'token listed', { timeout: 5000 });
    expect((window as unknown as { __consoleXss?: number }).__consoleXss).to.equal(undefined);

    // 7. Revoke it: row menu → Delete → confirm.
    const row = (): HTMLElement | undefined =>
      [...list.shadowRoot!.querySelectorAll<HTMLElement>('[part~="row"]')].find((r) => r.textContent!.includes('alice ci'));
    await waitUntil(() => row(), 'row rendered');
    row()!.querySelector<HTMLButtonElement>('.menu-trigger')!.click();
    await waitUntil(() => list.shadowRoot!.querySelector('[data-action="delete"]'));
    list.shadowRoot!.querySelector<HTMLButtonElement>('[data-action="delete"]')!.click();
    const confirm = list.shadowRoot!.querySelector('pat-confirm-dialog')!;
    await waitUntil(() => confirm.shadowRoot!.querySelector('dialog')?.open, 'delete confirmation');
    const deletePassword = confirm.shadowRoot!.querySelector<HTMLInputElement>('input[type="password"]');
    if (deletePassword) deletePassword.value = ALICE_PASSWORD;
    confirm.shadowRoot!.querySelector<HTMLButtonElement>('[part="confirm"]')!.click();
    await waitUntil(() => !list.tokens.some((t) => t.name === 'alice ci'), 'removed from the list', { timeout: 5000 });
    const after = await api(env, secret, 'GET', '/api/v1/users/me');
    expect(after.status).to.equal(401);
  });
});
