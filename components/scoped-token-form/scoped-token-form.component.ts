import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { ScopedTokenDraft } from '../../lib/model.ts';
import type { ProviderCapabilities, ScopedOwner, TokenProvider } from '../../lib/provider.ts';
import { PatRevealDialog } from '../reveal-dialog/reveal-dialog.component.ts';
import { baseStyles } from '../shared/base.styles.ts';
import { formStyles } from '../shared/form.styles.ts';
import { PatErrorEvent, PatTokenSavedEvent, PatWizardCancelEvent } from '../shared/events.ts';
import { FULL_CAPABILITIES } from '../shared/capabilities.ts';
import { passwordWanted, rememberPasswordPolicy } from '../shared/confirm-action.ts';
import { endOfDateInput, messageOf, toDateInput } from '../shared/format.ts';
import { LocaleController } from '../shared/locale.ts';
import { passwordConfirmation } from '../shared/password-confirmation.ts';
import type { PatStrings } from '../shared/strings.ts';
import { defaultScopedStrings, type ScopedTokenStrings } from './scoped-token-form.strings.ts';
import { scopedTokenFormStyles } from './scoped-token-form.styles.ts';

const DAY = 86_400_000;

/** English defaults, worded after the "Manage Access Tokens" document; override through `strings.scoped`. */
export const scopedTokenStrings = defaultScopedStrings;
export type { ScopedTokenStrings };

/**
 * @summary The "Create access token" dialog for an organisation or a group: Token name, Expiration
 * date and Admin role, with a line saying which scope the token will have. The server
 * creates the token's technical user with it; the secret goes straight to `<pat-reveal-dialog>`.
 *
 * @event pat-token-saved - The token was created (`mode: 'create'`, metadata only).
 * @event pat-wizard-cancel - Closed without creating.
 * @event pat-error - Creating failed; the message is on screen too.
 *
 * @csspart form - The form.
 * @csspart scope-line - "Will have organization admin scope." and the like.
 * @cssproperty [--pat-accent=#0b5cd5] - Accent: primary buttons, focus ring.
 */
export class PatScopedTokenForm extends LitElement {
  /** Tags this template renders; the `patkit/scoped-token-form` entry defines them with this one where they are not defined yet. */
  static dependencies = { 'pat-reveal-dialog': PatRevealDialog };

  static override styles = [baseStyles, formStyles, scopedTokenFormStyles];

  readonly #locale = new LocaleController(this);

  /** The token server; it must implement `createScopedToken` (`capabilities.orgTokens`). */
  @property({ attribute: false }) provider: TokenProvider | null = null;
  /** The organisation or group the token is for. */
  @property({ attribute: false }) owner: ScopedOwner | null = null;
  /** What the server can do (expiry limits, password policy); defaults to the provider's. */
  @property({ attribute: false }) capabilities: ProviderCapabilities | null = null;
  /** Ask for the password (besides `capabilities.passwordConfirmation === 'always'`). */
  @property({ type: Boolean, attribute: 'password-required' }) passwordRequired = false;
  /** Where the reveal dialog goes; defaults to this element's shadow root. */
  @property({ attribute: false }) revealContainer: Node | null = null;
  /** Overrides for the kit's strings (reveal dialog) and this form's (`scoped`). */
  @property({ attribute: false }) strings: Partial<PatStrings> & { scoped?: Partial<ScopedTokenStrings> } = {};

  @state() private adminRole = false;
  @state() private error = '';
  @state() private busy = false;
  /** `YYYY-MM-DD`; empty until first render, then the server's default lifetime from today. */
  @state() private expiryDate = '';
  #password = '';

