import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ScopeCatalog, TokenMeta, TokenTemplate, User } from '../../lib/model.ts';
import type { ProviderCapabilities, TokenProvider } from '../../lib/provider.ts';
import { PatConfirmDialog } from '../confirm-dialog/confirm-dialog.component.ts';
import { focusSafeChoice } from '../shared/focus.ts';
import { PatRevealDialog } from '../reveal-dialog/reveal-dialog.component.ts';
import { baseStyles } from '../shared/base.styles.ts';
import { formStyles } from '../shared/form.styles.ts';
import { FULL_CAPABILITIES } from '../shared/capabilities.ts';
import { PatErrorEvent, PatTokenSavedEvent, PatWizardCancelEvent, PatWizardSubmitEvent } from '../shared/events.ts';
import { messageOf } from '../shared/format.ts';
import { FormValueController } from '../shared/form-value.controller.ts';
import { LocaleController } from '../shared/locale.ts';
import { wizardStrings } from './create-wizard.strings.ts';
import { confirmStrings } from '../shared/confirm.strings.ts';
import type { PatStrings } from '../shared/strings.ts';
import { TokenActions } from '../shared/token-actions.ts';
import { createWizardStyles } from './create-wizard.styles.ts';
import { StepsController } from './steps.controller.ts';
import { accessStep } from './access-step.ts';
import { confirmStep } from './confirm-step.ts';
import { detailsStep } from './details-step.ts';
import { expiryStep } from './expiry-step.ts';
import { ownerStep } from './owner-step.ts';
import type { StepView } from './step-view.ts';
import { chosenScopes, defaultExpiryChoice, draftOf, freshFields, missingField, prefilled, validateStep, wizardSteps } from './wizard-form.ts';
import type { Draft, FieldErrors, StepId, WizardContext, WizardFields, WizardText } from './wizard-types.ts';
import { defaultFineGrainedStrings, type FineGrainedStrings } from './fine-grained.strings.ts';
import { applyTemplate, approvalApplies } from './fine-grained-rules.ts';
import { ResourceSearch } from './resource-search.controller.ts';
import { resourcesStep } from './resources-step.ts';
import { wizardAdminPrompt, wizardFooter } from './wizard-footer.ts';
import { readRefusal, saveDraft } from './wizard-submission.ts';
import { requireOperation } from '../../lib/providers/require-operation.ts';

const NO_CATALOG: ScopeCatalog = { scopes: [], presets: [] };

/**
 * @summary Creates a personal access token step by step (details, expiry, access, resources, owner, confirm),
 * or edits one (`mode="edit"`). With a `provider` it saves and shows the new secret once in a
 * `<pat-reveal-dialog>`; without one, handle the cancelable `pat-wizard-submit` yourself.
 *
 * Adapts to `capabilities`: no expiry step when tokens never expire, "Never" only where the server
 * allows it, presets capped by the server's maximum lifetime, custom API methods only for servers
 * with `scopes: 'custom'`, an owner step only for admins who may create tokens for others, and a
 * password field when the server requires one. A token for a system admin asks first: "You are
 * generating a personal access token with System Admin permissions. Are you sure want to create
 * this token?" with "Yes, Create". Field errors from the server are shown on their field. Servers with
 * fine-grained tokens add "Start from a template", a resource picker, "Advanced" (IP allow-list,
 * not-before) and, where new tokens wait for an approver, the justification and what is reviewed.
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
 * @csspart advanced - The "Advanced" disclosure (IP allow-list, not-before).
 * @csspart resource-results - The resources matching the search, each with its Add button.
 * @csspart resource-chips - The chosen resources, each with its Remove button.
 * @csspart approval-notice - What the organisation reviews before the token works.
 * @csspart notice - "Request sent" after a request that waits for approval.
 * @cssproperty [--pat-accent=#0b5cd5] - Accent: primary buttons, focus ring, selection.
 * @cssproperty [--pat-color-bg=#ffffff] - Background (dark scheme: #0d1117).
 * @cssproperty [--pat-color-fg=#1b1f24] - Text colour.
 * @cssproperty [--pat-color-border=#d0d7de] - Borders.
 * @cssproperty [--pat-color-danger=#b42318] - Destructive actions and errors.
 * @cssproperty [--pat-radius=6px] - Corner radius.
 * @cssproperty [--pat-font-family=system-ui] - Font.
 */
export class PatCreateWizard extends LitElement {
  /** Tags this template renders; the `patkit/create-wizard` entry defines them with this one where they are not defined yet. */
  static dependencies = { 'pat-reveal-dialog': PatRevealDialog, 'pat-confirm-dialog': PatConfirmDialog };

  static override styles = [baseStyles, formStyles, createWizardStyles];
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
  @property({ attribute: false }) strings: Partial<PatStrings & FineGrainedStrings> = {};

