/**
 * The console's Audit log page: filters the server already offers (action, user, token id), the
 * events newest first, "Load more". Each row says whom an event is about: the changed user for
 * `user.*` events (`detail.username`, or the user's name looked up from the id), else the token's
 * owner. Server strings go in as text only (docs/security.md rule 21).
 */
import type { AuditEvent, AuditQuery, User } from '../lib/model.ts';
import type { TokenProvider } from '../lib/provider.ts';
import { requireOperation } from '../lib/providers/require-operation.ts';
import { dataTable, el, errorText, formatUtc } from './dom.ts';
import { AUDIT_ACTIONS, auditStrings } from './audit-log.strings.ts';

/** An action's description in the console's language, when it is one the console knows. */
function describeAction(action: string): string | undefined {
  return (AUDIT_ACTIONS as readonly string[]).includes(action) ? auditStrings()[action as (typeof AUDIT_ACTIONS)[number]] : undefined;
}

/** Whom an event is about, in words: the username where the event or the user list names one. */
export function subjectOf(event: AuditEvent, usernames: ReadonlyMap<string, string>): string {
  const named = event.detail['username'];
  if (typeof named === 'string' && named) return named;
  if (event.owner_id === null) return '—';
  return usernames.get(event.owner_id) ?? event.owner_id;
}

function filterForm(users: readonly User[], apply: (query: AuditQuery) => void): HTMLFormElement {
  const s = auditStrings();
  const action = el('input', { id: 'audit-action', list: 'audit-actions', autocomplete: 'off', maxlength: '64', placeholder: s.any });
  const user = el('select', { id: 'audit-user' }, el('option', { value: '' }, s.anyone), ...users.map((u) => el('option', { value: u.id }, u.username)));
  const token = el('input', { id: 'audit-token', autocomplete: 'off', maxlength: '64', placeholder: 'tok_…' });
  const form = el(
    'form',
    { class: 'audit-filters', 'aria-label': s.filterLabel },
    el('label', { for: 'audit-action' }, s.action),
    action,
    el('datalist', { id: 'audit-actions' }, ...AUDIT_ACTIONS.map((a) => el('option', { value: a, label: s[a] }))),
    el('label', { for: 'audit-user' }, s.user),
    user,
    el('label', { for: 'audit-token' }, s.tokenId),
    token,
    el('button', { type: 'submit', class: 'primary' }, s.filter),
    el('button', { type: 'reset' }, s.clear),
  );
  const read = (): AuditQuery => ({
    ...(action.value.trim() ? { action: action.value.trim() } : {}),
    ...(user.value ? { user_id: user.value } : {}),
    ...(token.value.trim() ? { token_id: token.value.trim() } : {}),
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply(read());
  });
  // After the reset has emptied the fields.
  form.addEventListener('reset', () => setTimeout(() => apply({})));
  return form;
}

/** The Audit log page's content (under the page heading). */
export function renderAuditLog(provider: TokenProvider): HTMLElement {
  const s = auditStrings();
  const body = el('tbody');
  const status = el('p', { role: 'status' }, s.loading);
  const more = el('button', { type: 'button', hidden: true }, s.loadMore);
  const usernames = new Map<string, string>();
  let query: AuditQuery = {};
  let cursor: string | null = null;
  let seq = 0;
  const row = (e: AuditEvent): HTMLElement =>
    el(
      'tr',
      {},
      el('td', {}, formatUtc(e.at)),
      // The action as the server names it (what the filter takes), described in words on hover.
      el('td', {}, el('span', { title: describeAction(e.action) }, e.action)),
      el('td', {}, e.actor?.username ?? '—'),
      el('td', {}, subjectOf(e, usernames)),
      el('td', {}, e.token_id ?? '—'),
      el('td', {}, e.ip ?? '—'),
    );
  const load = async (fresh: boolean): Promise<void> => {
    const mine = fresh ? ++seq : seq;
    if (fresh) cursor = null;
    try {
      const page = await requireOperation(provider, 'listAudit')({ ...query, cursor, limit: 100 });
      if (mine !== seq) return;
      if (fresh) body.replaceChildren();
      body.append(...page.items.map(row));
      cursor = page.next_cursor;
      more.hidden = cursor === null;
      const filtered = Object.keys(query).length > 0;
      status.textContent = body.children.length === 0 ? (filtered ? s.noMatch : s.none) : s.count(body.children.length);
    } catch (e) {
      if (mine === seq) status.textContent = errorText(e);
    }
  };
  more.addEventListener('click', () => void load(false));
  const section = el('section', { class: 'audit' });
  const table = dataTable({}, el('caption', { class: 'visually-hidden' }, s.caption), [s.colTime, s.colAction, s.colActor, s.colSubject, s.colToken, s.colIp], body);
  const start = async (): Promise<void> => {
    // Names for ids (older events carry only the id); without users:read the ids stay.
    const users = provider.listUsers ? await provider.listUsers({ limit: 100 }).then((p) => p.items, () => [] as User[]) : [];
    for (const u of users) usernames.set(u.id, u.username);
    section.replaceChildren(
      filterForm(users, (q) => {
        query = q;
        status.textContent = s.loading;
        void load(true);
      }),
      table,
      status,
      more,
    );
    await load(true);
  };
  section.append(status);
  void start();
  return section;
}
