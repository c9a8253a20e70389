import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { AuditEvent, Scope, TokenMeta } from '../../lib/model.ts';
import type { ProviderCapabilities, TokenProvider } from '../../lib/provider.ts';
import { baseStyles } from '../shared/base.styles.ts';
import { FULL_CAPABILITIES } from '../shared/capabilities.ts';
import { PatErrorEvent, PatTokenActionEvent } from '../shared/events.ts';
import { deepActiveElement } from '../shared/focus.ts';
import { displayStatus, messageOf, statusLabel } from '../shared/format.ts';
import { LocaleController } from '../shared/locale.ts';
import { listStrings } from '../token-list/token-list.strings.ts';
import type { PatStrings } from '../shared/strings.ts';
import { defaultDetailsStrings, type DetailsStrings } from './token-details.strings.ts';
import { tokenDetailsStyles } from './token-details.styles.ts';
import { boundsStyles } from '../shared/token-bounds.ts';
import { approvalSection, boundsFacts, notices, resourcesSection, type FineGrainedView } from './fine-grained.ts';
import { requireOperation } from '../../lib/providers/require-operation.ts';

/** Audit events per page. */
const AUDIT_PAGE = 20;

/** One scope catalog request per provider, however many tokens are opened. */
const catalogs = new WeakMap<TokenProvider, Promise<Map<string, Scope>>>();

function scopesOf(provider: TokenProvider): Promise<Map<string, Scope>> {
  let catalog = catalogs.get(provider);
  if (!catalog) {
    catalog = provider.scopeCatalog().then((c) => new Map(c.scopes.map((scope) => [scope.id, scope])));
    // A failed request is not remembered: the next opening asks again.
    catalog.catch(() => catalogs.delete(provider));
    catalogs.set(provider, catalog);
  }
  return catalog;
}

/** Options of {@link PatTokenDetails.open}. */
export interface DetailsOpenOptions {
  provider?: TokenProvider | null;
  capabilities?: ProviderCapabilities | null;
  strings?: Partial<PatStrings & DetailsStrings>;
  /** Where the modal goes (default `document.body`). */
  container?: Node;
  /** Called with the open view, so its opener can hand it fresher metadata (`el.token = …`) while it shows. */
  onOpen?: (el: PatTokenDetails) => void;
  /** The opener's regenerate (its confirmation offers a compliant expiry), for a token over the lifetime policy; the view closes first. */
  regenerate?: () => void;
}

/**
 * @summary Everything about one token: scopes with their descriptions, expiry, who created it and
 * when, last use, recent client addresses, rotation state, and that token's audit trail (paged);
 * for fine-grained tokens its approval request (pending, or denied with the reason), resources,
 * allowed addresses, not-before, and "Lifetime exceeds policy" with a Regenerate that offers a
 * compliant expiry.
 *
 * Give it a `token` (metadata, never a secret) and, for the scope descriptions and the audit trail,
 * a `provider` (`listAudit({ token_id })` where `capabilities.audit`). What the capabilities lack
 * (expiry, last use, recent uses, audit) is not shown. Inline by default; `PatTokenDetails.open()`
 * shows it as a modal (`<pat-token-list>` does that for its Details action and Alt+Enter), which
 * Escape and Close end, returning focus where it was.
 *
 * @event pat-error - The scope catalog or the audit trail could not be loaded; the message is on screen.
 * @event pat-token-action - Inline use: "Regenerate with a compliant expiry…" was chosen (`handled: false`; the host regenerates). Opened from a list, the list does it.
 *
 * @csspart dialog - The `<dialog>` (modal use).
 * @csspart panel - The content's box.
 * @csspart facts - The list of facts (id, owner, status, dates).
 * @csspart scopes - The scope list.
 * @csspart rotation - The rotation state.
 * @csspart approval - The approval request: waiting, or who approved or denied it, when and why.
 * @csspart reason - A denied request's reason.
 * @csspart resources - The resources the token is bounded to (chips with type and name).
 * @csspart allowed-ips - The addresses it may be used from.
 * @csspart not-before - "Not valid before …", while that time is ahead.
 * @csspart lifetime-policy - "Lifetime exceeds policy", with the way out.
 * @csspart regenerate - "Regenerate with a compliant expiry…" (where the token can be regenerated).
 * @csspart recent-uses - The table of recent client addresses.
 * @csspart audit - The audit trail section.
 * @csspart audit-more - "Show more" (the next page of the audit trail).
 * @csspart close - The Close button (modal use).
 *
 * @cssproperty [--pat-accent=#0b5cd5] - Accent: primary buttons, focus ring, selection.
 * @cssproperty [--pat-color-bg=#ffffff] - Background (dark scheme: #0d1117).
 * @cssproperty [--pat-color-fg=#1b1f24] - Text colour.
 * @cssproperty [--pat-color-border=#d0d7de] - Borders.
 * @cssproperty [--pat-radius=6px] - Corner radius.
 * @cssproperty [--pat-font-family=system-ui] - Font.
 */