  /** What the user has entered (wizard-form.ts holds the rules over it). */
  @state() private fields: WizardFields = freshFields(FULL_CAPABILITIES, NO_CATALOG);
  @state() private adminPrompt = false;
  /** The server refused this draft for want of the password (its policy was not known up front). */
  @state() private passwordDemanded = false;
  @state() private busy = false;
  @state() private fieldErrors: FieldErrors = {};
  @state() private formError = '';
  @state() private loadedCatalog: ScopeCatalog | null = null;
  @state() private loadedUsers: User[] | null = null;
  @state() private loadedTemplates: TokenTemplate[] = [];
  /** What happened to the last request (sent for approval), announced politely. */
  @state() private notice = '';

  readonly #locale = new LocaleController(this, wizardStrings, confirmStrings);
  readonly #search = new ResourceSearch(this, () => this.provider);
  readonly #stepper = new StepsController<StepId>(this, {
    steps: () => wizardSteps(this.#context),
    focusSelector: 'fieldset input:not([type="hidden"]), fieldset select, fieldset textarea, [part="submit"]',
    onChange: () => (this.adminPrompt = false),
  });
  readonly #formValue = new FormValueController(this, {
    value: () => this.value,
    missing: () => missingField(this.fields, this.#caps, this.#strings),
  });
  /** "Regenerate token" in the edit view: one confirmation (password included when needed), then the reveal. */
  readonly #actions = new TokenActions(this, {
    dialog: () => this.renderRoot.querySelector('pat-confirm-dialog') as PatConfirmDialog,
    revealDialog: () => Promise.resolve(PatRevealDialog),
    capabilities: () => this.#caps,
    text: () => this.#strings,
    announce: (text) => (this.formError = text),
  });
  /** Kept out of reactive state and events; sent with the save, then forgotten. */
  #password = '';
  #loadedFor: TokenProvider | null = null;
  /** The owner for whom the System Admin warning was confirmed (kept across a wrong password). */
  #acknowledgedFor: string | null = null;

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

  /** Starts a fresh create flow (optionally prefilled, e.g. to copy a token's settings). */
  startCreate(prefill?: Partial<TokenMeta>): void {
    this.mode = 'create';
    this.token = null;
    this.#reset(prefill);
  }

  /** Starts editing `token`. */
  startEdit(token: TokenMeta): void {
    this.mode = 'edit';
    this.token = token;
    this.#reset(token);
  }

  get #caps(): ProviderCapabilities {
    return this.capabilities ?? this.provider?.capabilities ?? FULL_CAPABILITIES;
  }

  get #strings(): WizardText {
    return { ...this.#locale.strings(this.strings), ...defaultFineGrainedStrings, ...this.#locale.locale.wizard, ...this.strings } as WizardText;
  }

  get #catalog(): ScopeCatalog {
    return this.catalog ?? this.loadedCatalog ?? NO_CATALOG;
  }

  get #users(): User[] {
    return this.users ?? this.loadedUsers ?? [];
  }

  get #context(): WizardContext {
    const creating = this.mode === 'create';
    const template = creating ? (this.loadedTemplates.find((t) => t.id === this.fields.templateId) ?? null) : null;
    return { caps: this.#caps, catalog: this.#catalog, canPickOwner: creating && this.#caps.createForOthers, creating, template };
  }

  #draft(): Draft {
    return draftOf(this.fields, this.#context);
  }

  get #needsPassword(): boolean {
    if (this.passwordDemanded) return true;
    const policy = this.passwordRequired || this.#caps.passwordConfirmation === 'always';
    // An edit is sensitive only when it gives the token more scopes (a name or description is not).
    return policy && (this.mode !== 'edit' || this.#widensScopes());
  }

  #widensScopes(): boolean {
    const before = new Set(this.token?.scopes ?? []);
    return chosenScopes(this.fields, this.#context).some((id) => !before.has(id));
  }

  #ownerUser(): User | null {
    if (this.fields.ownerId) return this.#users.find((u) => u.id === this.fields.ownerId) ?? null;
    return this.currentUser;
  }

  #ownerKey(): string {
    return this.#ownerUser()?.id ?? this.fields.ownerId;
  }

  #ownerIsAdmin(): boolean {
    const owner = this.#ownerUser();
    return !!owner && owner.roles.some((r) => this.adminRoles.includes(r));
  }

  #reset(prefill?: Partial<TokenMeta>): void {
    this.#stepper.reset();
    const fresh = freshFields(this.#caps, this.#catalog);
    this.fields = prefill ? prefilled(fresh, prefill, this.#catalog) : fresh;
    this.adminPrompt = false;
    this.passwordDemanded = false;
    this.#acknowledgedFor = null;
    this.fieldErrors = {};
    this.formError = '';
    this.notice = '';
    this.#password = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Setting `mode="edit"` and `token` (before or after connecting) prefills like startEdit().
    if ((changed.has('token') || changed.has('mode')) && this.token && this.mode === 'edit') this.#reset(this.token);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('provider') && this.provider && this.#loadedFor !== this.provider) void this.#load();
    const expiry = this.#caps.expiry;
    if (this.fields.expiryChoice === 'default' && expiry.defaultLifetimeDays === null && expiry.mode !== 'none') this.#set({ expiryChoice: '30' });
    // A template may have chosen resources before the picker was first shown.
    if (this.#stepper.current === 'resources' && this.fields.resourceMode === 'selected') void this.#search.start();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#set({ expiryChoice: defaultExpiryChoice(this.#caps) });
  }

  async #load(): Promise<void> {
    const provider = this.provider;
    if (!provider) return;
    this.#loadedFor = provider;
    const caps = this.#caps;
    try {
      if (!this.catalog && caps.scopes !== 'none') this.loadedCatalog = await provider.scopeCatalog();
      const first = this.#catalog.presets[0];
      // "Custom" starts from the preset's methods.
      if (!this.fields.accessChoice && first && this.mode === 'create') this.#set({ accessChoice: first.id, customScopes: new Set(first.scopes) });
      if (!this.users && caps.createForOthers) this.loadedUsers = (await requireOperation(provider, 'listUsers')({ limit: 200 })).items;
      if (caps.templates && this.mode === 'create') this.loadedTemplates = await requireOperation(provider, 'listTemplates')();
    } catch (error) {
      this.formError = messageOf(error).message;
    }
  }

  #set(patch: Partial<WizardFields>, clears?: string): void {
    this.fields = { ...this.fields, ...patch };
    if (clears) this.#clearError(clears);
  }

  #clearError(field: string): void {
    if (!this.fieldErrors[field]) return;
    const { [field]: _gone, ...rest } = this.fieldErrors;
    this.fieldErrors = rest;
  }

  async #focusFirstInvalid(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  /** Shows `errors` on their step and focuses the first invalid field. */
  async #showErrors(errors: FieldErrors, step: StepId): Promise<void> {
    this.fieldErrors = errors;
    await this.#goTo(step);
    await this.#focusFirstInvalid();
  }

  #goTo(step: StepId): Promise<void> {
    this.adminPrompt = false;
    return this.#stepper.goTo(step);
  }

  #next(): void {
    const errors = validateStep(this.#stepper.current, this.fields, this.#context, this.#strings);
    this.fieldErrors = errors;
    if (Object.keys(errors).length) void this.#focusFirstInvalid();
    else void this.#stepper.next();
  }

  /** Every step checked, the password given, the System Admin question answered: or where not, shown why. */
  async #readyToSave(acknowledged: boolean): Promise<boolean> {
    const context = this.#context;
    for (const step of wizardSteps(context)) {
      const errors = validateStep(step, this.fields, context, this.#strings);
      if (Object.keys(errors).length) {
        this.fieldErrors = errors;
        await this.#goTo(step);
        void this.#focusFirstInvalid();
        return false;
      }
    }
    if (this.#needsPassword && !this.#password) {
      this.fieldErrors = { password: this.#strings.confirmPasswordHelp };
      void this.#focusFirstInvalid();
      return false;
    }
    if (this.mode === 'create' && !acknowledged && this.#ownerIsAdmin()) {
      this.adminPrompt = true;
      await this.updateComplete;
      focusSafeChoice(this.renderRoot.querySelector('[part="admin-warning"]') ?? this.renderRoot);
      return false;
    }
    return true;
  }

  async #submit(acknowledgedNow: boolean): Promise<void> {
    if (acknowledgedNow) this.#acknowledgedFor = this.#ownerKey();
    const acknowledged = acknowledgedNow || (this.#acknowledgedFor !== null && this.#acknowledgedFor === this.#ownerKey());
    if (!(await this.#readyToSave(acknowledged))) return;
    const draft = this.#draft();
    if (!this.dispatchEvent(new PatWizardSubmitEvent({ mode: this.mode, tokenId: this.token?.id ?? null, draft }))) return;
    const provider = this.provider;
    if (!provider) return;
    this.busy = true;
    this.formError = '';
    this.fieldErrors = {};
    const confirm = { ...(this.#password ? { password: this.#password } : {}), ...(acknowledged ? { acknowledge_admin_token: true } : {}) };
    try {
      const saved = await saveDraft(provider, draft, this.mode === 'edit' ? this.token : null, confirm);
      this.#password = '';
      if (saved.mode === 'edit') {
        this.dispatchEvent(new PatTokenSavedEvent({ mode: 'edit', token: saved.token }));
        this.startEdit(saved.token);
      } else {
        const meta = saved.created.token;
        // Hand the secret straight to the reveal dialog; keep no reference here.
        void PatRevealDialog.reveal(saved.created, { container: this.revealContainer ?? this.renderRoot, strings: this.strings });
        this.startCreate();
        if (meta.status === 'pending') this.notice = this.#strings.approvalSent;
        this.dispatchEvent(new PatTokenSavedEvent({ mode: 'create', token: meta }));
      }
    } catch (error) {
      this.#refused(error);
    } finally {
      this.busy = false;
    }
  }

  #refused(error: unknown): void {
    const refusal = readRefusal(error, wizardSteps(this.#context));
    if (refusal.kind === 'admin-acknowledgement') {
      this.adminPrompt = true;
    } else if (refusal.kind === 'password') {
      this.passwordDemanded = true;
      // A create learns the policy for the next token too; an edit asks only for this change.
      if (this.mode === 'create') this.passwordRequired = true;
      void this.#showErrors({ password: refusal.message }, 'confirm');
    } else {
      if (refusal.kind === 'fields') void this.#showErrors(refusal.errors, refusal.step);
      else this.formError = refusal.message;
      this.dispatchEvent(new PatErrorEvent(refusal.code, refusal.message));
    }
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

  #requestRegenerate(): void {
    const id = this.token?.id;
    if (id) void this.#actions.run('regenerate', [id], 'menu');
  }

  #chooseTemplate(id: string): void {
    const template = this.loadedTemplates.find((t) => t.id === id);
    this.fields = template ? applyTemplate(this.fields, template, this.#catalog) : { ...this.fields, templateId: '' };
    this.fieldErrors = {};
  }

  #renderStep(step: StepId, s: WizardText): TemplateResult {
    const view: StepView = {
      s,
      caps: this.#caps,
      fields: this.fields,
      errors: this.fieldErrors,
      set: (patch, clears) => this.#set(patch, clears),
      clearError: (field) => this.#clearError(field),
    };
    if (step === 'details') {
      const canRegenerate = this.mode === 'edit' && this.#caps.regenerate && this.token;
      const templates = this.mode === 'create' ? { templates: this.loadedTemplates, choose: (id: string) => this.#chooseTemplate(id) } : null;
      return detailsStep(view, canRegenerate ? () => this.#requestRegenerate() : null, templates);
    }
    if (step === 'resources') return resourcesStep(view, this.#search);
    if (step === 'expiry') return expiryStep(view);
    if (step === 'access') return accessStep(view, this.#catalog);
    if (step === 'owner') return ownerStep(view, this.#users, this.currentUser);
    return confirmStep(view, {
      mode: this.mode,
      draft: this.#draft(),
      owner: this.#context.canPickOwner ? this.#ownerUser() : null,
      date: (iso) => this.#locale.date(iso, s.expiryNever),
      needsPassword: this.#needsPassword,
      password: (value) => (this.#password = value),
      template: this.#context.template,
      approval: approvalApplies(this.#context),
      dateTime: (iso) => this.#locale.date(iso, '—', true),
    });
  }

  override render() {
    const s = this.#strings;
    const labels: Record<StepId, string> = {
      details: s.stepDetails,
      expiry: s.stepExpiry,
      access: s.stepAccess,
      resources: s.stepResources,
      owner: s.stepOwner,
      confirm: s.stepConfirm,
    };
    return html`<form
        novalidate
        aria-labelledby="wizard-title"
        @submit=${(e: SubmitEvent) => {
          e.preventDefault();
          if (this.#stepper.isLast) void this.#submit(false);
          else this.#next();
        }}
      >
        <h2 id="wizard-title">${this.mode === 'edit' ? s.wizardEditTitle : s.wizardCreateTitle}</h2>
        ${this.#stepper.render(labels, s.stepsLabel)} ${this.#renderStep(this.#stepper.current, s)}
        ${wizardAdminPrompt(s, this.adminPrompt, this.busy, { cancel: () => void this.#dismissAdminPrompt(), confirm: () => void this.#submit(true) })}
        ${this.formError ? html`<p part="form-error" class="error-text" role="alert">${this.formError}</p>` : nothing}
        <p part="notice" role="status" ?hidden=${!this.notice}>${this.notice}</p>
        ${wizardFooter(s, { mode: this.mode, busy: this.busy, adminPrompt: this.adminPrompt, first: this.#stepper.index === 0, last: this.#stepper.isLast }, {
          cancel: () => this.#cancel(),
          back: () => void this.#stepper.back(),
        })}
      </form>
      <pat-confirm-dialog .strings=${this.strings} exportparts="dialog:confirm-dialog,confirm:confirm-button,cancel:confirm-cancel"></pat-confirm-dialog>`;
  }
}
