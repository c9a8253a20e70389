import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { TokenMeta, User } from '../../lib/model.ts';
import type { ProviderCapabilities, ScopedOwner, TokenProvider } from '../../lib/provider.ts';
import type { PatCreateWizard } from '../create-wizard/create-wizard.component.ts';
import type { PatScopedTokenForm } from '../scoped-token-form/scoped-token-form.component.ts';
import { baseStyles } from '../shared/base.styles.ts';
import { PatErrorEvent, type PatTokenActionEvent } from '../shared/events.ts';
import { deepActiveElement } from '../shared/focus.ts';
import { isSignedOut, messageOf } from '../shared/format.ts';
import { LocaleController } from '../shared/locale.ts';
import { listStrings } from '../token-list/token-list.strings.ts';
import { confirmStrings } from '../shared/confirm.strings.ts';
import { wizardStrings } from '../create-wizard/create-wizard.strings.ts';
import { defaultScopedStrings } from '../scoped-token-form/scoped-token-form.strings.ts';
import type { PatStrings } from '../shared/strings.ts';
import { PatTokenList } from '../token-list/token-list.component.ts';
import { reexport } from '../shared/parts.ts';
import { defineLazy } from '../shared/register.ts';

import { tokenManagerStyles } from './token-manager.styles.ts';
import { requireOperation } from '../../lib/providers/require-operation.ts';

/**
 * @summary The one-tag embed: `<pat-token-list>`, `<pat-create-wizard>` and
 * `<pat-reveal-dialog>` wired together against a provider.
 *
 * ```html
 * <pat-token-manager></pat-token-manager>
 * <script type="module">
 *   document.querySelector('pat-token-manager').provider = createReferenceServerProvider({ baseUrl: '…' });
 * </script>
 * ```
 *
 * Create, edit and "copy as new token" open the wizard in a modal dialog; regenerate, delete,
 * disable and enable are done by the list (or the wizard's edit view), each after one
 * confirmation that includes the password when the server wants it; a new value is shown once. What the provider's `capabilities` lack is not offered.
 *
 * Every kit event bubbles and is composed, so what the list, the wizard and the reveal dialog inside
 * fire comes out of the manager (each event's `detail` type is its class's, in `patkit/events`):
 *
 * @fires pat-token-saved - A token was created, edited or regenerated (metadata only; from the list or the wizard inside).
 * @fires pat-request-action - From the list or the wizard, before any action: cancel to veto it.
 * @fires pat-token-action - An action was confirmed; `detail.handled` says whether the kit carried it out.
 * @fires pat-selection-change - The list's selection changed: `detail.ids`.
 * @fires pat-refresh - The user asked the list for fresh data.
 * @fires pat-wizard-submit - Cancelable: the wizard is about to save `detail.draft`; cancel to save it yourself.
 * @fires pat-wizard-cancel - The wizard (or the organisation token form) was cancelled; the dialog closes.
 * @fires pat-secret-copied - The new value was copied or downloaded in the reveal dialog; `detail.ok` false if the clipboard refused.
 * @fires pat-request-close - Cancelable: the reveal dialog is about to ask "did you copy it?".
 * @fires pat-reveal-closed - The secret was acknowledged and is gone: `detail.tokenId` (never the secret).
 * @fires pat-error - Something failed; the message is on screen too.
 *
 * @slot actions - Your own controls in the header, before the Create button (e.g. a link to your docs).
 * @slot empty - Shown in the list when there are no tokens (default: "No personal access tokens yet.").
 *
 * @csspart header - Title row with the Create button.
 * @csspart create - The "Create token" button.
 * @csspart list - The `<pat-token-list>`; its parts are re-exported as `list-…`, its confirmation's as `confirm-…`.
 * @csspart wizard-dialog - The `<dialog>` around the wizard.
 * @csspart wizard - The `<pat-create-wizard>` (for an organisation, `<pat-scoped-token-form>`); its parts are re-exported as `wizard-…`, its confirmation's as `confirm-…`.
 * @csspart confirm-dialog - The `<dialog>` of the list's or the wizard's confirmation.
 * @csspart confirm-button - Its confirm button.
 * @csspart confirm-cancel - Its cancel button.
 * @csspart reveal-dialog - The reveal dialog's `<dialog>` (a new secret, shown once); its other parts are `reveal-…` too.
 * @csspart message - The notice shown instead of the list: signed out, personal access tokens switched off on the server, or creating not allowed.
 * @csspart retry - The "Try again" button of the signed-out notice.
 * @cssproperty [--pat-accent=#0b5cd5] - Accent: primary buttons, focus ring, selection.
 * @cssproperty [--pat-color-bg=#ffffff] - Background (dark scheme: #0d1117).
 * @cssproperty [--pat-color-fg=#1b1f24] - Text colour.
 * @cssproperty [--pat-color-border=#d0d7de] - Borders.
 * @cssproperty [--pat-color-danger=#b42318] - Destructive actions and errors.
 * @cssproperty [--pat-radius=6px] - Corner radius.
 * @cssproperty [--pat-font-family=system-ui] - Font.
 */
