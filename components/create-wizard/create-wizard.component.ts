import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { ScopeCatalog, TokenDraft, TokenMeta, TokenPatch, User } from '../../lib/model.ts';
import type { ProviderCapabilities, TokenProvider } from '../../lib/provider.ts';
import { PatRevealDialog } from '../reveal-dialog/reveal-dialog.component.ts';
import { baseStyles } from '../shared/base.styles.ts';
import { FULL_CAPABILITIES } from '../shared/capabilities.ts';
import { PatConfirmDialog } from '../confirm-dialog/confirm-dialog.component.ts';
import {
  PatErrorEvent,
  PatTokenSavedEvent,
  PatWizardCancelEvent,
  PatWizardSubmitEvent,
} from '../shared/events.ts';
import { daysFromNow, endOfDateInput, messageOf, safeHttpUrl, toDateInput } from '../shared/format.ts';
import { LocaleController } from '../shared/locale.ts';
import type { PatStrings } from '../shared/strings.ts';
import { FormValueController } from '../shared/form-value.controller.ts';
import { TokenActions } from '../shared/token-actions.ts';
import { StepsController } from './steps.controller.ts';
import { createWizardStyles } from './create-wizard.styles.ts';
import { requireOperation } from '../../lib/providers/operations.ts';

type StepId = 'details' | 'expiry' | 'access' | 'owner' | 'confirm';
const PRESET_DAYS = [7, 30, 90, 365] as const;
const DAY = 86_400_000;
/** Which step shows a server field error. */
const FIELD_STEP: Record<string, StepId> = {
  name: 'details',
  description: 'details',
  expires_at: 'expiry',
  scopes: 'access',
  owner_id: 'owner',
  password: 'confirm',
};

/**
 * @summary Creates a personal access token step by step (details, expiry, access, owner, confirm),
 * or edits one (`mode="edit"`). With a `provider` it saves and shows the new secret once in a
 * `<pat-reveal-dialog>`; without one, handle the cancelable `pat-wizard-submit` yourself.
 *
 * Adapts to `capabilities`: no expiry step when tokens never expire, "Never" only where the server
 * allows it, presets capped by the server's maximum lifetime, custom API methods only for servers
 * with `scopes: 'custom'`, an owner step only for admins who may create tokens for others, and a
 * password field when the server requires one. A token for a system admin asks first: "You are
 * generating a personal access token with System Admin permissions. Are you sure want to create
 * this token?" with "Yes, Create". Field errors from the server are shown on their field.
 *
 * @event pat-wizard-submit - Cancelable; the draft about to be saved (no password, no secret).
 * @event pat-token-saved - Saved; `detail.token` is metadata only.
 * @event pat-wizard-cancel - The user cancelled.
 * @event pat-request-action - Cancelable; before "Regenerate token" in the edit view asks to confirm.
 * @event pat-token-action - `regenerate` from the edit view: done through the provider (`handled: true`, the new value in a reveal dialog), or without one confirmed for the embedder to do (`handled: false`).
 * @event pat-error - Saving failed with an error not tied to a field.
 *
 * @csspart steps - The step indicator (a numbered stepper).
 * @csspart step - One step of the stepper.
 * @csspart step-done - A step already passed (with a tick).
 * @csspart step-current - The current step (`aria-current="step"`).
 * @csspart scope-list - The list of API methods.
 * @csspart admin-warning - The System Admin confirmation.
 * @csspart form-error - A request-wide error.
 * @csspart submit - The Create / Save button.
 * @csspart cancel - The Cancel button.
 * @csspart back - The Back button.
 * @csspart next - The Next button.
 * @csspart regenerate - The edit view's Regenerate button.
 * @csspart admin-confirm - "Yes, Create" in the System Admin warning.
 * @csspart admin-cancel - The Cancel in the System Admin warning (the only Cancel while it is open).
 * @cssproperty [--pat-accent=#0b5cd5] - Accent: primary buttons, focus ring, selection.
 * @cssproperty [--pat-color-bg=#ffffff] - Background (dark scheme: #0d1117).
 * @cssproperty [--pat-color-fg=#1b1f24] - Text colour.
 * @cssproperty [--pat-color-border=#d0d7de] - Borders.
 * @cssproperty [--pat-color-danger=#b42318] - Destructive actions and errors.
 * @cssproperty [--pat-radius=6px] - Corner radius.
 * @cssproperty [--pat-font-family=system-ui] - Font.
 */
