import { html, LitElement, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { baseStyles } from '../shared/base.styles.ts';
import { deepActiveElement, focusSafeChoice } from '../shared/focus.ts';
import { LocaleController } from '../shared/locale.ts';
import { confirmStrings } from '../shared/confirm.strings.ts';
import { passwordConfirmation } from '../shared/password-confirmation.ts';
import type { PatStrings } from '../shared/strings.ts';
import { confirmDialogStyles } from './confirm-dialog.styles.ts';

/** What `PatConfirmDialog.ask()` shows. */
export interface ConfirmRequest {
  title: string;
  body: string;
  confirmLabel: string;
  /** Style the confirm button as destructive. */
  danger?: boolean;
  /** Ask for the user's password (server policy for sensitive token changes). */
  password?: boolean;
  /** Shown under the password field, e.g. "That password is not correct." */
  passwordError?: string;
  /** A choice that goes with the answer (regenerate: how long the old value keeps working). */
  choice?: { label: string; value: string; options: ReadonlyArray<{ value: string; label: string }> };
  /** What the change affects, listed under the body (e.g. the tokens a bulk change disables). */
  items?: readonly string[];
  /**
   * Stay open after "yes", busy, with this label on the confirm button (e.g. "Regenerating…"),
   * until `settle()` or the next `ask()`: the user sees the change is under way.
   */
  busyLabel?: string;
}

export interface ConfirmResult {
  confirmed: boolean;
  /** Only when `password` was asked for. Lives only in this returned object. */
  password?: string;
  /** The value picked for `choice`, when one was offered. */
  choice?: string;
}

/**
 * @summary A modal yes/no question (native `<dialog>`, `role="alertdialog"`), optionally with a
 * password field. Used by the kit before destructive token and user changes.
 *
 * @csspart dialog - The `<dialog>` element.
 * @csspart confirm - The confirm button.
 * @csspart cancel - The cancel button.
 * @cssproperty [--pat-accent=#0b5cd5] - Accent: primary buttons, focus ring, selection.
 * @cssproperty [--pat-color-bg=#ffffff] - Background (dark scheme: #0d1117).
 * @cssproperty [--pat-color-fg=#1b1f24] - Text colour.
 * @cssproperty [--pat-color-border=#d0d7de] - Borders.
 * @cssproperty [--pat-color-danger=#b42318] - Destructive actions and errors.
 * @cssproperty [--pat-radius=6px] - Corner radius.
 * @cssproperty [--pat-font-family=system-ui] - Font.
 */
export class PatConfirmDialog extends LitElement {
  static override styles = [baseStyles, confirmDialogStyles];

  readonly #locale = new LocaleController(this, confirmStrings);

  /** Overrides for single strings of the kit's locale (English unless a `lang` picks another). */
  @property({ attribute: false }) strings: Partial<PatStrings> = {};

  @state() private request: ConfirmRequest | null = null;
  /** Answered "yes" to a question with `busyLabel`: open, inert, until `settle()`. */
  @state() private busy = false;
  @query('dialog') private dialog!: HTMLDialogElement;
  @query('input[type="password"]') private passwordInput?: HTMLInputElement;
  @query('select') private choiceInput?: HTMLSelectElement;

  #resolve: ((result: ConfirmResult) => void) | null = null;
  /** Closes we started ourselves; their (asynchronous) close events are not a "no". */
  #ownCloses = 0;
  #returnFocus: HTMLElement | null = null;

  /** Opens the dialog and resolves when the user answers. Focus returns where it was. */
  async ask(request: ConfirmRequest): Promise<ConfirmResult> {
    // A follow-up to a busy dialog (the password again) returns focus where the first question would.
    const followUp = this.busy;
    this.busy = false;
    this.#finish({ confirmed: false });
    if (!followUp) this.#returnFocus = deepActiveElement();
    this.request = request;
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    focusSafeChoice(this.renderRoot, this.passwordInput);
    return new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /** Ends the busy state of a question asked with `busyLabel`: closes, focus returns. No-op otherwise. */
  settle(): void {
    if (!this.busy) return;
    this.busy = false;
    this.#finish({ confirmed: false });
    this.#returnFocus?.focus();
    this.#returnFocus = null;
  }

  #finish(result: ConfirmResult): void {
    const resolve = this.#resolve;
    this.#resolve = null;
    if (this.dialog?.open) {
      this.#ownCloses += 1;
      this.dialog.close();
    }
    this.request = null;
    if (resolve) {
      this.#returnFocus?.focus();
      this.#returnFocus = null;
      resolve(result);
    }
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const password = this.passwordInput?.value;
    if (this.request?.password && !password) {
      this.passwordInput?.reportValidity();
      return;
    }
    const result: ConfirmResult = { confirmed: true };
    if (password !== undefined) result.password = password;
    if (this.choiceInput) result.choice = this.choiceInput.value;
    if (!this.request?.busyLabel) return this.#finish(result);
    // Stay open and busy; the password leaves the field now all the same.
    if (this.passwordInput) this.passwordInput.value = '';
    const resolve = this.#resolve;
    this.#resolve = null;
    this.busy = true;
    resolve?.(result);
  }

  override render() {
    const s = this.#locale.strings(this.strings);
    const r = this.request;
    return html`<dialog
      part="dialog"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="title"
      aria-describedby="body"
      @cancel=${(e: Event) => {
        e.preventDefault();
        if (!this.busy) this.#finish({ confirmed: false });
      }}
      @close=${() => {
        if (this.#ownCloses > 0) {
          this.#ownCloses -= 1;
          return;
        }
        // The browser may close on Escape without a cancelable cancel event: that is a "no",
        // except while busy, when the change is already under way and the dialog stays.
        if (this.busy) this.dialog.showModal();
        else if (this.#resolve) this.#finish({ confirmed: false });
      }}
    >
      ${r
        ? html`<form @submit=${this.#onSubmit} aria-busy=${this.busy ? 'true' : 'false'}>
            <h2 id="title">${r.title}</h2>
            <p id="body" class="body">${r.body}</p>
            ${r.items?.length ? html`<ul class="items" tabindex="0">${r.items.map((i) => html`<li>${i}</li>`)}</ul>` : nothing}
            ${r.choice
              ? html`<label
                  >${r.choice.label}
                  <select name="choice">
                    ${r.choice.options.map((o) => html`<option value=${o.value} ?selected=${o.value === r.choice!.value}>${o.label}</option>`)}
                  </select>
                </label>`
              : nothing}
            ${r.password
              ? // A body that already says "Enter your password…" is not said twice.
                passwordConfirmation({ label: s.confirmPasswordLabel, help: r.body === s.confirmPasswordHelp ? undefined : s.confirmPasswordHelp, error: r.passwordError })
              : nothing}
            <div class="actions">
              <button type="button" part="cancel" data-safe-choice ?disabled=${this.busy} @click=${() => this.#finish({ confirmed: false })}>
                ${s.cancel}
              </button>
              <button type="submit" part="confirm" class=${r.danger ? 'danger' : 'primary'} ?disabled=${this.busy}>
                ${this.busy ? html`<span class="spinner" aria-hidden="true"></span>${r.busyLabel}` : r.confirmLabel}
              </button>
            </div>
          </form>`
        : nothing}
    </dialog>`;
  }
}