export class PatTokenManager extends LitElement {
  /** Tags this template renders; the `patkit/token-manager` entry defines them with this one where they are not defined yet. */
  static dependencies = { 'pat-token-list': PatTokenList };
  /**
   * The dialog's forms, each a chunk of its own: loaded when Create, Edit or "Copy as new token" is
   * first asked for (the button shows a busy state meanwhile), defined before the dialog opens.
   */
  static lazyDependencies = {
    'pat-create-wizard': () => import('../create-wizard/create-wizard.component.ts').then((m) => m.PatCreateWizard),
    'pat-scoped-token-form': () => import('../scoped-token-form/scoped-token-form.component.ts').then((m) => m.PatScopedTokenForm),
  };

  static override styles = [baseStyles, tokenManagerStyles];

  /** The token server to manage. */
  @property({ attribute: false }) provider: TokenProvider | null = null;
  /** `me` (own tokens) or `all` (admin inventory with the Owner column and user filter). */
  @property({ reflect: true }) owner = 'me';
  /** Heading above the list; empty for none. */
  @property() heading = '';
  /** The signed-in user (loaded from the provider when not given). */
  @property({ attribute: false }) currentUser: User | null = null;
  /** What the server can do; defaults to the provider's. */
  @property({ attribute: false }) capabilities: ProviderCapabilities | null = null;
  /** The server wants the password for sensitive changes (besides `passwordConfirmation: 'always'`). */
  @property({ type: Boolean, attribute: 'password-required' }) passwordRequired = false;
  /** Overrides for single strings of the kit's locale (English unless a `lang` picks another). */
  @property({ attribute: false }) strings: Partial<PatStrings> = {};
  /**
   * An organisation or group (`{kind: 'organization', id, name}` / `{kind: 'group', id, org_id, name}`):
   * manage its access tokens, backed by technical users, instead of personal ones. The list then
   * offers "Revoke Token" (temporary disable), enable and "Delete Token" (permanent); Create opens
   * the "Create access token" form with the admin-role choice.
   */
  @property({ attribute: false }) scopeOwner: ScopedOwner | null = null;

  @state() private wizardMode: 'create' | 'edit' = 'create';
  /** The server says personal access tokens are switched off: say so instead of a failing Create. */
  @state() private featureDisabled = false;
  /** Nobody is signed in (or the session was refused): say so, offer no Create and no list. */
  @state() private signedOut = false;
  /** The dialog's form is being fetched (first Create / Edit): the Create button is busy. */
  @state() private loadingForm = false;

  readonly #locale = new LocaleController(this, listStrings, confirmStrings, wizardStrings);

  @query('pat-token-list') private list!: PatTokenList | null;
  @query('pat-create-wizard') private wizard!: PatCreateWizard;
  @query('[part="wizard-dialog"]') private wizardDialog!: HTMLDialogElement;
  @query('pat-scoped-token-form') private scopedForm!: PatScopedTokenForm;

  #returnFocus: HTMLElement | null = null;

  constructor() {
    super();
    // After a secret is acknowledged, keep keyboard users in the manager rather than on <body>.
    this.addEventListener('pat-reveal-closed', () => {
      queueMicrotask(() => {
        const active = deepActiveElement();
        if (!active || active === document.body) this.renderRoot.querySelector<HTMLElement>('[part="create"]')?.focus();
      });
    });
  }