export class PatTokenDetails extends LitElement {
  static override styles = [baseStyles, boundsStyles, tokenDetailsStyles];

  /**
   * Shows `token` in a modal details view inside `container` (default `document.body`); resolves
   * when it was closed and removed itself.
   */
  static open(
    token: TokenMeta,
    options: DetailsOpenOptions = {},
  ): Promise<void> {
    // Works under whatever tag name the class was registered with.
    const el = new PatTokenDetails();
    el.token = token;
    el.provider = options.provider ?? null;
    el.capabilities = options.capabilities ?? null;
    if (options.strings) el.strings = options.strings;
    el.modal = true;
    el.#regenerate = options.regenerate ?? null;
    (options.container ?? document.body).appendChild(el);
    options.onOpen?.(el);
    return el.#showModal();
  }

  /** The token shown (metadata only). */
  @property({ attribute: false }) token: TokenMeta | null = null;

  /** For scope descriptions and the audit trail; without one, only what `token` says is shown. */
  @property({ attribute: false }) provider: TokenProvider | null = null;

  /** What the server can do; defaults to the provider's, or to everything. */
  @property({ attribute: false }) capabilities: ProviderCapabilities | null = null;

  /** Renders as a modal `<dialog>` (see `PatTokenDetails.open()`). */
  @property({ type: Boolean, reflect: true }) modal = false;

  /** Overrides for single strings (the kit's and the details view's own). */
  @property({ attribute: false }) strings: Partial<PatStrings & DetailsStrings> = {};

  @state() private scopes: Map<string, Scope> | null = null;
  @state() private audit: AuditEvent[] = [];
  @state() private auditCursor: string | null = null;
  @state() private auditState: 'idle' | 'loading' | 'error' = 'idle';
  @state() private auditError = '';

  readonly #locale = new LocaleController(this, listStrings);
  #auditController: AbortController | null = null;
  #returnFocus: HTMLElement | null = null;
  #closed: (() => void) | null = null;
  /** The opener's regenerate (see {@link DetailsOpenOptions.regenerate}). */
  #regenerate: (() => void) | null = null;

