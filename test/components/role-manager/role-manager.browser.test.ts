/**
 * <pat-role-manager> in real Chromium against MemoryProvider, an in-memory TEST DOUBLE of
 * TokenProvider (test/support/memory-provider.ts).
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../components/role-manager/role-manager.ts';
import type { PatRoleManager } from '../../../components/role-manager/role-manager.component.ts';
import { ProviderError } from '../../../lib/errors.ts';
import { MemoryProvider, ROLES, makeUser } from '../../support/memory-provider.ts';
import { describe, it } from '../../support/mocha.ts';

const sr = (el: Element): ShadowRoot => el.shadowRoot!;

function card(el: PatRoleManager, username: string): HTMLElement {
  return [...sr(el).querySelectorAll<HTMLElement>('[part="user"]')].find((c) => c.querySelector('.muted')!.textContent === username)!;
}

function roleSwitch(c: HTMLElement, label: string): HTMLInputElement {
  return [...c.querySelectorAll('label.switch')].find((l) => l.textContent!.trim() === label)!.querySelector('input')!;
}

async function setup(provider = new MemoryProvider()): Promise<PatRoleManager> {
  const el = await fixture<PatRoleManager>(html`<pat-role-manager .provider=${provider}></pat-role-manager>`);
  await waitUntil(() => sr(el).querySelectorAll('[part="user"]').length > 0, 'users loaded');
  return el;
}

describe('<pat-role-manager>', () => {
  it('shows the catalog roles with their labels as switches, and is accessible', async () => {
    const el = await setup();
    const alice = card(el, 'alice');
    const labels = [...alice.querySelectorAll('label.switch')].map((l) => l.textContent!.trim());
    expect(labels).to.include.members(['Allow this account to generate personal access tokens', 'post:all', 'post:channels']);
    expect(roleSwitch(alice, 'post:all').getAttribute('role')).to.equal('switch');
    await expect(el).to.be.accessible();
  });

  it('grants the token role and saves with a clear result', async () => {
    const provider = new MemoryProvider();
    const el = await setup(provider);
    const alice = card(el, 'alice');
    const save = alice.querySelector<HTMLButtonElement>('[part="save"]')!;
    expect(save.disabled).to.equal(true);
    roleSwitch(alice, 'Allow this account to generate personal access tokens').click();
    await el.updateComplete;
    expect(save.disabled).to.equal(false);
    const updated = oneEvent(el, 'pat-user-updated');
    save.click();
    expect((await updated).detail.change).to.equal('roles');
    expect(provider.users.find((u) => u.id === 'u_alice')!.roles).to.include('user_access_token');
    await waitUntil(() => card(el, 'alice').querySelector('[role="status"]')!.textContent!.includes('Saved roles of alice.'));
    await expect(el).to.be.accessible();
  });

  it('deactivates after a confirmation (vetoable) and reactivates', async () => {
    const provider = new MemoryProvider();
    const el = await setup(provider);
    el.addEventListener('pat-request-user-active', (e) => e.preventDefault(), { once: true });
    card(el, 'alice').querySelector<HTMLButtonElement>('[part="activation"]')!.click();
    await el.updateComplete;
    expect(provider.calls.some(([m]) => m === 'setUserActive')).to.equal(false);

    card(el, 'alice').querySelector<HTMLButtonElement>('[part="activation"]')!.click();
    const dialog = sr(el).querySelector('pat-confirm-dialog')!;
    await waitUntil(() => dialog.shadowRoot!.querySelector('dialog')?.open);
    expect(dialog.shadowRoot!.textContent).to.contain('Deactivate alice?');
    await expect(dialog).to.be.accessible();
    dialog.shadowRoot!.querySelector<HTMLButtonElement>('[part="confirm"]')!.click();
    await waitUntil(() => provider.users.find((u) => u.id === 'u_alice')!.active === false);
    await waitUntil(() => card(el, 'alice').textContent!.includes('Deactivated'));
    card(el, 'alice').querySelector<HTMLButtonElement>('[part="activation"]')!.click();
    await waitUntil(() => provider.users.find((u) => u.id === 'u_alice')!.active === true);
  });

  it('offers no Deactivate on your own account and says why; others keep theirs', async () => {
    const provider = new MemoryProvider();
    const el = await setup(provider);
    expect(card(el, 'admin').querySelector('[part="activation"]'), 'without currentUser every card has one').not.to.equal(null);
    el.currentUser = provider.me;
    await el.updateComplete;
    const own = card(el, 'admin');
    expect(own.querySelector('[part="activation"]')).to.equal(null);
    expect(own.querySelector('.row-actions')!.textContent).to.contain('Your own account: only another admin can deactivate it.');
    expect(own.querySelector('[part="save"]')).not.to.equal(null);
    expect(card(el, 'alice').querySelector('[part="activation"]')!.textContent!.trim()).to.equal('Deactivate');
    await expect(el).to.be.accessible();
  });

  it('searches users by keyboard', async () => {
    const provider = new MemoryProvider();
    provider.users = [...provider.users, makeUser('u_carol', 'carol')];
    const el = await setup(provider);
    sr(el).querySelector<HTMLInputElement>('input[type="search"]')!.focus();
    await sendKeys({ type: 'car' });
    await waitUntil(() => sr(el).querySelectorAll('[part="user"]').length === 1, 'filtered to carol');
    expect(card(el, 'carol')).to.exist;
  });

  it('empty and error states are accessible; works from properties alone', async () => {
    const empty = await fixture<PatRoleManager>(html`<pat-role-manager></pat-role-manager>`);
    expect(sr(empty).textContent).to.contain('No users match.');
    await expect(empty).to.be.accessible();
    const provider = new MemoryProvider();
    provider.listUsers = async () => {
      throw new ProviderError('forbidden', 'You do not have permission to do that.');
    };
    const failing = await fixture<PatRoleManager>(html`<pat-role-manager .provider=${provider}></pat-role-manager>`);
    await waitUntil(() => sr(failing).querySelector('[role="alert"]'));
    expect(sr(failing).querySelector('[role="alert"]')!.textContent).to.contain('You do not have permission');
    await expect(failing).to.be.accessible();
    const local = await fixture<PatRoleManager>(
      html`<pat-role-manager .users=${[makeUser('u_a', 'alice')]} .roles=${ROLES}></pat-role-manager>`,
    );
    const alice = card(local, 'alice');
    roleSwitch(alice, 'post:channels').click();
    await local.updateComplete;
    const updated = oneEvent(local, 'pat-user-updated');
    alice.querySelector<HTMLButtonElement>('[part="save"]')!.click();
    expect((await updated).detail.user.roles).to.include('post_channels');
  });

  it('renders hostile user names as text', async () => {
    const provider = new MemoryProvider();
    const evil = { ...makeUser('u_evil', 'evil'), display_name: '<img src=x onerror="window.__roleXss=1">' };
    provider.users = [...provider.users, evil];
    const el = await setup(provider);
    expect(sr(el).querySelector('img')).to.equal(null);
    expect(sr(el).textContent).to.contain('<img src=x onerror="window.__roleXss=1">');
    expect((window as unknown as { __roleXss?: number }).__roleXss).to.equal(undefined);
  });

  it('pages through the provider\'s users with "More users", from the first page again on a new search', async () => {
    const provider = new MemoryProvider();
    provider.users = ['ann', 'ben', 'cat', 'dan', 'eve'].map((n) => makeUser(`u_${n}`, n));
    // The demo provider answers everything at once; this one pages by number, as Mattermost does.
    provider.listUsers = async (query = {}) => {
      const size = query.limit ?? 100;
      const start = Number(query.cursor ?? 0) * size;
      const all = provider.users.filter((u) => !query.text || u.username.includes(query.text));
      const next = start + size < all.length ? String(Number(query.cursor ?? 0) + 1) : null;
      return { items: all.slice(start, start + size), next_cursor: next };
    };
    const el = await fixture<PatRoleManager>(html`<pat-role-manager page-size="2" .provider=${provider}></pat-role-manager>`);
    await waitUntil(() => sr(el).querySelectorAll('[part="user"]').length === 2, 'first page');
    const more = (): HTMLButtonElement | null => sr(el).querySelector('[part="more"]');
    expect(more()!.textContent!.trim()).to.equal('More users');
    await expect(el).to.be.accessible();
    more()!.click();
    await waitUntil(() => sr(el).querySelectorAll('[part="user"]').length === 4, 'second page appended');
    more()!.click();
    await waitUntil(() => sr(el).querySelectorAll('[part="user"]').length === 5, 'last page appended');
    await el.updateComplete;
    expect(more(), 'no button after the last page').to.equal(null);
    sr(el).querySelector<HTMLInputElement>('input[type="search"]')!.focus();
    await sendKeys({ type: 'e' });
    await waitUntil(() => sr(el).querySelectorAll('[part="user"]').length === 2, 'search: ben, eve');
    expect(more()).to.equal(null);
  });

  it('names each role as the server does and keeps the roles outside the catalog when saving', async () => {
    const provider = new MemoryProvider();
    provider.roles = ROLES.filter((r) => r.id !== 'system_admin');
    provider.users = [makeUser('u_bot', 'bot', ['system_user', 'team_lead'])];
    const el = await setup(provider);
    const bot = card(el, 'bot');
    const grant = roleSwitch(bot, 'Allow this account to generate personal access tokens');
    const hint = bot.querySelector(`#${grant.getAttribute('aria-describedby')}`);
    expect(hint!.textContent).to.equal('user_access_token');
    expect(bot.querySelector('[part="kept-roles"]')!.textContent).to.equal('Also holds system_user, team_lead (kept as they are; not managed here).');
    expect([...bot.querySelectorAll('label.switch')].map((l) => l.textContent!.trim())).to.not.include('system_user');
    grant.click();
    roleSwitch(bot, 'post:channels').click();
    await el.updateComplete;
    bot.querySelector<HTMLButtonElement>('[part="save"]')!.click();
    await waitUntil(() => provider.calls.some(([m]) => m === 'setUserRoles'));
    const [, , roles] = provider.calls.find(([m]) => m === 'setUserRoles')!;
    expect(roles).to.have.members(['system_user', 'team_lead', 'user_access_token', 'post_channels']);
    await expect(el).to.be.accessible();
  });

  it('hides what the server cannot do', async () => {
    const provider = new MemoryProvider();
    provider.capabilities = { ...provider.capabilities, userActivation: false };
    const el = await setup(provider);
    expect(sr(el).querySelector('[part="activation"]')).to.equal(null);
    expect(sr(el).querySelector('[part="save"]')).to.exist;
  });
});
