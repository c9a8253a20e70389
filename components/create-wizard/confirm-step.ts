import { html, nothing, type TemplateResult } from 'lit';
import type { TokenTemplate, User } from '../../lib/model.ts';
import { passwordConfirmation } from '../shared/password-confirmation.ts';
import { MAX_JUSTIFICATION } from './fine-grained-rules.ts';
import type { Draft } from './wizard-types.ts';
import { errorRef, field, invalid, valueOf, type StepView } from './step-view.ts';

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
  /** The template the token starts from, if any. */
  template: TokenTemplate | null;
  /** The request waits for an approver: say what is reviewed and ask why. */
  approval: boolean;
  /** A time as the user's locale writes it (with the time of day). */
  dateTime: (iso: string) => string;
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
      ${c.owner ? html`<dt>${s.stepOwner}</dt><dd>${c.owner.username}</dd>` : nothing} ${fineGrainedSummary(v, c)}
    </dl>
    ${c.approval ? justification(v) : nothing}
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

/** Template, resources, addresses and start time, where the server has them. */
function fineGrainedSummary(v: StepView, c: ConfirmSummary): TemplateResult {
  const { s, caps } = v;
  const d = c.draft;
  return html`${c.template ? html`<dt>${s.summaryTemplate}</dt><dd>${c.template.name}</dd>` : nothing}
    ${caps.resources && c.mode === 'create'
      ? html`<dt>${s.summaryResources}</dt><dd>${d.resources?.map((r) => r.name || r.id).join(', ') || s.resourcesAll}</dd>`
      : nothing}
    ${caps.allowedIps ? html`<dt>${s.summaryIps}</dt><dd>${d.allowed_ips?.join(', ') || s.summaryAnyIp}</dd>` : nothing}
    ${caps.notBefore && d.not_before ? html`<dt>${s.summaryNotBefore}</dt><dd>${c.dateTime(d.not_before)}</dd>` : nothing}`;
}

/** What the organisation will review, and the requester's reason for it. */
function justification(v: StepView): TemplateResult {
  const { s, fields, errors } = v;
  return html`<p part="approval-notice" class="notice">${s.approvalNotice}</p>
    ${field(
      errors,
      'justification',
      s.justificationLabel,
      html`<textarea
        name="justification"
        rows="3"
        required
        maxlength=${MAX_JUSTIFICATION}
        .value=${fields.justification}
        aria-invalid=${invalid(errors, 'justification')}
        aria-describedby=${errorRef(errors, 'justification') ?? 'help-justification'}
        @input=${(e: InputEvent) => v.set({ justification: valueOf(e) }, 'justification')}
      ></textarea>`,
      s.justificationHelp,
    )}`;
}
