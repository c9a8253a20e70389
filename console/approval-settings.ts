/**
 * The Settings page's "Token approval" choice (`token_approval`: off, non_admins, all), a radio
 * group the settings form adds when the server has the setting, and reads back on save.
 */
import type { ServerSettings } from '../lib/model.ts';
import { approvalSettingsStrings } from './approval-settings.strings.ts';
import { el } from './dom.ts';

type Approval = NonNullable<ServerSettings['token_approval']>;

const CHOICES: Approval[] = ['off', 'non_admins', 'all'];

/** The fieldset, or `null` when the server has no such setting. */
export function approvalFieldset(settings: ServerSettings): HTMLElement | null {
  if (settings.token_approval === undefined) return null;
  const s = approvalSettingsStrings();
  return el(
    'fieldset',
    { class: 'token-approval', 'aria-describedby': 'token-approval-help' },
    el('legend', {}, s.legend),
    el('p', { id: 'token-approval-help', class: 'help' }, s.help),
    ...CHOICES.map((value) =>
      el(
        'div',
        { class: 'setting' },
        el('input', { type: 'radio', id: `token-approval-${value}`, name: 'token_approval', value, checked: settings.token_approval === value }),
        el('label', { for: `token-approval-${value}` }, s[value]),
      ),
    ),
  );
}

/** `{ token_approval }` as chosen in `form`, or nothing when the form has no such choice. */
export function approvalPatch(form: HTMLFormElement): Partial<ServerSettings> {
  const chosen = form.querySelector<HTMLInputElement>('input[name="token_approval"]:checked');
  return chosen ? { token_approval: chosen.value as Approval } : {};
}