  get #caps(): ProviderCapabilities | null {
    return this.capabilities ?? this.provider?.capabilities ?? null;
  }

  get #s(): ScopedTokenStrings {
    return this.#locale.scoped(defaultScopedStrings, this.strings.scoped);
  }

  /** Empties the form for a new token. */
  reset(): void {
    this.adminRole = false;
    this.error = '';
    this.#password = '';
    this.expiryDate = this.#defaultDate();
    const form = this.renderRoot.querySelector('form');
    form?.reset();
    // reset() empties the date input behind Lit's back: put the default back.
    const date = form?.querySelector<HTMLInputElement>('[name="expires_at"]');
    if (date) date.value = this.expiryDate;
  }

  #defaultDate(): string {
    const days = this.#caps?.expiry.defaultLifetimeDays ?? 30;
    return toDateInput(Date.now() + days * DAY);
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const provider = this.provider;
    const owner = this.owner;
    if (!provider?.createScopedToken || !owner || this.busy) return;
    const s = this.#s;
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const name = String(data.get('name') ?? '').trim();
    const expiresAt = endOfDateInput(String(data.get('expires_at') ?? ''));
    const max = this.#caps?.expiry.maxLifetimeDays ?? null;
    if (!name) return this.#fail(s.nameRequired, 'name');
    if (!expiresAt || Date.parse(expiresAt) <= Date.now()) return this.#fail(s.expiryRequired, 'expires_at');
    if (max !== null && Date.parse(expiresAt) > Date.now() + (max + 1) * DAY) return this.#fail(s.expiryTooLate(max), 'expires_at');
    if (this.#needsPassword && !this.#password) return this.#fail(s.passwordRequired, 'password');
    const draft: ScopedTokenDraft = { name, expires_at: expiresAt, admin_role: this.adminRole };
    this.busy = true;
    this.error = '';
    try {
      const created = await provider.createScopedToken(owner, draft, this.#password ? { password: this.#password } : undefined);
      this.#password = '';
      const meta = created.token;
      // Hand the secret straight to the reveal dialog; keep no reference here.
      void PatRevealDialog.reveal(created, { container: this.revealContainer ?? this.renderRoot, strings: this.strings });
      this.dispatchEvent(new PatTokenSavedEvent({ mode: 'create', token: meta }));
      this.reset();
    } catch (error) {
      const { code, message } = messageOf(error);
      if (code === 'password_confirmation_required' || code === 'password_incorrect') {
        rememberPasswordPolicy(provider);
        this.requestUpdate();
      }
      this.#fail(message, code.startsWith('password') ? 'password' : null);
      this.dispatchEvent(new PatErrorEvent(code, message));
    } finally {
      this.busy = false;
    }
  }

  /** The server wants the password: by its policy, the host's word, or an earlier answer (one field, no second prompt). */
  get #needsPassword(): boolean {
    return this.passwordRequired || this.#caps?.passwordConfirmation === 'always' || passwordWanted(this.provider, this.#caps ?? FULL_CAPABILITIES, false);
  }

  #fail(message: string, field: string | null): void {
    this.error = message;
    if (field) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[name="${field}"]`)?.focus());
  }

  override willUpdate(): void {
    if (!this.expiryDate) this.expiryDate = this.#defaultDate();
  }

  override render() {
    const s = this.#s;
    const kind = this.owner?.kind ?? 'organization';
    const needsPassword = this.#needsPassword;
    return html`<h2 id="title">${s.title}</h2>
      <form part="form" aria-labelledby="title" novalidate @submit=${(e: SubmitEvent) => void this.#submit(e)}>
        <label class="field">${s.name}<input name="name" required maxlength="100" autocomplete="off" /></label>
        <label class="field"
          >${s.expiry}<input name="expires_at" type="date" required min=${toDateInput(Date.now() + DAY)} .value=${this.expiryDate}
            @input=${(e: Event) => (this.expiryDate = (e.target as HTMLInputElement).value)}
        /></label>
        <label class="choice"
          ><input
            type="checkbox"
            name="admin_role"
            aria-describedby="scope-line"
            .checked=${this.adminRole}
            @change=${(e: Event) => (this.adminRole = (e.target as HTMLInputElement).checked)}
          />${s.adminRole}</label
        >
        <p part="scope-line" id="scope-line" role="status">${this.adminRole ? s.scopeAdmin(kind) : s.scopeUser(kind)}</p>
        ${needsPassword
          ? passwordConfirmation({ label: s.password, labelClass: 'field', onInput: (value) => (this.#password = value) })
          : nothing}
        ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
        <div class="footer">
          <span class="spacer"></span>
          <button type="button" @click=${() => this.dispatchEvent(new PatWizardCancelEvent())}>${s.cancel}</button>
          <button type="submit" class="primary" ?disabled=${this.busy || !this.provider} aria-busy=${ifDefined(this.busy ? 'true' : undefined)}>
            ${s.create}
          </button>
        </div>
      </form>`;
  }
}
