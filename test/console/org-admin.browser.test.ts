/**
 * Organisation administration in the console against the REAL server the runner starts: a System
 * Admin creates an organisation and a group (keyboard), sees the empty states, adds a member, changes
 * their role and removes them; name errors are shown on the field. A member who is not a System
 * Admin sees no administration forms.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { PatConfirmDialog } from '../../components/confirm-dialog/confirm-dialog.component.ts';
import { mountConsole } from '../../console/app.ts';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import { after, before, describe, it } from '../support/mocha.ts';
import { api, bearerSession, loadEnv, type Env } from '../support/real-server.ts';
import { loadConsoleCss } from '../support/console-css.ts';
import { submitSignIn } from './console-driver.ts';

// The token list's row measuring can raise the browser's benign "ResizeObserver loop" notice,
// which would otherwise fail a test through window.onerror (as in the kit's own list tests).
setupIgnoreWindowResizeObserverLoopErrors(before, after);


async function signIn(root: HTMLElement, env: Env, username: string, password: string): Promise<void> {
  await mountConsole(root, { baseUrl: env.serverUrl, sessionMode: 'bearer' });
  await submitSignIn(root, username, password);
  await waitUntil(() => root.querySelector('nav a[data-route="organizations"]'), 'Organizations in the nav', { timeout: 5000 });
}

const text = (node: Element | null): string => node?.textContent?.trim() ?? '';

async function typeInto(input: HTMLInputElement, value: string): Promise<void> {
  input.focus();
  await sendKeys({ type: value });
  await sendKeys({ press: 'Enter' });
}

describe('console: organisation administration (System Admins)', () => {
  const root = document.createElement('div');
  after(() => {
    root.remove();
    history.replaceState(null, '', location.pathname + location.search);
  });

  it('creates an organisation and a group, adds a member, sets their role and removes them', async () => {
    const env = await loadEnv();
    await loadConsoleCss();
    const admin = await bearerSession(env, 'admin', env.adminPassword);
    const suffix = Math.random().toString(36).slice(2, 8);
    const memberPassword = 'mia-console-pw-7Qz';
    const mia = (await (
      await api(env, admin, 'POST', '/api/v1/users', { username: `mia-${suffix}`, display_name: 'Mia', password: memberPassword, roles: ['system_user'] })
    ).json()) as { id: string };
    const taken = `Taken Org ${suffix}`;
    expect((await api(env, admin, 'POST', '/api/v1/orgs', { name: taken })).status).to.equal(201);

    document.body.append(root);
    await signIn(root, env, 'admin', env.adminPassword);
    location.hash = '#/organizations';
    const orgName = (): HTMLInputElement | null =>
      [...root.querySelectorAll('label')].find((l) => text(l) === 'Organization name')?.control as HTMLInputElement | null;
    await waitUntil(orgName, 'the "New organization" form', { timeout: 5000 });
    await expect(root).to.be.accessible();
    // Organization links look like the console's links (accent colour, no underline), not the browser default.
    await waitUntil(() => root.querySelector('main a[href^="#/org/"]'), 'organization links', { timeout: 5000 });
    const orgLink = getComputedStyle(root.querySelector('main a[href^="#/org/"]')!);
    expect(orgLink.textDecorationLine).to.equal('none');
    expect(orgLink.color).to.equal(getComputedStyle(root.querySelector('nav a[aria-current="page"]')!).borderBottomColor);

    // Errors land on the field: an empty name, then a name the server says is taken.
    const form = orgName()!.form!;
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => text(form.querySelector('[role="alert"]')) === 'Enter a name.', 'empty name refused');
    expect(orgName()!.getAttribute('aria-invalid')).to.equal('true');
    await typeInto(orgName()!, taken);
    await waitUntil(() => text(form.querySelector('[role="alert"]')).length > 0 && text(form.querySelector('[role="alert"]')) !== 'Enter a name.', 'conflict shown', { timeout: 5000 });
    expect(text(form.querySelector('[role="alert"]'))).to.match(/taken|exists|already/i);
    expect(document.activeElement === orgName(), 'focus stays in the name field').to.equal(true);
    await expect(root).to.be.accessible();

    // Keyboard: type a new name, Enter: the new organisation's page opens, focus on its heading.
    orgName()!.value = '';
    const name = `Admin Org ${suffix}`;
    await typeInto(orgName()!, name);
    await waitUntil(() => text(root.querySelector('h1')) === `Organization: ${name}`, 'organization page', { timeout: 5000 });
    expect(document.activeElement === root.querySelector('h1'), 'focus on the new page heading').to.equal(true);
    const tabs = [...root.querySelectorAll<HTMLButtonElement>('[role="tab"]')].map(text);
    expect(tabs).to.deep.equal(['Access Tokens', 'Groups', 'Members']);

    // Groups tab (arrow keys between tabs): empty state, then a group created from the keyboard.
    root.querySelector<HTMLButtonElement>('[role="tab"][aria-selected="true"]')!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => text(root.querySelector('[role="tab"][aria-selected="true"]')) === 'Groups');
    const groupsPanel = root.querySelector<HTMLElement>('#panel-groups')!;
    expect(text(groupsPanel.querySelector('.empty'))).to.equal('No groups yet.');
    await expect(root).to.be.accessible();
    await typeInto(groupsPanel.querySelector<HTMLInputElement>('input[name="name"]')!, 'Build team');
    await waitUntil(() => [...groupsPanel.querySelectorAll('ul.groups a')].some((a) => text(a) === 'Build team'), 'group listed', { timeout: 5000 });
    expect(text(groupsPanel.querySelector('[role="status"].status'))).to.equal('Group "Build team" created.');
    expect(groupsPanel.querySelector<HTMLElement>('.empty')!.hidden).to.equal(true);
    const orgs = (await (await api(env, admin, 'GET', '/api/v1/orgs')).json()) as { items: Array<{ id: string; name: string }> };
    const org = orgs.items.find((o) => o.name === name)!;
    const groups = (await (await api(env, admin, 'GET', `/api/v1/orgs/${org.id}/groups`)).json()) as { items: Array<{ name: string }> };
    expect(groups.items.map((g) => g.name)).to.deep.equal(['Build team']);

    // Members tab: empty, add mia as admin (keyboard submit), change her to user, remove her.
    root.querySelector<HTMLButtonElement>('#tab-groups')!.focus();
    await sendKeys({ press: 'ArrowRight' });
    expect(document.activeElement === root.querySelector('#tab-members'), 'arrow key moved to Members').to.equal(true);
    const membersPanel = root.querySelector<HTMLElement>('#panel-members')!;
    await waitUntil(() => membersPanel.querySelector('form.add-member'), 'add-member form', { timeout: 5000 });
    expect(text(membersPanel.querySelector('.status'))).to.equal('No members yet. Add the first one below.');
    await expect(root).to.be.accessible();
    const userSelect = membersPanel.querySelector<HTMLSelectElement>('form.add-member select[name="user"]')!;
    userSelect.value = mia.id;
    membersPanel.querySelector<HTMLSelectElement>('form.add-member select[name="role"]')!.value = 'admin';
    membersPanel.querySelector<HTMLButtonElement>('form.add-member button[type="submit"]')!.focus();
    await sendKeys({ press: 'Enter' });
    const roleOf = (): HTMLSelectElement | null => membersPanel.querySelector(`select[aria-label="Role of mia-${suffix}"]`);
    await waitUntil(roleOf, 'mia listed', { timeout: 5000 });
    expect(roleOf()!.value).to.equal('admin');
    expect(text(membersPanel.querySelector('table caption'))).to.equal(`Members of ${name}`);
    // "Members" is said by the tab and the caption only, not by a third heading in between.
    expect([...root.querySelectorAll('main :is(h1, h2, h3, caption, [role="tab"])')].filter((n) => /^Members\b/.test(text(n))).length).to.equal(2);
    // The role dropdown is a normal-size field, like the add form's.
    const roleBox = roleOf()!.getBoundingClientRect();
    expect(roleBox.height).to.be.at.least(membersPanel.querySelector('form.add-member select[name="role"]')!.getBoundingClientRect().height - 1);
    expect(getComputedStyle(roleOf()!).fontSize).to.equal(getComputedStyle(document.documentElement).fontSize);
    await waitUntil(() => text(membersPanel.querySelectorAll('[role="status"]')[1] ?? null) === `mia-${suffix} was added as organization admin.`);
    await expect(root).to.be.accessible();
    const members = async (): Promise<Array<{ user: { id: string }; role: string }>> =>
      ((await (await api(env, admin, 'GET', `/api/v1/orgs/${org.id}/members`)).json()) as { items: Array<{ user: { id: string }; role: string }> }).items;
    expect((await members()).map((m) => [m.user.id, m.role])).to.deep.equal([[mia.id, 'admin']]);

    roleOf()!.value = 'user';
    roleOf()!.dispatchEvent(new Event('change'));
    await waitUntil(async () => (await members())[0]?.role === 'user', 'role changed on the server', { timeout: 5000 });
    await waitUntil(() => text(membersPanel.querySelectorAll('[role="status"]')[1] ?? null) === `mia-${suffix} is now organization user.`);

    membersPanel.querySelector<HTMLButtonElement>(`button[aria-label="Remove mia-${suffix}"]`)!.click();
    const confirm = membersPanel.querySelector('pat-confirm-dialog') as PatConfirmDialog;
    await waitUntil(() => confirm.shadowRoot!.querySelector('dialog')?.open, 'asked first');
    expect(text(confirm.shadowRoot!.querySelector('h2'))).to.equal(`Remove mia-${suffix} from ${name}?`);
    await expect(confirm).to.be.accessible();
    confirm.shadowRoot!.querySelector<HTMLButtonElement>('[part="confirm"]')!.click();
    await waitUntil(() => text(membersPanel.querySelector('.status')) === 'No members yet. Add the first one below.', 'removed', { timeout: 5000 });
    expect(await members()).to.deep.equal([]);

    // The group's page has the same Members tab: add mia there as group user.
    location.hash = `#/group/${encodeURIComponent(org.id)}/${encodeURIComponent(((await (await api(env, admin, 'GET', `/api/v1/orgs/${org.id}/groups`)).json()) as { items: Array<{ id: string }> }).items[0]!.id)}`;
    await waitUntil(() => text(root.querySelector('h1')) === 'Group: Build team', 'group page', { timeout: 5000 });
    root.querySelector<HTMLButtonElement>('#tab-members')!.click();
    const groupMembers = root.querySelector<HTMLElement>('#panel-members')!;
    await waitUntil(() => groupMembers.querySelector('form.add-member'), 'group add-member form', { timeout: 5000 });
    groupMembers.querySelector<HTMLSelectElement>('select[name="user"]')!.value = mia.id;
    groupMembers.querySelector<HTMLButtonElement>('form.add-member button[type="submit"]')!.click();
    await waitUntil(() => groupMembers.querySelector(`select[aria-label="Role of mia-${suffix}"]`), 'mia in the group', { timeout: 5000 });
    await expect(root).to.be.accessible();

    // mia is no System Admin: no administration forms for her, the member list read-only.
    await api(env, admin, 'PUT', `/api/v1/orgs/${org.id}/members/${mia.id}`, { role: 'admin' });
    root.querySelector<HTMLButtonElement>('.signout')!.click();
    await waitUntil(() => root.querySelector('form.signin'), 'signed out');
    await signIn(root, env, `mia-${suffix}`, memberPassword);
    location.hash = '#/organizations';
    await waitUntil(() => [...root.querySelectorAll('main a')].some((a) => text(a) === name), 'her organization listed', { timeout: 5000 });
    expect(root.querySelector('form.name-form') === null, 'no "New organization" form').to.equal(true);
    location.hash = `#/org/${encodeURIComponent(org.id)}`;
    await waitUntil(() => root.querySelector('#tab-members'), 'members tab for the organization admin', { timeout: 5000 });
    root.querySelector<HTMLButtonElement>('#tab-members')!.click();
    await waitUntil(() => root.querySelector('#panel-members table:not([hidden]) td'), 'members listed', { timeout: 5000 });
    expect(root.querySelector('#panel-members select, #panel-members form, #panel-members button') === null, 'members read-only').to.equal(true);
    root.querySelector<HTMLButtonElement>('#tab-groups')!.click();
    expect(root.querySelector('#panel-groups form') === null, 'no "New group" form').to.equal(true);
    await expect(root).to.be.accessible();
    await api(env, admin, 'DELETE', '/api/v1/sessions/current');
  });
});
