/**
 * Organisation administration for System Admins (`users:write`) on the console's Organizations,
 * Organization and Group pages: create organisations and groups, add and remove members, set their
 * role. Console-only (plain DOM), so none of it reaches the kit bundle. Server strings go in as
 * text only (docs/security.md rule 21).
 */
import '../components/confirm-dialog/confirm-dialog.ts';
import type { PatConfirmDialog } from '../components/confirm-dialog/confirm-dialog.component.ts';
import type { MemberRole, Membership, User } from '../lib/model.ts';
import type { ScopedOwner, TokenProvider } from '../lib/provider.ts';
import { dataTable, el, errorText } from './dom.ts';
import { requireOperation } from '../lib/providers/require-operation.ts';
import { orgStrings } from './org.strings.ts';

let uid = 0;
/** Ids unique on the page, so several forms can label their own fields. */
const nextId = (prefix: string): string => `${prefix}-${(uid += 1)}`;

/** The signed-in user may create organisations and groups and set memberships. */
export function canAdministerOrgs(user: User | null): boolean {
  return !!user?.permissions.includes('users:write');
}

/**
 * A one-field "name it and create it" form (new organisation, new group). The error is tied to the
 * field (`aria-describedby`, `aria-invalid`) and read out; after success the field is empty and
 * keeps focus, so the next one can be typed at once.
 */
export function createNameForm(options: {
  heading: string;
  label: string;
  button: string;
  create: (name: string) => Promise<string>;
}): HTMLElement {
  const id = nextId('name');
  const input = el('input', { id, name: 'name', required: true, maxlength: '100', autocomplete: 'off', 'aria-describedby': `${id}-error` });
  const error = el('p', { id: `${id}-error`, class: 'error', role: 'alert' });
  const status = el('p', { role: 'status', class: 'status' });
  const submit = el('button', { type: 'submit', class: 'primary' }, options.button);
  const headingId = `${id}-heading`;
  const form = el(
    'form',
    { class: 'name-form', 'aria-labelledby': headingId, novalidate: true },
    el('h2', { id: headingId }, options.heading),
    el('div', { class: 'field' }, el('label', { for: id }, options.label), input, submit),
    error,
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    status.textContent = '';
    input.removeAttribute('aria-invalid');
    const name = input.value.trim();
    if (!name) {
      input.setAttribute('aria-invalid', 'true');
      error.textContent = orgStrings().enterName;
      input.focus();
      return;
    }
    submit.disabled = true;
    try {
      status.textContent = await options.create(name);
      input.value = '';
    } catch (e) {
      input.setAttribute('aria-invalid', 'true');
      error.textContent = errorText(e);
    } finally {
      submit.disabled = false;
      if (input.isConnected) input.focus();
    }
  });
  return form;
}