  get #caps(): ProviderCapabilities | null {
    return this.capabilities ?? this.provider?.capabilities ?? null;
  }

  /** Reloads the list. */
  refresh(): Promise<void> {
    // Signed out there is no list yet: check the session again instead.
    if (this.signedOut || !this.list) return this.#checkSession();
    return this.list.refresh();
  }

  /**
   * Defines the dialog's form (the wizard, or the organisation form) before it is shown; false when
   * its chunk could not be loaded (said as `pat-error`, and the dialog stays closed).
   */
  async #formReady(): Promise<boolean> {
    const tag = this.scopeOwner ? 'pat-scoped-token-form' : 'pat-create-wizard';
    if (!customElements.get(tag)) {
      this.loadingForm = true;
      try {
        await defineLazy<CustomElementConstructor>(tag, PatTokenManager.lazyDependencies[tag]);
      } catch (error) {
        const { code, message } = messageOf(error);
        this.dispatchEvent(new PatErrorEvent(code, message));
        return false;
      } finally {
        this.loadingForm = false;
      }
    }
    await this.updateComplete;
    return true;
  }

  /** A pointer or focus on Create: start fetching the dialog's form, so the click finds it loaded. */
  readonly #prefetchForm = (): void => {
    PatTokenManager.lazyDependencies[this.scopeOwner ? 'pat-scoped-token-form' : 'pat-create-wizard']().catch(() => undefined);
  };

  /** Opens the wizard to create a token. */
  async openCreate(prefill?: Partial<TokenMeta>): Promise<void> {
    if (!(await this.#formReady())) return;
    if (this.scopeOwner) {
      this.scopedForm.reset();
      this.wizardMode = 'create';
      this.#returnFocus = deepActiveElement();
      if (!this.wizardDialog.open) this.wizardDialog.showModal();
      void this.scopedForm.updateComplete.then(() => this.scopedForm.renderRoot.querySelector<HTMLElement>('input')?.focus());
      return;
    }
    this.wizard.startCreate(prefill);
    this.wizardMode = 'create';
    this.#openWizard();
  }

  /** Opens the wizard to edit `token`. */
  async openEdit(token: TokenMeta): Promise<void> {
    if (!(await this.#formReady())) return;
    this.wizard.startEdit(token);
    this.wizardMode = 'edit';
    this.#openWizard();
  }

  #openWizard(): void {
    this.#returnFocus = deepActiveElement();
    if (!this.wizardDialog.open) this.wizardDialog.showModal();
    void this.wizard.updateComplete.then(() => this.wizard.renderRoot.querySelector<HTMLElement>('input, textarea')?.focus());
  }

  #closeWizard(): void {
    if (this.wizardDialog.open) this.wizardDialog.close();
    this.#returnFocus?.focus();
    this.#returnFocus = null;
  }

  protected override async updated(changed: PropertyValues<this>): Promise<void> {
    if (changed.has('provider') && this.provider) await this.#checkSession();
  }

  /** Who is signed in, and whether the server has the feature; on a provider change or "Try again". */
  async #checkSession(): Promise<void> {
    const provider = this.provider;
    if (!provider) return;
    this.signedOut = false;
    if (!this.currentUser) {
      try {
        this.currentUser = await provider.currentUser();
      } catch (error) {
        // Signed out (or a cookie session refused across origins): the manager says so itself.
        // Other failures (offline, server errors) are shown by the list.
        if (provider !== this.provider) return;
        if (isSignedOut(error)) {
          this.signedOut = true;
          return;
        }
      }
    }
    try {
      this.featureDisabled = !(await requireOperation(provider, 'getSettings')()).enable_personal_access_tokens;
    } catch {
      // Servers without readable settings (or the switch) simply have the feature.
      this.featureDisabled = false;
    }
  }

  async #onAction(event: PatTokenActionEvent): Promise<void> {
    const { action, ids, handled } = event.detail;
    if (handled) return;
    const id = ids[0];
    const token = (this.list?.tokens ?? []).find((t) => t.id === id);
    if (!id) return;
    if (action === 'edit' && token) await this.openEdit(token);
    else if (action === 'clone' && token) await this.openCreate({ ...token, name: `${token.name} (copy)` });
  }

  /** Organisation and group tokens: only revoke (disable), enable and delete, worded as the document. */
  get #listCapabilities(): ProviderCapabilities | null {
    const caps = this.#caps;
    if (!this.scopeOwner || !caps) return this.capabilities;
    return { ...caps, update: false, clone: false, regenerate: false };
  }

  get #listStrings(): Partial<PatStrings> {
    if (!this.scopeOwner) return this.strings;
    const s = this.#locale.strings(this.strings);
    return {
      actionDisable: s.scopedActionDisable,
      actionDelete: s.scopedActionDelete,
      confirmDisableTitle: s.scopedConfirmDisableTitle,
      confirmDisableBody: s.scopedConfirmDisableBody,
      managerCreate: this.#locale.scoped(defaultScopedStrings).title,
      ...this.strings,
    };
  }

  /** Why Create is not offered (signed out, feature off, the server refuses), or null when it is. */
  #createBlocked(s: PatStrings): string | null {
    if (this.signedOut) return s.signedOut;
    if (this.featureDisabled) return s.featureDisabled;
    // `create` speaks of the caller's own tokens; an organisation's or group's tokens are for its
    // admins, whom the server checks by membership.
    const create = this.scopeOwner ? null : this.#caps?.create;
    if (create && !create.allowed) return create.reason ?? s.createNotAllowed;
    return null;
  }

  /** A token was saved in the dialog: close it and show the token in the list. */
  readonly #onSaved = (): void => {
    this.#closeWizard();
    void this.list?.refresh();
  };

  #renderDialogBody() {
    if (this.scopeOwner) {
      return html`<pat-scoped-token-form
        part="wizard"
        exportparts=${reexport('wizard', 'form scope-line')}
        .provider=${this.provider}
        .owner=${this.scopeOwner}
        .capabilities=${this.capabilities}
        .strings=${this.strings}
        .revealContainer=${this.renderRoot}
        ?password-required=${this.passwordRequired}
        @pat-token-saved=${this.#onSaved}
        @pat-wizard-cancel=${() => this.#closeWizard()}
      ></pat-scoped-token-form>`;
    }
    return html`<pat-create-wizard
      part="wizard"
      exportparts=${reexport('wizard', 'admin-cancel admin-confirm admin-warning advanced approval-notice back cancel form-error next notice regenerate resource-chips resource-results scope-list step step-current step-done steps submit', 'confirm-dialog confirm-button confirm-cancel')}
      .provider=${this.provider}
      .capabilities=${this.capabilities}
      .currentUser=${this.currentUser}
      .strings=${this.strings}
      .revealContainer=${this.renderRoot}
      ?password-required=${this.passwordRequired}
      @pat-token-saved=${this.#onSaved}
      @pat-wizard-cancel=${() => this.#closeWizard()}
      @pat-token-action=${(e: PatTokenActionEvent) => void this.#onAction(e)}
    ></pat-create-wizard>`;
  }

  override render() {
    const s = this.#locale.strings(this.#listStrings);
    const blocked = this.#createBlocked(s);
    // Switched off server-wide: Create stays visible but disabled beside the notice (the feature
    // exists, an admin can switch it on); signed out or refused: no Create at all.
    const offerCreate = !blocked || (this.featureDisabled && !this.signedOut);
    return html`<div part="header">
        ${this.heading ? html`<h2>${this.heading}</h2>` : html`<span class="spacer"></span>`}
        <slot name="actions"></slot>
        ${offerCreate
          ? html`<button
              type="button"
              part="create"
              class="primary"
              ?disabled=${!this.provider || this.featureDisabled || this.loadingForm}
              aria-busy=${this.loadingForm ? 'true' : 'false'}
              @click=${() => void this.openCreate()}
              @pointerenter=${this.#prefetchForm}
              @focus=${this.#prefetchForm}
            >
              ${s.managerCreate}
            </button>`
          : nothing}
      </div>
      ${blocked ? html`<p part="message" role="status">${blocked}</p>` : nothing}
      ${this.signedOut
        ? html`<button type="button" part="retry" @click=${() => void this.#checkSession()}>${s.retry}</button>`
        : nothing}
      ${this.signedOut
        ? nothing
        : html`<pat-token-list
        part="list"
        exportparts=${reexport('list', 'toolbar bulk-bar bulk-delete disable-unused grid header body row menu notice state clear-filters offline refresh unused-days unused-filter', 'confirm-dialog confirm-button confirm-cancel')}
        .provider=${this.provider}
        .capabilities=${this.#listCapabilities}
        .strings=${this.#listStrings}
        .scopeOwner=${this.scopeOwner}
        .revealContainer=${this.renderRoot}
        owner=${this.owner}
        ?password-required=${this.passwordRequired}
        @pat-token-action=${(e: PatTokenActionEvent) => void this.#onAction(e)}
        ><slot name="empty" slot="empty">${this.scopeOwner ? s.emptyScoped(this.scopeOwner.name) : s.empty}</slot></pat-token-list
      >`}
      <dialog
        part="wizard-dialog"
        aria-label=${this.scopeOwner ? this.#locale.scoped(defaultScopedStrings).title : this.wizardMode === 'edit' ? s.wizardEditTitle : s.wizardCreateTitle}
        @cancel=${(e: Event) => {
          e.preventDefault();
          this.#closeWizard();
        }}
        @close=${() => {
          // Closed by the browser (e.g. a forced Escape): only give focus back.
          if (!this.wizardDialog.open && this.#returnFocus) this.#closeWizard();
        }}
      >
        ${this.#renderDialogBody()}
      </dialog>`;
  }
}