  get #caps(): ProviderCapabilities {
    return this.capabilities ?? this.provider?.capabilities ?? FULL_CAPABILITIES;
  }

  get #text(): PatStrings & DetailsStrings {
    return { ...this.#locale.strings(), ...defaultDetailsStrings, ...this.#locale.locale.details, ...this.strings } as PatStrings & DetailsStrings;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#auditController?.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('token') && changed.get('token')?.id !== this.token?.id) || changed.has('provider')) {
      this.audit = [];
      this.auditCursor = null;
      this.auditState = 'idle';
      if (this.token && this.provider) {
        if (this.#caps.scopes !== 'none' && this.token.scopes.length) void this.#loadScopes(this.provider);
        if (this.#caps.audit) void this.loadAudit();
      }
    }
  }

  async #loadScopes(provider: TokenProvider): Promise<void> {
    try {
      const scopes = await scopesOf(provider);
      if (provider === this.provider) this.scopes = scopes;
    } catch (error) {
      // Scope ids still show; only their descriptions are missing.
      const { code, message } = messageOf(error);
      this.dispatchEvent(new PatErrorEvent(code, message));
    }
  }

  /** Loads the next page of the token's audit trail (the first one when none is shown yet). */
  async loadAudit(): Promise<void> {
    const provider = this.provider;
    const token = this.token;
    if (!provider || !token) return;
    this.#auditController?.abort();
    const controller = new AbortController();
    this.#auditController = controller;
    this.auditState = 'loading';
    try {
      const page = await requireOperation(provider, 'listAudit')({ token_id: token.id, limit: AUDIT_PAGE, cursor: this.auditCursor }, { signal: controller.signal });
      if (controller.signal.aborted) return;
      this.audit = [...this.audit, ...page.items];
      this.auditCursor = page.next_cursor;
      this.auditState = 'idle';
    } catch (error) {
      if (controller.signal.aborted) return;
      const { code, message } = messageOf(error);
      this.auditError = message;
      this.auditState = 'error';
      this.dispatchEvent(new PatErrorEvent(code, message));
    }
  }

  async #showModal(): Promise<void> {
    this.#returnFocus = deepActiveElement();
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector('dialog');
    if (!dialog) return;
    dialog.showModal();
    this.renderRoot.querySelector<HTMLElement>('[part="close"]')?.focus();
    return new Promise((resolve) => {
      this.#closed = resolve;
    });
  }

  /** Closes the modal view (Escape and Close do this). */
  close(): void {
    const dialog = this.renderRoot.querySelector('dialog');
    if (dialog?.open) dialog.close();
    const back = this.#returnFocus;
    this.#returnFocus = null;
    if (back?.isConnected) back.focus();
    if (this.modal) this.remove();
    const done = this.#closed;
    this.#closed = null;
    done?.();
  }

  #fact(label: string, value: unknown): TemplateResult {
    return html`<dt>${label}</dt>
      <dd>${value}</dd>`;
  }

  #renderContent(token: TokenMeta, s: PatStrings & DetailsStrings): TemplateResult {
    const caps = this.#caps;
    const loc = this.#locale;
    const status = displayStatus(token, Date.now(), 7);
    const name = token.name || token.description || token.id;
    const uses = token.recent_uses ?? [];
    const fine = this.#fineGrained(s);
    return html`<h2 id="title">${name}</h2>
      ${token.name && token.description && caps.description ? html`<p class="muted">${token.description}</p>` : nothing}
      ${notices(fine, token)}
      <dl part="facts">
        ${this.#fact(s.detailsId, html`<code>${token.id}</code>`)} ${this.#fact(s.detailsOwner, token.owner.scope_name ?? token.owner.username)}
        ${this.#fact(s.detailsStatus, statusLabel(s, status))}
        ${this.#fact(s.detailsCreated, loc.date(token.created_at, '—', true))} ${this.#fact(s.detailsCreatedBy, token.created_by?.username ?? '—')}
        ${caps.expiry.mode !== 'none' ? this.#fact(s.detailsExpires, loc.date(token.expires_at, s.never, true)) : nothing}
        ${caps.lastUsed
          ? this.#fact(s.detailsLastUsed, `${loc.date(token.last_used_at, s.notUsed, true)}${token.last_used_at && token.last_used_ip ? ` (${token.last_used_ip})` : ''}`)
          : nothing}
        ${token.last4 ? this.#fact(s.detailsLast4, html`<code>…${token.last4}</code>`) : nothing}
        ${boundsFacts(fine, token, (label, value) => this.#fact(label, value))}
      </dl>
      ${approvalSection(fine, token)}
      ${caps.scopes !== 'none'
        ? html`<h3 id="scopes">${s.detailsScopes}</h3>
            ${token.scopes.length
              ? html`<ul part="scopes" aria-labelledby="scopes">
                  ${token.scopes.map((id) => {
                    const description = this.scopes?.get(id)?.description;
                    return html`<li><code>${id}</code>${description ? html` <span class="muted">${description}</span>` : nothing}</li>`;
                  })}
                </ul>`
              : html`<p class="muted">${s.allScopes}</p>`}`
        : nothing}
      ${resourcesSection(fine, token)}
      ${caps.rotationGraceMaxSeconds > 0 || token.rotation
        ? html`<h3>${s.detailsRotation}</h3>
            <p part="rotation">
              ${token.rotation
                ? html`${s.graceUntil(loc.date(token.rotation.previous_valid_until, '', true), loc.relative(token.rotation.previous_valid_until))}.
                  ${s.detailsPrevious(token.rotation.previous_last4)}`
                : s.detailsNotRotating}
            </p>`
        : nothing}
      ${caps.recentUses
        ? html`<h3 id="uses">${s.detailsRecentUses}</h3>
            ${uses.length
              ? html`<table part="recent-uses" aria-labelledby="uses">
                  <thead><tr><th scope="col">${s.detailsAddress}</th><th scope="col">${s.detailsWhen}</th></tr></thead>
                  <tbody>${uses.map((u) => html`<tr><td><code>${u.ip}</code></td><td>${loc.date(u.at, '—', true)}</td></tr>`)}</tbody>
                </table>`
              : html`<p class="muted">${s.detailsNoUses}</p>`}`
        : nothing}
      ${caps.audit && this.provider ? this.#renderAudit(s) : nothing}`;
  }

  #fineGrained(s: PatStrings & DetailsStrings): FineGrainedView {
    const caps = this.#caps;
    const token = this.token;
    return {
      s,
      caps,
      now: Date.now(),
      date: (iso, fallback, withTime) => this.#locale.date(iso, fallback, withTime),
      relative: (iso) => this.#locale.relative(iso),
      regenerate: caps.regenerate && token ? () => this.#startRegenerate(token) : null,
    };
  }

  /** The way out of "Lifetime exceeds policy": the opener's regenerate, or (inline, no opener) the host's, through `pat-token-action`. */
  #startRegenerate(token: TokenMeta): void {
    const regenerate = this.#regenerate;
    if (regenerate) {
      this.close();
      regenerate();
      return;
    }
    this.dispatchEvent(new PatTokenActionEvent({ action: 'regenerate', ids: [token.id], handled: false }));
  }

  #renderAudit(s: PatStrings & DetailsStrings): TemplateResult {
    const loc = this.#locale;
    const loading = this.auditState === 'loading';
    return html`<section part="audit" aria-labelledby="audit" aria-busy=${loading ? 'true' : 'false'}>
      <h3 id="audit">${s.detailsAudit}</h3>
      ${this.audit.length
        ? html`<table aria-labelledby="audit">
            <thead>
              <tr><th scope="col">${s.detailsWhen}</th><th scope="col">${s.detailsAction}</th><th scope="col">${s.detailsActor}</th><th scope="col">${s.detailsAddress}</th></tr>
            </thead>
            <tbody>
              ${this.audit.map(
                (e) => html`<tr><td>${loc.date(e.at, '—', true)}</td><td><code>${e.action}</code></td><td>${e.actor?.username ?? '—'}</td><td>${e.ip ?? '—'}</td></tr>`,
              )}
            </tbody>
          </table>`
        : nothing}
      ${loading
        ? html`<p role="status" class="muted">${s.auditLoading}</p>`
        : this.auditState === 'error'
          ? html`<p role="alert"><strong>${s.auditError}</strong> ${this.auditError}
                <button type="button" @click=${() => void this.loadAudit()}>${s.retry}</button></p>`
          : this.audit.length === 0
            ? html`<p class="muted">${s.auditEmpty}</p>`
            : nothing}
      ${this.auditCursor && !loading && this.auditState !== 'error'
        ? html`<button type="button" part="audit-more" @click=${() => void this.loadAudit()}>${s.auditMore}</button>`
        : nothing}
    </section>`;
  }

  override render() {
    const s = this.#text;
    const token = this.token;
    const content = token ? this.#renderContent(token, s) : nothing;
    if (!this.modal) return html`<section part="panel" aria-labelledby="title">${content}</section>`;
    return html`<dialog part="dialog" aria-labelledby="title" @close=${() => this.close()}>
      <div part="panel">${content}</div>
      <div class="actions"><button type="button" part="close" @click=${() => this.close()}>${s.close}</button></div>
    </dialog>`;
  }
}