/** Every person on the server (technical users cannot be added: each belongs to its own token). */
async function listPeople(provider: TokenProvider): Promise<User[]> {
  const people: User[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 20; pages += 1) {
    const page = await requireOperation(provider, 'listUsers')({ cursor, limit: 200 });
    people.push(...page.items.filter((u) => u.kind === 'person' && u.active));
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return people.sort((a, b) => a.username.localeCompare(b.username));
}

const roleLabel = (role: MemberRole): string => (role === 'admin' ? orgStrings().memberAdmin : orgStrings().memberUser);

function roleSelect(attrs: Record<string, string>, value: MemberRole): HTMLSelectElement {
  const select = el('select', attrs);
  for (const role of ['user', 'admin'] as const) {
    const option = el('option', { value: role }, roleLabel(role));
    option.selected = role === value;
    select.append(option);
  }
  return select;
}

/** What a member row and the add form share with their panel. */
interface MembersContext {
  provider: TokenProvider;
  level: ScopedOwner;
  levelWord: 'organization' | 'group';
  confirm: PatConfirmDialog;
  /** The polite outcome line. */
  announce(text: string): void;
  fail(error: unknown): void;
  clearError(): void;
  /** Reloads the list (and the add form); `focus` then goes to the panel's heading. */
  reload(focus: 'heading' | 'add-form'): Promise<void>;
}

const personLabel = (u: { username: string; display_name: string }): string =>
  u.display_name && u.display_name !== u.username ? `${u.username} (${u.display_name})` : u.username;

function memberRow(m: Membership, canEdit: boolean, ctx: MembersContext): HTMLElement {
  const s = orgStrings();
  const who = personLabel(m.user);
  const kind = m.user.kind === 'technical' ? s.technicalUser : s.person;
  if (!canEdit) return el('tr', {}, el('td', {}, who), el('td', {}, kind), el('td', {}, roleLabel(m.role)));
  const select = roleSelect({ 'aria-label': s.roleOf(m.user.username) }, m.role);
  select.addEventListener('change', async () => {
    const role = select.value as MemberRole;
    ctx.clearError();
    select.disabled = true;
    try {
      const saved = await ctx.provider.setMember!(ctx.level, m.user.id, role);
      m.role = saved.role;
      ctx.announce(s.roleChanged(m.user.username, ctx.levelWord, saved.role));
    } catch (e) {
      select.value = m.role;
      ctx.fail(e);
    } finally {
      select.disabled = false;
      select.focus();
    }
  });
  const remove = el('button', { type: 'button', class: 'danger', 'aria-label': s.removeName(m.user.username) }, s.remove);
  remove.addEventListener('click', async () => {
    const answer = await ctx.confirm.ask({
      title: s.removeTitle(m.user.username, ctx.level.name),
      body: m.user.kind === 'technical' ? s.removeTechnical : s.removePerson(ctx.levelWord),
      confirmLabel: s.remove,
      danger: true,
    });
    if (!answer.confirmed) return;
    ctx.clearError();
    try {
      await ctx.provider.removeMember!(ctx.level, m.user.id);
      ctx.announce(s.removed(m.user.username, ctx.level.name));
      await ctx.reload('heading');
    } catch (e) {
      ctx.fail(e);
    }
  });
  return el('tr', {}, el('td', {}, who), el('td', {}, kind), el('td', {}, select), el('td', {}, remove));
}

/** "Add a member": the people not in the level yet, and a role. */
function addMemberForm(candidates: User[], ctx: MembersContext): HTMLElement[] {
  const s = orgStrings();
  if (candidates.length === 0) return [el('h2', {}, s.addMember), el('p', {}, s.everyoneIsMember)];
  const id = nextId('member');
  const user = el('select', { id: `${id}-user`, name: 'user' }, ...candidates.map((u) => el('option', { value: u.id }, personLabel(u))));
  const role = roleSelect({ id: `${id}-role`, name: 'role' }, 'user');
  const submit = el('button', { type: 'submit', class: 'primary' }, s.addMemberButton);
  const form = el(
    'form',
    { class: 'add-member', 'aria-labelledby': `${id}-heading` },
    el('h2', { id: `${id}-heading` }, s.addMember),
    el('div', { class: 'field' }, el('label', { for: `${id}-user` }, s.user), user, el('label', { for: `${id}-role` }, s.role), role, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    ctx.clearError();
    submit.disabled = true;
    const chosen = candidates.find((u) => u.id === user.value);
    try {
      const saved = await ctx.provider.setMember!(ctx.level, user.value, role.value as MemberRole);
      ctx.announce(s.added(chosen?.username ?? saved.user.username, ctx.levelWord, saved.role));
      await ctx.reload('add-form');
    } catch (e) {
      submit.disabled = false;
      ctx.fail(e);
    }
  });
  return [form];
}

/**
 * The "Members" tab of an Organization or Group page: who belongs, with which role. System Admins
 * change a role in place, remove a member (after a confirmation) and add people; the level's admins
 * see the list only.
 */
export function membersPanel(provider: TokenProvider, level: ScopedOwner, canEdit: boolean): HTMLElement {
  const s = orgStrings();
  const body = el('tbody');
  const state = el('p', { role: 'status', class: 'status' }, s.loadingMembers);
  const announce = el('p', { role: 'status', class: 'status' });
  const error = el('p', { role: 'alert', class: 'error' });
  const confirm = document.createElement('pat-confirm-dialog') as PatConfirmDialog;
  const table = dataTable(
    { class: 'members', hidden: true },
    el('caption', {}, s.membersOf(level.name)),
    [s.colUser, s.colKind, s.colRole, ...(canEdit ? [s.colActions] : [])],
    body,
  );
  const addSlot = el('div');
  // No "Members" heading: the tab already says it, and the table's caption names the level.
  const section = el('section', { class: 'members-panel' }, state, table, announce, error, addSlot, confirm);

  let people: User[] | null = null;
  const ctx: MembersContext = {
    provider,
    level,
    levelWord: level.kind === 'organization' ? 'organization' : 'group',
    confirm,
    announce: (text) => (announce.textContent = text),
    fail: (e) => {
      announce.textContent = '';
      error.textContent = errorText(e);
    },
    clearError: () => (error.textContent = ''),
    reload: async (focus) => {
      await load();
      if (focus === 'add-form') {
        addSlot.querySelector<HTMLElement>('select')?.focus();
        return;
      }
      const panel = section.closest<HTMLElement>('[role="tabpanel"]') ?? section;
      if (!panel.hasAttribute('tabindex')) panel.setAttribute('tabindex', '-1');
      panel.focus();
    },
  };
  const load = async (): Promise<void> => {
    try {
      const members = await provider.listMembers!(level);
      body.replaceChildren(...members.map((m) => memberRow(m, canEdit, ctx)));
      table.hidden = members.length === 0;
      state.textContent = members.length === 0 ? s.noMembers(canEdit) : '';
      if (!canEdit) return;
      people ??= await listPeople(provider);
      const current = new Set(members.map((m) => m.user.id));
      addSlot.replaceChildren(...addMemberForm(people.filter((u) => !current.has(u.id)), ctx));
    } catch (e) {
      state.textContent = '';
      ctx.fail(e);
    }
  };

  void load();
  return section;
}