export class PatCreateWizard extends LitElement {
  /** Tags this template renders; `create-wizard.ts` registers them with this one if they are not defined yet. */
  static dependencies = { 'pat-reveal-dialog': PatRevealDialog, 'pat-confirm-dialog': PatConfirmDialog };

  static override styles = [baseStyles, createWizardStyles];
  /** Form-associated: inside a host `<form>` (property mode) the draft is the form value. */
  static formAssociated = true;

  /** Saves through this provider; without one, handle `pat-wizard-submit`. */
  @property({ attribute: false }) provider: TokenProvider | null = null;
  /** What the server can do; defaults to the provider's, or to everything. */
  @property({ attribute: false }) capabilities: ProviderCapabilities | null = null;
  /** `create` or `edit` (set `token` too). */
  @property({ reflect: true }) mode: 'create' | 'edit' = 'create';
  /** The token being edited (metadata). */
  @property({ attribute: false }) token: TokenMeta | null = null;
  /** The signed-in user; decides the default owner and the System Admin warning. */
  @property({ attribute: false }) currentUser: User | null = null;
  /** Users an admin may create tokens for; loaded from the provider when not given. */
  @property({ attribute: false }) users: User[] | null = null;
  /** API methods and presets; loaded from the provider when not given. */
  @property({ attribute: false }) catalog: ScopeCatalog | null = null;
  /** Roles that make a token a System Admin token. */
  @property({ attribute: false }) adminRoles: string[] = ['system_admin'];
  /** Ask for the password before saving (besides `capabilities.passwordConfirmation === 'always'`). */
  @property({ type: Boolean, attribute: 'password-required' }) passwordRequired = false;
  /** Where the reveal dialog goes (composites pass their shadow root); defaults to this element. */
  @property({ attribute: false }) revealContainer: Node | null = null;
  /** Overrides for single strings of the kit's locale (English unless a `lang` picks another). */
  @property({ attribute: false }) strings: Partial<PatStrings> = {};

  @state() private name = '';
  @state() private description = '';
  @state() private expiryChoice = 'default';
  @state() private customDate = '';
  @state() private accessChoice = '';
  @state() private customScopes: ReadonlySet<string> = new Set();
  @state() private scopeSearch = '';
  @state() private onlyChecked = false;
  @state() private ownerId = '';
  @state() private ownerSearch = '';
  @state() private adminPrompt = false;
  /** The server refused this draft for want of the password (its policy was not known up front). */
  @state() private passwordDemanded = false;
  @state() private busy = false;
  @state() private fieldErrors: Record<string, string> = {};
  @state() private formError = '';
  @state() private loadedCatalog: ScopeCatalog | null = null;
  @state() private loadedUsers: User[] | null = null;

