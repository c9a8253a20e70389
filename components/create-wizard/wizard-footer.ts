import { html, nothing, type TemplateResult } from 'lit';
import type { WizardText } from './wizard-types.ts';

/** The System Admin question: its Cancel is the only one while it is open (the footer hides). */
export function wizardAdminPrompt(s: WizardText, open: boolean, busy: boolean, on: { cancel(): void; confirm(): void }): TemplateResult | typeof nothing {
  if (!open) return nothing;
  return html`<div part="admin-warning" role="alert">
    <p>${s.adminWarning}</p>
    <div class="actions">
      <button type="button" part="admin-cancel" data-safe-choice @click=${on.cancel}>${s.cancel}</button>
      <button type="button" part="admin-confirm" class="danger" ?disabled=${busy} @click=${on.confirm}>${s.adminConfirm}</button>
    </div>
  </div>`;
}

export interface FooterState {
  mode: 'create' | 'edit';
  busy: boolean;
  adminPrompt: boolean;
  first: boolean;
  last: boolean;
}

/** Cancel, Back, and Next or Create / Save (both submit the form: Enter moves on). */
export function wizardFooter(s: WizardText, f: FooterState, on: { cancel(): void; back(): void }): TemplateResult {
  return html`<div class="footer" ?hidden=${f.adminPrompt}>
    <button type="button" part="cancel" @click=${on.cancel}>${s.cancel}</button>
    <span class="spacer"></span>
    ${f.first ? nothing : html`<button type="button" part="back" @click=${on.back}>${s.back}</button>`}
    ${f.last
      ? html`<button type="submit" part="submit" class="primary" ?disabled=${f.busy || f.adminPrompt}>
          ${f.busy ? s.saving : f.mode === 'edit' ? s.save : s.create}
        </button>`
      : html`<button type="submit" part="next" class="primary">${s.next}</button>`}
  </div>`;
}
