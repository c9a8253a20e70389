/**
 * The Settings page's "Token approval" choice (`token_approval`: off, non_admins, all), a radio
 * group the settings form adds when the server has the setting, and reads back on save.
 */
import type { ServerSettings } from '../lib/model.ts';
import { el } from './dom.ts';

type Approval = NonNullable<ServerSettings['token_approval']>;

const S = {
  legend: 'Token approval',
  help: 'A token that needs approval is created pending: its secret is shown once but works only after an approver (a System Admin, or an admin of the organisation it is bounded to) approves it.',
  choices: [
    ['off', 'Off: tokens work as soon as they are created'],
    ['non_admins', 'For everyone but System Admins'],
    ['all', 'For everyone, System Admins too'],
  ] as Array<[Approval, string]>,
};

/** The fieldset, or `null` when the server has no such setting. */
export function approvalFieldset(settings: ServerSettings): HTMLElement | null {
  if (settings.token_approval === undefined) return null;
  return el(
    'fieldset',
    { class: 'token-approval', 'aria-describedby': 'token-approval-help' },
    el('legend', {}, S.legend),
    el('p', { id: 'token-approval-help', class: 'help' }, S.help),
    ...S.choices.map(([value, label]) =>
      el(
        'div',
        { class: 'setting' },
        el('input', { type: 'radio', id: `token-approval-${value}`, name: 'token_approval', value, checked: settings.token_approval === value }),
        el('label', { for: `token-approval-${value}` }, label),
      ),
    ),
  );
}

/** `{ token_approval }` as chosen in `form`, or nothing when the form has no such choice. */
export function approvalPatch(form: HTMLFormElement): Partial<ServerSettings> {
  const chosen = form.querySelector<HTMLInputElement>('input[name="token_approval"]:checked');
  return chosen ? { token_approval: chosen.value as Approval } : {};
}