  readonly #locale = new LocaleController(this);
  readonly #stepper = new StepsController<StepId>(this, {
    steps: () => this.#steps,
    focusSelector: 'fieldset input:not([type="hidden"]), fieldset select, fieldset textarea, [part="submit"]',
    onChange: () => (this.adminPrompt = false),
  });
  readonly #formValue = new FormValueController(this, {
    value: () => this.value,
    missing: () => {
      const s = this.#locale.strings(this.strings);
      if (this.#caps.names) return this.name.trim() ? null : s.fieldNameRequired;
      return this.description.trim() ? null : s.fieldDescriptionRequired;
    },
  });
  /** "Regenerate token" in the edit view: one confirmation (password included when needed), then the reveal. */
  readonly #actions = new TokenActions(this, {
    dialog: () => this.renderRoot.querySelector('pat-confirm-dialog') as PatConfirmDialog,
    capabilities: () => this.#caps,
    text: () => this.#locale.strings(this.strings),
    announce: (text) => (this.formError = text),
  });
  #password = '';
  #loadedFor: TokenProvider | null = null;

  /** The draft as JSON (what a host `<form>` submits under this element's `name` attribute). */
  get value(): string {
    return JSON.stringify(this.#draft());
  }

  /** The form this wizard belongs to, if any. */
  get form(): HTMLFormElement | null {
    return this.#formValue.form;
  }

  /** Whether the draft is complete enough to submit (e.g. a name is given). */
  checkValidity(): boolean {
    return this.#formValue.checkValidity();
  }

  /** Called by the browser when the host form resets. */
  formResetCallback(): void {
    if (this.mode === 'create') this.startCreate();
  }

  get #caps(): ProviderCapabilities {
    return this.capabilities ?? this.provider?.capabilities ?? FULL_CAPABILITIES;
  }

  get #catalog(): ScopeCatalog {
    return this.catalog ?? this.loadedCatalog ?? { scopes: [], presets: [] };
  }

  get #users(): User[] {
    return this.users ?? this.loadedUsers ?? [];
  }

  get #needsPassword(): boolean {
    if (this.passwordDemanded) return true;
    const policy = this.passwordRequired || this.#caps.passwordConfirmation === 'always';
    // An edit is sensitive only when it gives the token more scopes (a name or description is not).
    return policy && (this.mode !== 'edit' || this.#widensScopes());
  }

  #widensScopes(): boolean {
    const before = new Set(this.token?.scopes ?? []);
    return this.#scopes().some((id) => !before.has(id));
  }

  /** The owner for whom the System Admin warning was confirmed (kept across a wrong password). */
  #acknowledgedFor: string | null = null;

  #ownerKey(): string {
    return this.#ownerUser()?.id ?? this.ownerId;
  }

  /** Typing into a field clears the error the server or the last check left beside it. */
  #clearError(field: string): void {
    if (!this.fieldErrors[field]) return;
    const { [field]: _gone, ...rest } = this.fieldErrors;
    this.fieldErrors = rest;
  }

  get #canPickOwner(): boolean {
    return this.mode === 'create' && this.#caps.createForOthers;
  }

  get #steps(): StepId[] {
    const caps = this.#caps;
    const steps: StepId[] = ['details'];
    if (caps.expiry.mode !== 'none') steps.push('expiry');
    if (caps.scopes !== 'none') steps.push('access');
    if (this.#canPickOwner) steps.push('owner');
    steps.push('confirm');
    return steps;
  }

  /** Starts a fresh create flow (optionally prefilled, e.g. to copy a token's settings). */
  startCreate(prefill?: Partial<TokenMeta>): void {
    this.mode = 'create';
    this.token = null;
    this.#reset();
    if (prefill) this.#prefill(prefill);
  }

  /** Starts editing `token`. */
  startEdit(token: TokenMeta): void {
    this.mode = 'edit';
    this.token = token;
    this.#reset();
    this.#prefill(token);
  }

  #reset(): void {
    this.#stepper.reset();
    this.name = '';
    this.description = '';
    this.expiryChoice = this.#defaultExpiryChoice();
    this.customDate = '';
    const first = this.#catalog.presets[0];
    this.accessChoice = first?.id ?? '';
    this.customScopes = new Set(first?.scopes ?? []);
    this.scopeSearch = '';
    this.onlyChecked = false;
    this.ownerId = '';
    this.adminPrompt = false;
    this.passwordDemanded = false;
    this.#acknowledgedFor = null;
    this.fieldErrors = {};
    this.formError = '';
    this.#password = '';
  }

  #prefill(t: Partial<TokenMeta>): void {
    this.name = t.name ?? '';
    this.description = t.description ?? '';
    if (t.expires_at === null) this.expiryChoice = 'never';
    else if (t.expires_at) {
      this.expiryChoice = 'custom';
      this.customDate = toDateInput(Date.parse(t.expires_at));
    }
    if (t.scopes) {
      const preset = this.#catalog.presets.find(
        (p) => p.scopes.length === t.scopes!.length && p.scopes.every((x) => t.scopes!.includes(x)),
      );
      this.accessChoice = preset ? preset.id : 'custom';
      this.customScopes = new Set(t.scopes);
    }
  }

  #defaultExpiryChoice(): string {
    const { mode, defaultLifetimeDays } = this.#caps.expiry;
    if (mode === 'none') return 'never';
    if (defaultLifetimeDays !== null) {
      const preset = PRESET_DAYS.find((d) => d === defaultLifetimeDays);
      return preset ? String(preset) : 'default';
    }
    return '30';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Setting `mode="edit"` and `token` (before or after connecting) prefills like startEdit().
    if ((changed.has('token') || changed.has('mode')) && this.token && this.mode === 'edit') {
      this.#reset();
      this.#prefill(this.token);
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('provider') && this.provider && this.#loadedFor !== this.provider) void this.#load();
    if (this.expiryChoice === 'default' && this.#caps.expiry.defaultLifetimeDays === null && this.#caps.expiry.mode !== 'none') {
      this.expiryChoice = '30';
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.expiryChoice = this.#defaultExpiryChoice();
  }

  async #load(): Promise<void> {
    const provider = this.provider;
    if (!provider) return;
    this.#loadedFor = provider;
    const caps = this.#caps;
    try {
      if (!this.catalog && caps.scopes !== 'none') this.loadedCatalog = await provider.scopeCatalog();
      const first = this.#catalog.presets[0];
      if (!this.accessChoice && first && this.mode === 'create') {
        this.accessChoice = first.id;
        // "Custom" starts from the preset's methods.
        this.customScopes = new Set(first.scopes);
      }
      if (!this.users && caps.createForOthers) this.loadedUsers = (await requireOperation(provider, 'listUsers')({ limit: 200 })).items;
    } catch (error) {
      this.formError = messageOf(error).message;
    }
  }

  #ownerUser(): User | null {
    if (this.ownerId) return this.#users.find((u) => u.id === this.ownerId) ?? null;
    return this.currentUser;
  }

  #ownerIsAdmin(): boolean {
    const owner = this.#ownerUser();
    return !!owner && owner.roles.some((r) => this.adminRoles.includes(r));
  }

  #expiresAt(): string | null | undefined {
    const c = this.expiryChoice;
    if (this.#caps.expiry.mode === 'none' || c === 'default') return undefined;
    if (c === 'never') return null;
    if (c === 'custom') return endOfDateInput(this.customDate) ?? undefined;
    return daysFromNow(Number(c));
  }

  #scopes(): string[] {
    if (this.#caps.scopes === 'none') return [];
    if (this.accessChoice === 'custom') return this.#catalog.scopes.map((s) => s.id).filter((id) => this.customScopes.has(id));
    return this.#catalog.presets.find((p) => p.id === this.accessChoice)?.scopes ?? [];
  }

  #draft(): PatWizardSubmitEvent['detail']['draft'] {
    const caps = this.#caps;
    return {
      name: caps.names ? this.name.trim() : this.description.trim(),
      description: caps.description ? this.description.trim() : '',
      expires_at: this.#expiresAt(),
      scopes: this.#scopes(),
      owner_id: this.#canPickOwner && this.ownerId ? this.ownerId : undefined,
    };
  }

  /** Checks one step; returns field errors (empty when fine). */
  #validate(step: StepId): Record<string, string> {
    const s = this.#locale.strings(this.strings);
    const caps = this.#caps;
    const errors: Record<string, string> = {};
    if (step === 'details') {
      if (caps.names && !this.name.trim()) errors.name = s.fieldNameRequired;
      if (!caps.names && !this.description.trim()) errors.description = s.fieldDescriptionRequired;
    }
    if (step === 'expiry' && this.expiryChoice === 'custom') {
      const iso = endOfDateInput(this.customDate);
      const max = caps.expiry.maxLifetimeDays;
      if (!iso || Date.parse(iso) <= Date.now()) errors.expires_at = s.expiryInPast;
      else if (max !== null && Date.parse(iso) > Date.now() + (max + 1) * DAY) errors.expires_at = s.expiryTooLate(max);
    }
    if (step === 'access' && caps.scopes !== 'none' && this.#catalog.scopes.length > 0 && this.#scopes().length === 0) {
      errors.scopes = s.accessNone;
    }
    return errors;
  }

  async #focusFirstInvalid(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  #goTo(step: StepId): Promise<void> {
    this.adminPrompt = false;
    return this.#stepper.goTo(step);
  }

  #next(): void {
    const errors = this.#validate(this.#stepper.current);
    this.fieldErrors = errors;
    if (Object.keys(errors).length) {
      void this.#focusFirstInvalid();
      return;
    }
    void this.#stepper.next();
  }

  #back(): void {
    void this.#stepper.back();
  }

  async #submit(acknowledgedNow: boolean): Promise<void> {
    if (acknowledgedNow) this.#acknowledgedFor = this.#ownerKey();
    const acknowledged = acknowledgedNow || (this.#acknowledgedFor !== null && this.#acknowledgedFor === this.#ownerKey());
    for (const step of this.#steps) {
      const errors = this.#validate(step);
      if (Object.keys(errors).length) {
        this.fieldErrors = errors;
        await this.#goTo(step);
        void this.#focusFirstInvalid();
        return;
      }
    }
    const s = this.#locale.strings(this.strings);
    if (this.#needsPassword && !this.#password) {
      this.fieldErrors = { password: s.confirmPasswordHelp };
      void this.#focusFirstInvalid();
      return;
    }
    if (this.mode === 'create' && !acknowledged && this.#ownerIsAdmin()) {
      this.adminPrompt = true;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[part="admin-confirm"]')?.focus();
      return;
    }
    const draft = this.#draft();
    if (!this.dispatchEvent(new PatWizardSubmitEvent({ mode: this.mode, tokenId: this.token?.id ?? null, draft }))) return;
    const provider = this.provider;
    if (!provider) return;
    this.busy = true;
    this.formError = '';
    this.fieldErrors = {};
    const confirm = {
      ...(this.#password ? { password: this.#password } : {}),
      ...(acknowledged ? { acknowledge_admin_token: true } : {}),
    };
    try {
      if (this.mode === 'edit' && this.token) {
        const patch: TokenPatch = { name: draft.name, description: draft.description, scopes: draft.scopes };
        if (draft.expires_at !== undefined) patch.expires_at = draft.expires_at;
        const updated = await requireOperation(provider, 'updateToken')(this.token.id, patch, confirm);
        this.#password = '';
        this.dispatchEvent(new PatTokenSavedEvent({ mode: 'edit', token: updated }));
        this.startEdit(updated);
      } else {
        const toCreate: TokenDraft = { name: draft.name, description: draft.description, scopes: draft.scopes };
        if (draft.expires_at !== undefined) toCreate.expires_at = draft.expires_at;
        if (draft.owner_id) toCreate.owner_id = draft.owner_id;
        const created = await requireOperation(provider, 'createToken')(toCreate, confirm);
        this.#password = '';
        const meta = created.token;
        // Hand the secret straight to the reveal dialog; keep no reference here.
        void PatRevealDialog.reveal(created, { container: this.revealContainer ?? this.renderRoot, strings: this.strings });
        this.startCreate();
        this.dispatchEvent(new PatTokenSavedEvent({ mode: 'create', token: meta }));
      }
    } catch (error) {
      this.#handleError(error);
    } finally {
      this.busy = false;
    }
  }

  #handleError(error: unknown): void {
    const { code, message } = messageOf(error);
    const fieldErrors = (error as { fieldErrors?: Array<{ field: string; message: string }> }).fieldErrors ?? [];
    if (code === 'admin_token_acknowledgement_required') {
      this.adminPrompt = true;
      return;
    }
    if (code === 'password_confirmation_required' || code === 'password_incorrect') {
      this.passwordDemanded = true;
      // A create learns the policy for the next token too; an edit asks only for this change.
      if (this.mode === 'create') this.passwordRequired = true;
      this.fieldErrors = { password: message };
      void this.#goTo('confirm').then(() => this.#focusFirstInvalid());
      return;
    }
    const mapped: Record<string, string> = {};
    for (const fe of fieldErrors) if (FIELD_STEP[fe.field]) mapped[fe.field] = fe.message;
    const first = Object.keys(mapped)[0];
    if (first) {
      this.fieldErrors = mapped;
      const step = FIELD_STEP[first]!;
      void this.#goTo(this.#steps.includes(step) ? step : 'confirm').then(() => this.#focusFirstInvalid());
    } else {
      this.formError = message;
    }
    this.dispatchEvent(new PatErrorEvent(code, message));
  }

  /** Back from the System Admin question to the Create button (the prompt holds the only Cancel meanwhile). */
  async #dismissAdminPrompt(): Promise<void> {
    this.adminPrompt = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[part="submit"]')?.focus();
  }

  #cancel(): void {
    this.dispatchEvent(new PatWizardCancelEvent());
    if (this.mode === 'create') this.startCreate();
  }

  #fieldError(field: string): TemplateResult | typeof nothing {
    const message = this.fieldErrors[field];
    return message ? html`<span id="err-${field}" class="error-text">${message}</span>` : nothing;
  }

  #invalid(field: string): 'true' | 'false' {
    return this.fieldErrors[field] ? 'true' : 'false';
  }

  #renderDetails(s: PatStrings): TemplateResult {
    const caps = this.#caps;
    return html`<fieldset>
      <legend>${s.stepDetails}</legend>
      ${caps.names
        ? html`<label class="field"
            >${s.fieldName}
            <input
              name="name"
              autocomplete="off"
              maxlength="200"
              required
              .value=${this.name}
              aria-invalid=${this.#invalid('name')}
              aria-describedby=${ifDefined(this.fieldErrors.name ? 'err-name' : undefined)}
              @input=${(e: InputEvent) => {
                this.name = (e.target as HTMLInputElement).value;
                this.#clearError('name');
              }}
            />
            ${this.#fieldError('name')}
          </label>`
        : nothing}
      ${caps.description
        ? html`<label class="field"
            >${s.fieldDescription}
            <textarea
              name="description"
              maxlength="1000"
              ?required=${!caps.names}
              .value=${this.description}
              aria-invalid=${this.#invalid('description')}
              aria-describedby=${ifDefined(this.fieldErrors.description ? 'err-description' : undefined)}
              @input=${(e: InputEvent) => {
                this.description = (e.target as HTMLTextAreaElement).value;
                this.#clearError('description');
              }}
            ></textarea>
            ${this.#fieldError('description')}
          </label>`
        : nothing}
      ${this.mode === 'edit' && caps.regenerate && this.token
        ? html`<p>
            <button type="button" class="link" part="regenerate" @click=${this.#requestRegenerate}>${s.regenerateLink}</button>
          </p>`
        : nothing}
    </fieldset>`;
  }

  #requestRegenerate(): void {
    const id = this.token?.id;
    if (id) void this.#actions.run('regenerate', [id], 'menu');
  }

  #renderExpiry(s: PatStrings): TemplateResult {
    const { mode, maxLifetimeDays: max, defaultLifetimeDays: def } = this.#caps.expiry;
    const presets = PRESET_DAYS.filter((d) => max === null || d <= max);
    const radio = (value: string, label: string): TemplateResult => html`<label class="choice">
      <input
        type="radio"
        name="expiry"
        .value=${value}
        .checked=${this.expiryChoice === value}
        @change=${() => (this.expiryChoice = value)}
      />${label}</label
    >`;
    const today = Date.now();
    return html`<fieldset aria-describedby="expiry-help">
      <legend>${s.stepExpiry}</legend>
      ${def !== null && !presets.includes(def as (typeof PRESET_DAYS)[number]) ? radio('default', s.expiryDefault(def)) : nothing}
      ${presets.map((d) => radio(String(d), s.expiryDays(d)))} ${radio('custom', s.expiryCustom)}
      ${this.expiryChoice === 'custom'
        ? html`<label class="field"
            >${s.expiryDate}
            <input
              type="date"
              name="expires_at"
              required
              min=${toDateInput(today + DAY)}
              max=${ifDefined(max !== null ? toDateInput(today + max * DAY) : undefined)}
              .value=${this.customDate}
              aria-invalid=${this.#invalid('expires_at')}
              aria-describedby=${ifDefined(this.fieldErrors.expires_at ? 'err-expires_at' : undefined)}
              @input=${(e: InputEvent) => (this.customDate = (e.target as HTMLInputElement).value)}
            />
            ${this.#fieldError('expires_at')}
          </label>`
        : this.expiryChoice !== 'custom' && this.fieldErrors.expires_at
          ? this.#fieldError('expires_at')
          : nothing}
      ${mode === 'optional' ? radio('never', s.expiryNever) : nothing}
      ${this.expiryChoice === 'never' ? html`<p class="muted">${s.expiryNeverWarning}</p>` : nothing}
      <p id="expiry-help" class="muted">${max !== null ? s.expiryMax(max) : ''}</p>
    </fieldset>`;
  }

  #renderAccess(s: PatStrings): TemplateResult {
    const catalog = this.#catalog;
    const custom = this.accessChoice === 'custom';
    const q = this.scopeSearch.trim().toLowerCase();
    const shown = catalog.scopes.filter(
      (sc) =>
        (!this.onlyChecked || this.customScopes.has(sc.id)) &&
        (!q || sc.id.toLowerCase().includes(q) || sc.description.toLowerCase().includes(q) || sc.group.toLowerCase().includes(q)),
    );
    return html`<fieldset>
      <legend>${s.stepAccess}</legend>
      ${catalog.presets.map(
        (p) => html`<label class="choice">
          <input
            type="radio"
            name="access"
            .checked=${this.accessChoice === p.id}
            @change=${() => {
              this.accessChoice = p.id;
              this.customScopes = new Set(p.scopes);
            }}
          />
          <span>${p.name} <span class="muted">— ${p.description}</span></span>
        </label>`,
      )}
      ${this.#caps.scopes === 'custom'
        ? html`<label class="choice">
            <input type="radio" name="access" .checked=${custom} @change=${() => (this.accessChoice = 'custom')} />
            ${s.accessCustom}
          </label>`
        : nothing}
      ${custom
        ? html`<div class="scope-tools">
              <label class="field"
                >${s.accessSearch}
                <input
                  type="search"
                  .value=${this.scopeSearch}
                  @input=${(e: InputEvent) => (this.scopeSearch = (e.target as HTMLInputElement).value)}
                />
              </label>
              <label class="choice">
                <input type="checkbox" .checked=${this.onlyChecked} @change=${(e: Event) => (this.onlyChecked = (e.target as HTMLInputElement).checked)} />
                ${s.accessOnlyChecked}
              </label>
              <span class="muted" aria-live="polite">${s.accessCount(this.customScopes.size)}</span>
            </div>
            <ul part="scope-list" aria-label=${s.stepAccess} aria-invalid=${this.#invalid('scopes')}>
              ${shown.map((sc) => {
                const href = safeHttpUrl(sc.docs_url);
                return html`<li>
                  <input
                    type="checkbox"
                    id="scope-${sc.id}"
                    .checked=${this.customScopes.has(sc.id)}
                    @change=${(e: Event) => {
                      const next = new Set(this.customScopes);
                      if ((e.target as HTMLInputElement).checked) next.add(sc.id);
                      else next.delete(sc.id);
                      this.customScopes = next;
                    }}
                  />
                  <label for="scope-${sc.id}">${sc.id}<span class="scope-desc">${sc.description}</span></label>
                  ${href
                    ? html`<a href=${href} target="_blank" rel="noopener noreferrer"
                        >${s.accessDocs}<span class="visually-hidden"> ${s.accessDocsFor(sc.id)}</span></a
                      >`
                    : html`<span></span>`}
                </li>`;
              })}
            </ul>`
        : nothing}
      ${this.#fieldError('scopes')}
    </fieldset>`;
  }

  #renderOwner(s: PatStrings): TemplateResult {
    const q = this.ownerSearch.trim().toLowerCase();
    const users = this.#users.filter(
      (u) => u.active && u.id !== this.currentUser?.id && (!q || u.username.toLowerCase().includes(q) || u.display_name.toLowerCase().includes(q)),
    );
    return html`<fieldset>
      <legend>${s.stepOwner}</legend>
      <label class="field"
        >${s.ownerSearch}
        <input type="search" .value=${this.ownerSearch} @input=${(e: InputEvent) => (this.ownerSearch = (e.target as HTMLInputElement).value)} />
      </label>
      <label class="field"
        >${s.ownerLabel}
        <select
          name="owner_id"
          aria-invalid=${this.#invalid('owner_id')}
          @change=${(e: Event) => (this.ownerId = (e.target as HTMLSelectElement).value)}
        >
          <option value="" ?selected=${this.ownerId === ''}>${s.ownerSelf}${this.currentUser ? ` (${this.currentUser.username})` : ''}</option>
          ${users.map(
            (u) => html`<option value=${u.id} ?selected=${this.ownerId === u.id}>${u.display_name || u.username} (${u.username})</option>`,
          )}
        </select>
        ${this.#fieldError('owner_id')}
      </label>
    </fieldset>`;
  }

  #renderConfirm(s: PatStrings): TemplateResult {
    const caps = this.#caps;
    const expires = this.#expiresAt();
    const owner = this.#ownerUser();
    const scopes = this.#scopes();
    return html`<fieldset>
      <legend>${s.stepConfirm}</legend>
      <p class="muted">${this.mode === 'edit' ? s.confirmSummaryEdit : s.confirmSummary}</p>
      <dl>
        ${caps.names ? html`<dt>${s.fieldName}</dt><dd>${this.name}</dd>` : nothing}
        ${caps.description ? html`<dt>${s.fieldDescription}</dt><dd>${this.description || '—'}</dd>` : nothing}
        ${caps.expiry.mode !== 'none'
          ? html`<dt>${s.stepExpiry}</dt>
              <dd>
                ${expires === undefined
                  ? s.expiryDefault(caps.expiry.defaultLifetimeDays ?? 30)
                  : expires === null
                    ? s.expiryNever
                    : this.#locale.date(expires, s.expiryNever)}
              </dd>`
          : nothing}
        ${caps.scopes !== 'none' ? html`<dt>${s.stepAccess}</dt><dd>${scopes.join(', ') || '—'}</dd>` : nothing}
        ${this.#canPickOwner && owner ? html`<dt>${s.stepOwner}</dt><dd>${owner.username}</dd>` : nothing}
      </dl>
      ${this.#needsPassword
        ? html`<label class="field"
            >${s.confirmPasswordLabel}
            <input
              type="password"
              name="password"
              autocomplete="current-password"
              required
              aria-invalid=${this.#invalid('password')}
              aria-describedby=${this.fieldErrors.password ? 'err-password' : 'pw-help'}
              @input=${(e: InputEvent) => {
                this.#password = (e.target as HTMLInputElement).value;
                this.#clearError('password');
              }}
            />
            ${this.fieldErrors.password ? this.#fieldError('password') : html`<span id="pw-help" class="muted">${s.confirmPasswordHelp}</span>`}
          </label>`
        : nothing}
    </fieldset>`;
  }

  override render() {
    const s = this.#locale.strings(this.strings);
    const step = this.#stepper.current;
    const index = this.#stepper.index;
    const last = this.#stepper.isLast;
    const labels: Record<StepId, string> = {
      details: s.stepDetails,
      expiry: s.stepExpiry,
      access: s.stepAccess,
      owner: s.stepOwner,
      confirm: s.stepConfirm,
    };
    return html`<form
      novalidate
      aria-labelledby="wizard-title"
      @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        if (last) void this.#submit(false);
        else this.#next();
      }}
    >
      <h2 id="wizard-title">${this.mode === 'edit' ? s.wizardEditTitle : s.wizardCreateTitle}</h2>
      ${this.#stepper.render(labels, s.stepsLabel)}
      ${step === 'details'
        ? this.#renderDetails(s)
        : step === 'expiry'
          ? this.#renderExpiry(s)
          : step === 'access'
            ? this.#renderAccess(s)
            : step === 'owner'
              ? this.#renderOwner(s)
              : this.#renderConfirm(s)}
      ${this.adminPrompt
        ? html`<div part="admin-warning" role="alert">
            <p>${s.adminWarning}</p>
            <div class="actions">
              <button type="button" part="admin-cancel" @click=${this.#dismissAdminPrompt}>${s.cancel}</button>
              <button type="button" part="admin-confirm" class="danger" ?disabled=${this.busy} @click=${() => void this.#submit(true)}>
                ${s.adminConfirm}
              </button>
            </div>
          </div>`
        : nothing}
      ${this.formError ? html`<p part="form-error" class="error-text" role="alert">${this.formError}</p>` : nothing}
      <div class="footer" ?hidden=${this.adminPrompt}>
        <button type="button" part="cancel" @click=${this.#cancel}>${s.cancel}</button>
        <span class="spacer"></span>
        ${index > 0 ? html`<button type="button" part="back" @click=${this.#back}>${s.back}</button>` : nothing}
        ${last
          ? html`<button type="submit" part="submit" class="primary" ?disabled=${this.busy || this.adminPrompt}>
              ${this.busy ? s.saving : this.mode === 'edit' ? s.save : s.create}
            </button>`
          : html`<button type="submit" part="next" class="primary">${s.next}</button>`}
      </div>
    </form>
    <pat-confirm-dialog .strings=${this.strings}></pat-confirm-dialog>`;
  }
}

