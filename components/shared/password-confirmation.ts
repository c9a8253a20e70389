import { html, nothing, type TemplateResult } from 'lit';

export interface PasswordConfirmationOptions {
  label: string;
  /** The line under the field while there is no error (omitted when not given). */
  help?: string;
  /** The reason the last password was refused; shown instead of the help, the field marked invalid. */
  error?: string | undefined;
  /** Id of the help line (the field's description). */
  helpId?: string;
  /** Id of the error line, where it differs from the help's (the wizard's `err-<field>` pattern). */
  errorId?: string;
  /** Class of the label (`field` in forms laid out one field a line). */
  labelClass?: string;
  /** Each keystroke's value, for a form that keeps the password out of its own state until sent. */
  onInput?: (value: string) => void;
}

/**
 * The one password field every kit form asks before a sensitive change:
 * `current-password` autofill, required, its help or the server's refusal as its description.
 */
export function passwordConfirmation(o: PasswordConfirmationOptions): TemplateResult {
  const helpId = o.helpId ?? 'pw-help';
  const describedBy = o.error ? (o.errorId ?? helpId) : o.help !== undefined ? helpId : undefined;
  const line = o.error ?? o.help;
  return html`<label class=${o.labelClass ?? nothing}
    >${o.label}
    <input
      type="password"
      name="password"
      autocomplete="current-password"
      required
      aria-invalid=${o.error ? 'true' : 'false'}
      aria-describedby=${describedBy ?? nothing}
      @input=${(e: InputEvent) => o.onInput?.((e.target as HTMLInputElement).value)}
    />
    ${line !== undefined ? html`<span id=${describedBy!} class=${o.error ? 'error-text' : 'muted'}>${line}</span>` : nothing}
  </label>`;
}
