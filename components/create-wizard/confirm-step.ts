import { html, nothing, type TemplateResult } from 'lit';
import type { User } from '../../lib/model.ts';
import { passwordConfirmation } from '../shared/password-confirmation.ts';
import type { Draft } from './wizard-form.ts';
import type { StepView } from './step-view.ts';

export interface ConfirmSummary {
  mode: 'create' | 'edit';
  draft: Draft;
  /** Shown only where an admin picks the owner. */
  owner: User | null;
  /** A date as the user's locale writes it. */
  date: (iso: string) => string;
  /** Ask for the password; its keystrokes go to `password`, never into the form's state. */
  needsPassword: boolean;
  password: (value: string) => void;
}

/** The summary of what will be saved, and the password where the server wants it. */
export function confirmStep(v: StepView, c: ConfirmSummary): TemplateResult {
  const { s, caps, fields, errors } = v;
  const expires = c.draft.expires_at;
  return html`<fieldset>
    <legend>${s.stepConfirm}</legend>
    <p class="muted">${c.mode === 'edit' ? s.confirmSummaryEdit : s.confirmSummary}</p>
    <dl>
      ${caps.names ? html`<dt>${s.fieldName}</dt><dd>${fields.name}</dd>` : nothing}
      ${caps.description ? html`<dt>${s.fieldDescription}</dt><dd>${fields.description || '—'}</dd>` : nothing}
      ${caps.expiry.mode !== 'none'
        ? html`<dt>${s.stepExpiry}</dt>
            <dd>${expires === undefined ? s.expiryDefault(caps.expiry.defaultLifetimeDays ?? 30) : expires === null ? s.expiryNever : c.date(expires)}</dd>`
        : nothing}
      ${caps.scopes !== 'none' ? html`<dt>${s.stepAccess}</dt><dd>${c.draft.scopes.join(', ') || '—'}</dd>` : nothing}
      ${c.owner ? html`<dt>${s.stepOwner}</dt><dd>${c.owner.username}</dd>` : nothing}
    </dl>
    ${c.needsPassword
      ? passwordConfirmation({
          label: s.confirmPasswordLabel,
          help: s.confirmPasswordHelp,
          error: errors.password,
          errorId: 'err-password',
          labelClass: 'field',
          onInput: (value) => {
            c.password(value);
            v.clearError('password');
          },
        })
      : nothing}
  </fieldset>`;
}
