/**
 * The console's Organization and Group pages (hash routes `#/organizations`, `#/org/<id>`,
 * `#/group/<org id>/<group id>`), each with an "Access Tokens" tab that is the kit's
 * `<pat-token-manager>` with a `scopeOwner`. Server strings go in as text only (SECURITY.md 21).
 */
import '../components/token-manager/token-manager.ts';
import type { PatTokenManager } from '../components/token-manager/token-manager.component.ts';
import type { Group, Organization, User } from '../lib/model.ts';
import type { ScopedOwner, TokenProvider } from '../lib/provider.ts';

type Child = Node | string | null | undefined | false;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const roleLabel = (role: Organization['role']): string => (role === 'admin' ? 'admin' : role === 'user' ? 'user' : 'not a member');

/** Tabs after the WAI-ARIA pattern: arrow keys move between tabs, each tab controls one panel. */
function tabs(label: string, items: Array<{ id: string; title: string; panel: () => Node }>): HTMLElement {
  const list = el('div', { role: 'tablist', 'aria-label': label, class: 'tabs' });
  const panels: HTMLElement[] = [];
  const buttons = items.map((item, index) => {
    const button = el('button', { type: 'button', role: 'tab', id: `tab-${item.id}`, 'aria-controls': `panel-${item.id}` }, item.title);
    const panel = el('section', { role: 'tabpanel', id: `panel-${item.id}`, 'aria-labelledby': `tab-${item.id}`, tabindex: '0' });
    panels.push(panel);
    button.addEventListener('click', () => select(index));
    button.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
      event.preventDefault();
      const next = (index + (event.key === 'ArrowRight' ? 1 : items.length - 1)) % items.length;
      select(next);
      buttons[next]!.focus();
    });
    return button;
  });
  const select = (index: number): void => {
    buttons.forEach((b, i) => {
      b.setAttribute('aria-selected', String(i === index));
      b.tabIndex = i === index ? 0 : -1;
      panels[i]!.hidden = i !== index;
    });
    if (!panels[index]!.hasChildNodes()) panels[index]!.append(items[index]!.panel());
  };
  list.append(...buttons);
  const wrapper = el('div', { class: 'tabbed' }, list, ...panels);
  select(0);
  return wrapper;
}

function accessTokens(provider: TokenProvider, user: User | null, owner: ScopedOwner, canManage: boolean): Node {
  const level = owner.kind === 'organization' ? 'organization' : 'group';
  if (!canManage) return el('p', { role: 'status' }, `Only ${level} admins manage this ${level}'s access tokens.`);
  const manager = document.createElement('pat-token-manager') as PatTokenManager;
  manager.heading = 'Access Tokens';
  manager.currentUser = user;
  manager.scopeOwner = owner;
  manager.provider = provider;
  return manager;
}

/** `#/organizations`: the organisations and groups the caller belongs to (System Admins: all). */
export async function renderOrganizations(provider: TokenProvider, main: HTMLElement): Promise<void> {
  main.replaceChildren(el('h1', {}, 'Organizations'), el('p', { role: 'status' }, 'Loading…'));
  try {
    const orgs = (await provider.listOrganizations?.()) ?? [];
    const items = await Promise.all(
      orgs.map(async (org) => {
        const groups = (await provider.listGroups?.(org.id)) ?? [];
        return el(
          'li',
          {},
          el('a', { href: `#/org/${encodeURIComponent(org.id)}` }, org.name),
          ` (${roleLabel(org.role)})`,
          groups.length
            ? el('ul', {}, ...groups.map((g) => el('li', {}, el('a', { href: `#/group/${encodeURIComponent(org.id)}/${encodeURIComponent(g.id)}` }, g.name), ` (${roleLabel(g.role)})`)))
            : null,
        );
      }),
    );
    main.replaceChildren(el('h1', {}, 'Organizations'), items.length ? el('ul', { class: 'orgs' }, ...items) : el('p', {}, 'You are not a member of any organization.'));
  } catch (e) {
    main.replaceChildren(el('h1', {}, 'Organizations'), el('p', { class: 'error', role: 'alert' }, errorText(e)));
  }
}

/** `#/org/<id>`: the Organization page, tabs "Access Tokens" and "Groups". */
export async function renderOrganizationPage(provider: TokenProvider, user: User | null, main: HTMLElement, orgId: string): Promise<void> {
  try {
    const org = ((await provider.listOrganizations?.()) ?? []).find((o) => o.id === orgId);
    if (!org) throw new Error('That organization does not exist.');
    const groups: Group[] = (await provider.listGroups?.(org.id)) ?? [];
    document.title = `${org.name} · patkit`;
    main.replaceChildren(
      el('p', { class: 'crumbs' }, el('a', { href: '#/organizations' }, 'Organizations')),
      el('h1', {}, `Organization: ${org.name}`),
      tabs('Organization', [
        { id: 'access-tokens', title: 'Access Tokens', panel: () => accessTokens(provider, user, { kind: 'organization', id: org.id, name: org.name }, org.can_manage_tokens) },
        {
          id: 'groups',
          title: 'Groups',
          panel: () =>
            groups.length
              ? el('ul', {}, ...groups.map((g) => el('li', {}, el('a', { href: `#/group/${encodeURIComponent(org.id)}/${encodeURIComponent(g.id)}` }, g.name))))
              : el('p', {}, 'No groups.'),
        },
      ]),
    );
  } catch (e) {
    main.replaceChildren(el('h1', {}, 'Organization'), el('p', { class: 'error', role: 'alert' }, errorText(e)));
  }
}

/** `#/group/<org id>/<group id>`: the Group page with its "Access Tokens" tab. */
export async function renderGroupPage(provider: TokenProvider, user: User | null, main: HTMLElement, orgId: string, groupId: string): Promise<void> {
  try {
    const group = ((await provider.listGroups?.(orgId)) ?? []).find((g) => g.id === groupId);
    if (!group) throw new Error('That group does not exist.');
    document.title = `${group.name} · patkit`;
    main.replaceChildren(
      el('p', { class: 'crumbs' }, el('a', { href: '#/organizations' }, 'Organizations'), ' / ', el('a', { href: `#/org/${encodeURIComponent(orgId)}` }, 'Organization')),
      el('h1', {}, `Group: ${group.name}`),
      tabs('Group', [
        {
          id: 'access-tokens',
          title: 'Access Tokens',
          panel: () => accessTokens(provider, user, { kind: 'group', id: group.id, org_id: group.org_id, name: group.name }, group.can_manage_tokens),
        },
      ]),
    );
  } catch (e) {
    main.replaceChildren(el('h1', {}, 'Group'), el('p', { class: 'error', role: 'alert' }, errorText(e)));
  }
}
