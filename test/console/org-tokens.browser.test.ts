/**
 * Organisation and group access tokens in Chromium: the "Create Access Token" form on its
 * own (admin-role choice and the line saying which scope the token gets), and the console flow
 * against the REAL server the runner starts: a group admin opens the Group page's "Access Tokens"
 * tab, creates a token with the admin role, sees it once, revokes it, deletes it.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../components/scoped-token-form/scoped-token-form.ts';
import type { PatScopedTokenForm } from '../../components/scoped-token-form/scoped-token-form.component.ts';
import type { PatTokenManager } from '../../components/token-manager/token-manager.component.ts';
import type { PatTokenList } from '../../components/token-list/token-list.component.ts';
import { mountConsole } from '../../console/app.ts';
import { PATKIT_TOKEN_PATTERN, type CreatedToken, type ScopedTokenDraft } from '../../lib/model.ts';
import type { ScopedOwner, TokenProvider } from '../../lib/provider.ts';
import { after, describe, it } from '../support/mocha.ts';
import { api, loadEnv, type Env } from '../support/real-server.ts';
import { deepText } from '../support/memory-provider.ts';


describe('<pat-scoped-token-form>', () => {
  const owner: ScopedOwner = { kind: 'group', id: 'grp_1', org_id: 'org_1', name: 'Platform' };

  it('offers Token Name, Expiration Date, Admin Role Assignment and says which scope the token gets', async () => {
    const calls: Array<{ owner: ScopedOwner; draft: ScopedTokenDraft }> = [];
    const provider = {
      capabilities: { expiry: { mode: 'required', maxLifetimeDays: 365, defaultLifetimeDays: 30 }, passwordConfirmation: 'never' },
      createScopedToken: async (o: ScopedOwner, draft: ScopedTokenDraft): Promise<CreatedToken> => {
        calls.push({ owner: o, draft });
        throw Object.assign(new Error('The server said no.'), { code: 'forbidden' });
      },
    } as unknown as TokenProvider;
    const form = await fixture<PatScopedTokenForm>(html`<pat-scoped-token-form .provider=${provider} .owner=${owner}></pat-scoped-token-form>`);
    const root = form.shadowRoot!;
    expect(root.querySelector('h2')!.textContent).to.equal('Create Access Token');
    const labels = [...root.querySelectorAll('label')].map((l) => l.textContent!.trim());
    expect(labels[0]).to.equal('Token Name');
    expect(labels[1]).to.equal('Expiration Date');
    expect(labels[2]).to.contain('Admin Role Assignment');
    const line = (): string => root.querySelector('[part="scope-line"]')!.textContent!.trim();
    expect(line()).to.equal('Will have group user scope.');
    root.querySelector<HTMLInputElement>('input[name="admin_role"]')!.click();
    await form.updateComplete;
    expect(line()).to.equal('Will have group admin scope.');
    await expect(form).to.be.accessible();

    form.owner = { kind: 'organization', id: 'org_1', name: 'Acme' };
    await form.updateComplete;
    expect(line()).to.equal('Will have organization admin scope.');

    // An empty name never reaches the provider; a server refusal is shown.
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await form.updateComplete;
    expect(root.querySelector('[role="alert"]')!.textContent).to.equal('Enter a token name.');
    expect(calls.length).to.equal(0);
    root.querySelector<HTMLInputElement>('input[name="name"]')!.value = 'ci';
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => root.querySelector('[role="alert"]')?.textContent === 'The server said no.', 'server error shown');
    expect(calls.length).to.equal(1);
    expect(calls[0]!.draft.admin_role).to.equal(true);
    expect(calls[0]!.draft.name).to.equal('ci');
    expect(Date.parse(calls[0]!.draft.expires_at!)).to.be.greaterThan(Date.now() + 29 * 86_400_000);
  });
});

describe('<pat-scoped-token-form> and the password policy', () => {
  it('asks for the password in the form itself once the server said it wants one, and sends it', async () => {
    const owner: ScopedOwner = { kind: 'organization', id: 'org_pw', name: 'Policy Org' };
    const sent: Array<string | undefined> = [];
    const provider = {
      capabilities: { expiry: { mode: 'required', maxLifetimeDays: 365, defaultLifetimeDays: 30 }, passwordConfirmation: 'policy' },
      createScopedToken: async (_o: ScopedOwner, _d: ScopedTokenDraft, confirm?: { password?: string }): Promise<CreatedToken> => {
        sent.push(confirm?.password);
        throw Object.assign(new Error(confirm?.password ? 'Stop here.' : 'Enter your password to confirm this change.'), {
          code: confirm?.password ? 'forbidden' : 'password_confirmation_required',
        });
      },
    } as unknown as TokenProvider;
    const form = await fixture<PatScopedTokenForm>(html`<pat-scoped-token-form .provider=${provider} .owner=${owner}></pat-scoped-token-form>`);
    const root = form.shadowRoot!;
    expect(root.querySelector('input[name="password"]') === null, 'no password field while the policy is unknown').to.equal(true);
    root.querySelector<HTMLInputElement>('input[name="name"]')!.value = 'ci';
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => root.querySelector('input[name="password"]'), 'password field after the server asked');
    expect(root.activeElement === root.querySelector('input[name="password"]'), 'focus on the password field').to.equal(true);
    await expect(form).to.be.accessible();
    const field = root.querySelector<HTMLInputElement>('input[name="password"]')!;
    field.value = 'pw-123';
    field.dispatchEvent(new InputEvent('input'));
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => sent.length === 2, 'sent again');
    expect(sent).to.deep.equal([undefined, 'pw-123']);
    // A second form on the same provider asks at once.
    const second = await fixture<PatScopedTokenForm>(html`<pat-scoped-token-form .provider=${provider} .owner=${owner}></pat-scoped-token-form>`);
    expect(second.shadowRoot!.querySelector('input[name="password"]') !== null, 'remembered per provider').to.equal(true);
  });
});

describe('console: Group page → Access Tokens', () => {
  const root = document.createElement('div');
  after(() => {
    root.remove();
    history.replaceState(null, '', location.pathname + location.search);
  });

  it('a group admin creates a group token with the admin role, sees it once, revokes it, deletes it', async () => {
    const env = await loadEnv();
    // Setup through the API as admin: PATs on, an organisation with a group, gina its group admin.
    const session = await api(env, null, 'POST', '/api/v1/sessions', { username: 'admin', password: env.adminPassword, mode: 'bearer' });
    const admin = ((await session.json()) as { credential: string }).credential;
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
    await waitUntil(() => root.querySelector('form.signin'), 'sign-in page');
    root.querySelector<HTMLInputElement>('#username')!.value = `gina-${suffix}`;
    root.querySelector<HTMLInputElement>('#password')!.value = password;
    root.querySelector<HTMLButtonElement>('form.signin button[type="submit"]')!.click();
    await waitUntil(() => root.querySelector('nav a[data-route="organizations"]'), 'Organizations in the nav', { timeout: 5000 });

    // Organizations → the group → its page, "Access Tokens" tab selected.
    location.hash = '#/organizations';
    await waitUntil(() => [...root.querySelectorAll('main a')].some((a) => a.textContent === 'Console Group'), 'group listed', { timeout: 5000 });
    [...root.querySelectorAll<HTMLAnchorElement>('main a')].find((a) => a.textContent === 'Console Group')!.click();
    await waitUntil(() => root.querySelector('[role="tab"][aria-selected="true"]'), 'Group page', { timeout: 5000 });
    expect(root.querySelector('h1')!.textContent).to.equal('Group: Console Group');
    expect(root.querySelector('[role="tab"][aria-selected="true"]')!.textContent).to.equal('Access Tokens');
    const manager = root.querySelector('pat-token-manager') as PatTokenManager;
    expect(manager.scopeOwner).to.deep.include({ kind: 'group', id: group.id });
    await waitUntil(() => manager.shadowRoot?.querySelector('[part="create"]'), 'manager');
    const list = manager.shadowRoot!.querySelector('pat-token-list') as PatTokenList;
    await waitUntil(() => !list.loading, 'list loaded', { timeout: 5000 });
    expect(list.error).to.equal(null);
    const create = manager.shadowRoot!.querySelector<HTMLButtonElement>('[part="create"]')!;
    expect(create.textContent!.trim()).to.equal('Create Access Token');
    await expect(root).to.be.accessible();

    // Create Access Token: name, the admin role, the scope line; the password when the policy asks.
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
