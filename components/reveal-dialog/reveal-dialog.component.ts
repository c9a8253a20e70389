import { html, LitElement, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { CreatedToken } from '../../lib/model.ts';
import { baseStyles } from '../shared/base.styles.ts';
import { PatRequestCloseEvent, PatRevealClosedEvent, PatSecretCopiedEvent } from '../shared/events.ts';
import { deepActiveElement, focusSafeChoice } from '../shared/focus.ts';
import { LocaleController } from '../shared/locale.ts';
import { revealStrings } from './reveal-dialog.strings.ts';
import { reexport } from '../shared/parts.ts';
import type { PatStrings } from '../shared/strings.ts';
import { revealDialogStyles } from './reveal-dialog.styles.ts';

/**
 * `reveal()` re-exports every part as `reveal-…`, so the element whose shadow root the dialog opens
 * in (a list, a wizard, a manager) offers them: `pat-token-manager::part(reveal-copy)`.
 */
const EXPORTPARTS = reexport('reveal', 'dialog secret copy download confirm-dialog acknowledge back close grace');

/**
 * @summary Shows a newly issued token secret exactly once, with Copy and Download, and will not
 * close until the user confirms they copied it.
 *
 * The secret lives only in a private field and in this element's shadow DOM text. It is never
 * an attribute or a reflected property, never in an event, and when the user acknowledges, the
 * field is cleared and the element removes itself from the document (docs/security.md rule 25). Escape, the
 * close button and leaving the page (`beforeunload`) all show the confirmation "Make sure you have
 * copied and saved the access token below. You won't be able to see it again!" first.
 *
 * Open shadow roots are readable by scripts on the host page (docs/security.md rule 26): on pages you do not
 * fully trust, show secrets in the extension popup or an iframe served by the token server instead.
 *
 * Use `PatRevealDialog.reveal()` rather than placing the tag yourself (a `{@link}` here breaks the manifest analyzer).
 *
 * @event pat-request-close - Before the "did you copy it?" confirmation; cancel to keep the secret view.
 * @event pat-reveal-closed - The secret was acknowledged and is gone. `detail.tokenId` (no secret).
 * @event pat-secret-copied - Copy or download finished; `detail.ok` false if the clipboard refused.
 *
 * @slot instructions - What to do with the value (default: "Copy the access token now and store it in a secure location…").
 *
 * @csspart dialog - The main `<dialog>`.
 * @csspart secret - The element showing the token value.
 * @csspart copy - The Copy button.
 * @csspart download - The Download button.
 * @csspart confirm-dialog - Added to the dialog while it asks "did you copy it?" (`role="alertdialog"`).
 * @csspart acknowledge - The "Yes, I have copied the token" button.
 * @csspart back - "Go back" in the leave-confirmation step.
 * @csspart close - The Close button.
 * @csspart grace - After a regenerate with a grace period: until when the old value still works.
 *
 * @cssproperty [--pat-font-mono=ui-monospace] - Font of the token value.
 * @cssproperty [--pat-accent=#0b5cd5] - Accent: primary buttons, focus ring, selection.
 * @cssproperty [--pat-color-bg=#ffffff] - Background (dark scheme: #0d1117).
 * @cssproperty [--pat-color-fg=#1b1f24] - Text colour.
 * @cssproperty [--pat-color-border=#d0d7de] - Borders.
 * @cssproperty [--pat-color-danger=#b42318] - Destructive actions and errors.
 * @cssproperty [--pat-radius=6px] - Corner radius.
 * @cssproperty [--pat-font-family=system-ui] - Font.
 */
export class PatRevealDialog extends LitElement {
  static override styles = [baseStyles, revealDialogStyles];

  readonly #locale = new LocaleController(this, revealStrings);

  /**
   * Creates a dialog in `container` (default `document.body`; composites pass their shadow root),
   * shows `created.secret` and resolves once the user acknowledged and the dialog removed itself.
   * The caller should drop its own reference to `created` right after calling this.
   */
  static reveal(
    created: CreatedToken,
    options: { container?: Node; strings?: Partial<PatStrings> } = {},
  ): Promise<void> {
    // Works under whatever tag name the host registered the class with.
    const dialog = new PatRevealDialog();
    if (options.strings) dialog.strings = options.strings;
    dialog.setAttribute('exportparts', EXPORTPARTS);
    (options.container ?? document.body).appendChild(dialog);
    return dialog.show(created);
  }

  /** Overrides for single strings of the kit's locale (English unless a `lang` picks another). */
  @property({ attribute: false }) strings: Partial<PatStrings> = {};

  /** Name shown in the heading (metadata, not secret). */
  @state() private tokenName = '';
  /** A personal, organisation or group token: the heading says which. */
  @state() private ownerKind: CreatedToken['token']['owner']['kind'] = 'user';
  /** After a regenerate with a grace period: until when the previous value still works. */
  @state() private graceUntil: string | null = null;
  @state() private view: 'closed' | 'secret' | 'confirm' = 'closed';
  @state() private status: { text: string; failed: boolean } | null = null;

  @query('dialog') private mainDialog!: HTMLDialogElement;
  @query('[part="secret"]') private secretElement!: HTMLElement;

  #secret: string | null = null;
  #tokenId: string | null = null;
  #done: (() => void) | null = null;
  #returnFocus: HTMLElement | null = null;
  #onBeforeUnload = (event: BeforeUnloadEvent): void => {
    // Leaving the page would lose the secret: ask the browser to confirm, and show our own question.
    event.preventDefault();
    event.returnValue = '';
    this.#askToClose('navigation');
  };

  /** Shows the secret. Resolves when the user acknowledged it and the dialog is gone. */
  async show(created: CreatedToken): Promise<void> {
    this.#secret = created.secret;
    this.#tokenId = created.token.id;
    this.tokenName = created.token.name || created.token.description;
    this.ownerKind = created.token.owner.kind;
    this.graceUntil = created.token.rotation?.previous_valid_until ?? null;
    this.#returnFocus = deepActiveElement();
    this.view = 'secret';
    await this.updateComplete;
    if (!this.isConnected || this.#secret === null) return;
    this.mainDialog.showModal();
    this.renderRoot.querySelector<HTMLElement>('[part="copy"]')?.focus();
    window.addEventListener('beforeunload', this.#onBeforeUnload);
    return new Promise((resolve) => {
      this.#done = resolve;
    });
  }

  /** True while a secret is on screen. */
  get isOpen(): boolean {
    return this.view !== 'closed';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('beforeunload', this.#onBeforeUnload);
    // Removed by a host before acknowledgement: still forget the secret.
    this.#secret = null;
  }

  async #askToClose(source: PatRequestCloseEvent['detail']['source']): Promise<void> {
    if (this.view !== 'secret') return;
    if (!this.dispatchEvent(new PatRequestCloseEvent(source))) return;
    await this.#showView('confirm');
  }

  /** One `<dialog>`, two views: the secret, and the "did you copy it?" confirmation. */
  async #showView(view: 'secret' | 'confirm'): Promise<void> {
    this.view = view;
    await this.updateComplete;
    if (!this.mainDialog.open) this.mainDialog.showModal();
    // The question focuses "Go back", so Escape then Enter keeps the secret on screen.
    if (view === 'confirm') focusSafeChoice(this.renderRoot);
    else this.renderRoot.querySelector<HTMLElement>('[part="copy"]')?.focus();
  }

  #onCancel(event: Event): void {
    // Escape: from the secret, ask; from the question, go back. When the browser does not let us
    // cancel (no recent user activation), the dialog closes and #onClose reopens it.
    event.preventDefault();
    if (this.view === 'secret') void this.#askToClose('escape');
    else if (this.view === 'confirm') void this.#showView('secret');
  }

  #onClose(): void {
    // Never lose an unacknowledged secret, whatever closed the dialog.
    if (this.view === 'closed') return;
    this.mainDialog.showModal();
    if (this.view === 'secret') void this.#askToClose('escape');
    else void this.#showView('confirm');
  }

  #acknowledge(): void {
    this.#secret = null;
    this.view = 'closed';
    window.removeEventListener('beforeunload', this.#onBeforeUnload);
    if (this.mainDialog.open) this.mainDialog.close();
    this.dispatchEvent(new PatRevealClosedEvent(this.#tokenId));
    const done = this.#done;
    this.#done = null;
    // The opener may have gone meanwhile (e.g. a wizard dialog that closed after saving).
    const back = this.#returnFocus;
    this.#returnFocus = null;
    if (back?.isConnected && (back.checkVisibility?.() ?? true)) back.focus();
    this.remove();
    done?.();
  }

  async #copy(): Promise<void> {
    const s = this.#locale.strings(this.strings);
    const secret = this.#secret;
    if (secret === null) return;
    try {
      // Called straight from the click handler so the user gesture still counts (docs/security.md rule 22).
      await navigator.clipboard.writeText(secret);
      this.status = { text: s.copied, failed: false };
      this.dispatchEvent(new PatSecretCopiedEvent({ method: 'clipboard', ok: true }));
    } catch {
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.selectAllChildren(this.secretElement);
      this.status = { text: s.copyFailed, failed: true };
      this.dispatchEvent(new PatSecretCopiedEvent({ method: 'clipboard', ok: false }));
    }
  }

  #download(): void {
    const secret = this.#secret;
    if (secret === null) return;
    const url = URL.createObjectURL(new Blob([`${secret}\n`], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `patkit-token-${(this.#tokenId ?? 'new').replace(/[^\w-]/g, '')}.txt`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
    this.status = { text: this.#locale.strings(this.strings).downloaded, failed: false };
    this.dispatchEvent(new PatSecretCopiedEvent({ method: 'download', ok: true }));
  }

  override render() {
    const s = this.#locale.strings(this.strings);
    if (this.view === 'closed') return html`<dialog part="dialog"></dialog>`;
    const secret = this.#secret ?? '';
    const confirming = this.view === 'confirm';
    return html`<dialog
      part="dialog ${confirming ? 'confirm-dialog' : ''}"
      role=${confirming ? 'alertdialog' : 'dialog'}
      aria-modal="true"
      aria-labelledby=${confirming ? 'confirm-title' : 'reveal-title'}
      aria-describedby=${confirming ? 'confirm-text' : 'reveal-intro'}
      @cancel=${this.#onCancel}
      @close=${this.#onClose}
    >
      ${confirming
        ? html`<h2 id="confirm-title">${s.revealConfirmTitle}</h2>
            <p id="confirm-text" class="warning">${s.revealConfirm}</p>
            <code part="secret" class="secret" aria-label=${s.revealValueLabel}>${secret}</code>
            <div class="actions">
              <button type="button" part="back" data-safe-choice @click=${() => void this.#showView('secret')}>${s.revealBack}</button>
              <button type="button" part="acknowledge" class="primary" @click=${this.#acknowledge}>${s.revealAcknowledge}</button>
            </div>`
        : html`<h2 id="reveal-title">${this.ownerKind === 'user' ? s.revealTitle : s.revealTitleScoped(this.ownerKind)}${this.tokenName ? html`: ${this.tokenName}` : nothing}</h2>
            <p id="reveal-intro" class="warning"><slot name="instructions">${s.revealIntro}</slot></p>
            ${this.graceUntil
              ? html`<p part="grace">${s.revealGrace(`${this.#locale.date(this.graceUntil, '', true)} (${this.#locale.relative(this.graceUntil)})`)}</p>`
              : nothing}
            <code part="secret" class="secret" aria-label=${s.revealValueLabel}>${secret}</code>
            <div class="tools">
              <button type="button" part="copy" class="primary" @click=${this.#copy}>${s.copy}</button>
              <button type="button" part="download" @click=${this.#download}>${s.download}</button>
              <p class="status ${this.status?.failed ? 'failed' : ''}" role="status">${this.status?.text ?? ''}</p>
            </div>
            <div class="actions">
              <button type="button" part="close" @click=${() => void this.#askToClose('close-button')}>${s.close}</button>
            </div>`}
    </dialog>`;
  }
}
