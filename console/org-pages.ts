/**
 * The console's Organization and Group pages (hash routes `#/organizations`, `#/org/<id>`,
 * `#/group/<org id>/<group id>`), each with an "Access Tokens" tab that is the kit's
 * `<pat-token-manager>` with a `scopeOwner`, plus "Groups" and "Members" tabs; System Admins also
 * create organisations and groups and manage members there (`org-admin.ts`). Server strings go in
 * as text only (docs/security.md rule 21).
 */
import '../components/token-manager/token-manager.ts';
import type { PatTokenManager } from '../components/token-manager/token-manager.component.ts';
import type { Group, Organization, User } from '../lib/model.ts';
import type { ScopedOwner, TokenProvider } from '../lib/provider.ts';
import { canAdministerOrgs, createNameForm, membersPanel } from './org-admin.ts';
import { el, errorText } from './dom.ts';
import { orgStrings } from './org.strings.ts';

function roleLabel(role: Organization['role']): string {
  const s = orgStrings();
  return role === 'admin' ? s.roleAdmin : role === 'user' ? s.roleUser : s.notMember;
}

/** Tabs after the WAI-ARIA pattern: arrow keys move between tabs, each tab controls one panel. */
function tabs(label: string, items: Array<{ id: string; title: string; panel: () => Node }>): HTMLElement {
  const list = el('div', { role: 'tablist', 'aria-label': label, class: 'tabs' });
  const panels: HTMLElement[] = [];
  const buttons = items.map((item, index) => {
    const button = el('button', { type: 'button', role: 'tab', id: `tab-${item.id}`, 'aria-controls': `panel-${item.id}`, 'data-label': item.title }, item.title);
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
  const s = orgStrings();
  if (!canManage) return el('p', { role: 'status' }, s.onlyAdmins(owner.kind === 'organization' ? 'organization' : 'group'));
  const manager = document.createElement('pat-token-manager') as PatTokenManager;
  manager.heading = s.accessTokens;
  manager.currentUser = user;
  manager.scopeOwner = owner;
  manager.provider = provider;
  return manager;
}

/** `#/organizations`: the organisations and groups the caller belongs to (System Admins: all, and a form to create one). */
export async function renderOrganizations(provider: TokenProvider, main: HTMLElement, user: User | null = null): Promise<void> {
  const s = orgStrings();
  main.replaceChildren(el('h1', {}, s.organizations), el('p', { role: 'status' }, s.loading));
  const admin = canAdministerOrgs(user) && !!provider.createOrganization;
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
    const empty = admin ? s.noOrgsAdmin : s.noOrgs;
    const createForm = admin
      ? createNameForm({
          heading: s.newOrg,
          label: s.orgName,
          button: s.createOrg,
          create: async (name) => {
            const org = await provider.createOrganization!(name);
            // Its page is where groups and members are added next.
            location.hash = `#/org/${encodeURIComponent(org.id)}`;
            return s.orgCreated(org.name);
          },
        })
      : null;
    main.replaceChildren(
      el('h1', {}, s.organizations),
      items.length ? el('ul', { class: 'orgs' }, ...items) : el('p', { class: 'empty' }, empty),
      ...(createForm ? [createForm] : []),
    );
  } catch (e) {
    main.replaceChildren(el('h1', {}, s.organizations), el('p', { class: 'error', role: 'alert' }, errorText(e)));
  }
}

/** After a page replaced the one focus was on, start keyboard users at its heading. */
function focusHeading(main: HTMLElement): void {
  const active = document.activeElement;
  if (active && active !== document.body && active.isConnected) return;
  const h1 = main.querySelector('h1');
  h1?.setAttribute('tabindex', '-1');
  h1?.focus();
}

function groupLink(orgId: string, g: Group): HTMLElement {
  return el('a', { href: `#/group/${encodeURIComponent(orgId)}/${encodeURIComponent(g.id)}` }, g.name);
}

/** The "Groups" tab: the groups, and for System Admins a form to add one. */
function groupsPanel(provider: TokenProvider, user: User | null, org: Organization, groups: Group[]): HTMLElement {
  const s = orgStrings();
  const list = el('ul', { class: 'groups' }, ...groups.map((g) => el('li', {}, groupLink(org.id, g))));
  const empty = el('p', { class: 'empty' }, s.noGroups);
  const sync = (): void => {
    list.hidden = list.children.length === 0;
    empty.hidden = list.children.length > 0;
  };
  sync();
  const admin = canAdministerOrgs(user) && !!provider.createGroup;
  return el(
    'section',
    { class: 'groups-panel' },
    el('h2', {}, s.groups),
    list,
    empty,
    admin
      ? createNameForm({
          heading: s.newGroup,
          label: s.groupName,
          button: s.createGroup,
          create: async (name) => {
            const group = await provider.createGroup!(org.id, name);
            list.append(el('li', {}, groupLink(org.id, group)));
            sync();
            return s.groupCreated(group.name);
          },
        })
      : null,
  );
}

/** Members are listed to the level's admins (and System Admins), and changed by System Admins only. */
function membersTab(provider: TokenProvider, user: User | null, level: ScopedOwner, canManage: boolean) {
  if (!provider.listMembers || !(canManage || canAdministerOrgs(user))) return [];
  return [{ id: 'members', title: orgStrings().members, panel: () => membersPanel(provider, level, canAdministerOrgs(user) && !!provider.setMember) }];
}

/** `#/org/<id>`: the Organization page, tabs "Access Tokens" and "Groups". */
export async function renderOrganizationPage(provider: TokenProvider, user: User | null, main: HTMLElement, orgId: string): Promise<void> {
  const s = orgStrings();
  try {
    const org = ((await provider.listOrganizations?.()) ?? []).find((o) => o.id === orgId);
    if (!org) throw new Error(s.noSuchOrg);
    const groups: Group[] = (await provider.listGroups?.(org.id)) ?? [];
    document.title = `${org.name} · patkit`;
    main.replaceChildren(
      el('p', { class: 'crumbs' }, el('a', { href: '#/organizations' }, s.organizations)),
      el('h1', {}, s.orgTitle(org.name)),
      tabs(s.organization, [
        { id: 'access-tokens', title: s.accessTokens, panel: () => accessTokens(provider, user, { kind: 'organization', id: org.id, name: org.name }, org.can_manage_tokens) },
        { id: 'groups', title: s.groups, panel: () => groupsPanel(provider, user, org, groups) },
        ...membersTab(provider, user, { kind: 'organization', id: org.id, name: org.name }, org.can_manage_tokens),
      ]),
    );
    focusHeading(main);
  } catch (e) {
    main.replaceChildren(el('h1', {}, s.organization), el('p', { class: 'error', role: 'alert' }, errorText(e)));
  }
}

/** `#/group/<org id>/<group id>`: the Group page with its "Access Tokens" tab. */
export async function renderGroupPage(provider: TokenProvider, user: User | null, main: HTMLElement, orgId: string, groupId: string): Promise<void> {
  const s = orgStrings();
  try {
    const group = ((await provider.listGroups?.(orgId)) ?? []).find((g) => g.id === groupId);
    if (!group) throw new Error(s.noSuchGroup);
    // The breadcrumb names the organisation (a group admin may see only some organisations: then a plain word).
    const org = ((await provider.listOrganizations?.()) ?? []).find((o) => o.id === orgId);
    document.title = `${group.name} · patkit`;
    main.replaceChildren(
      el('p', { class: 'crumbs' }, el('a', { href: '#/organizations' }, s.organizations), ' / ', el('a', { href: `#/org/${encodeURIComponent(orgId)}` }, org?.name ?? s.organization)),
      el('h1', {}, s.groupTitle(group.name)),
      tabs(s.group, [
        {
          id: 'access-tokens',
          title: s.accessTokens,
          panel: () => accessTokens(provider, user, { kind: 'group', id: group.id, org_id: group.org_id, name: group.name }, group.can_manage_tokens),
        },
        ...membersTab(provider, user, { kind: 'group', id: group.id, org_id: group.org_id, name: group.name }, group.can_manage_tokens),
      ]),
    );
    focusHeading(main);
  } catch (e) {
    main.replaceChildren(el('h1', {}, s.group), el('p', { class: 'error', role: 'alert' }, errorText(e)));
  }
}
