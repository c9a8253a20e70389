/**
 * The reason dialog of `<pat-token-requests>`: a modal `<dialog>` asking why a request (or
 * several) is denied. The reason is required and at most 500 characters, as the server wants;
 * Escape and Cancel close it with nothing changed.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { RequestsStrings } from './token-requests.strings.ts';

/** The longest reason the server takes. */
export const REASON_MAX = 500;

export interface DenyDialogView {
  s: RequestsStrings;
  title: string;
  /** Why the last Deny was refused ('' when it was not). */
  error: string;
  submit(reason: string): void;
  cancel(): void;
}

export function denyDialog(v: DenyDialogView): TemplateResult {
  const { s } = v;
  return html`<dialog
    part="deny-dialog"
    aria-labelledby="deny-title"
    aria-describedby="deny-body"
    @cancel=${(e: Event) => {
      e.preventDefault();
      v.cancel();
    }}
  >
    <form
      novalidate
      @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        const form = e.currentTarget as HTMLFormElement;
        v.submit((form.elements.namedItem('reason') as HTMLTextAreaElement).value);
      }}
    >
      <h2 id="deny-title">${v.title}</h2>
      <p id="deny-body">${s.denyBody}</p>
      <label class="reason-label" for="deny-reason">${s.denyReason}</label>
      <textarea
        id="deny-reason"
        name="reason"
        part="reason"
        rows="3"
        required
        maxlength=${REASON_MAX}
        aria-invalid=${v.error ? 'true' : 'false'}
        aria-describedby=${v.error ? 'deny-error' : nothing}
      ></textarea>
      ${v.error ? html`<p id="deny-error" class="error-text" role="alert">${v.error}</p>` : nothing}
      <div class="actions">
        <button type="button" part="deny-cancel" @click=${() => v.cancel()}>${s.denyCancel}</button>
        <button type="submit" class="danger" part="deny-confirm">${s.denyConfirm}</button>
      </div>
    </form>
  </dialog>`;
}
