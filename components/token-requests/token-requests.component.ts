import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ApprovalState, TokenMeta } from '../../lib/model.ts';
import type { ProviderCapabilities, TokenProvider } from '../../lib/provider.ts';
import { requireOperation } from '../../lib/providers/require-operation.ts';
import { baseStyles } from '../shared/base.styles.ts';
import { FULL_CAPABILITIES } from '../shared/capabilities.ts';
import { PatErrorEvent, PatRequestApprovedEvent, PatRequestDeniedEvent } from '../shared/events.ts';
import { messageOf } from '../shared/format.ts';
import { LocaleController } from '../shared/locale.ts';
import { boundsStyles } from '../shared/token-bounds.ts';
import { denyDialog, REASON_MAX, type DenyDialogView } from './deny-dialog.ts';
import { requestCard, requestName } from './request-card.ts';
import { defaultRequestsStrings, type RequestsStrings } from './token-requests.strings.ts';
import { tokenRequestsStyles } from './token-requests.styles.ts';

const STATES: readonly ApprovalState[] = ['pending', 'approved', 'denied'];
/** `requests` until someone sets it: with no provider either, the view is not connected yet. */
const NO_REQUESTS: TokenMeta[] = [];

/** The state a request is in (a token without `approval` listed here is waiting). */
function stateOf(token: TokenMeta): ApprovalState {
  return token.approval?.state ?? 'pending';
}

/** The token as decided, for property mode (no provider): the host applies it on its backend. */
function decidedLocally(token: TokenMeta, decided: 'approved' | 'denied', reason: string | null): TokenMeta {
  const approval = token.approval ?? { state: 'pending' as const, justification: '', requested_at: token.created_at ?? new Date().toISOString(), decided_at: null, decided_by: null, reason: null };
  return {
    ...token,
    status: decided === 'approved' ? 'active' : 'denied',
    approval: { ...approval, state: decided, decided_at: new Date().toISOString(), reason },
  };
}

/**
 * @summary For approvers: the token requests waiting for a decision (or those approved or
 * denied), each with its requester, justification, scopes, resources, allowed addresses and
 * expiry; approve, or deny with a reason the requester sees, one request or many at once.
 *
 * With a `provider` it loads (`listTokenRequests`), approves (`approveTokenRequest`) and denies
 * (`denyTokenRequest`) itself; without one, set `requests` (plus `loading` / `error`), and the
 * decisions are applied to `requests` here and announced with `pat-request-approved` /
 * `pat-request-denied` for the host to carry out. Deny asks for a reason in a dialog (required,
 * at most 500 characters). Everything works from the keyboard: Tab reaches each request's
 * checkbox, Approve and Deny…; after a decision focus moves to the next request (or the empty
 * message), and the outcome is shown and announced.
 *
 * @event pat-request-approved - A request was approved; `detail.token` (metadata only).
 * @event pat-request-denied - A request was denied; `detail.token`, its `approval.reason` the reason given.
 * @event pat-error - Loading or a decision failed; the message is on screen too.
 *
 * @csspart toolbar - The state filter and Refresh.
 * @csspart state-filter - The state filter (pending, approved, denied).
 * @csspart refresh - The Refresh button.
 * @csspart bulk-bar - Selection count and bulk Approve / Deny.
 * @csspart bulk-approve - "Approve selected".
 * @csspart bulk-deny - "Deny selected…".
 * @csspart requests - The list of requests.
 * @csspart request - One request.
 * @csspart justification - The requester's justification.
 * @csspart resources - The resources the token would be bounded to.
 * @csspart allowed-ips - The addresses it would be limited to.
 * @csspart decision - Who decided a request, when, and why.
 * @csspart approve - A request's Approve button.
 * @csspart deny - A request's Deny… button.
 * @csspart state - Loading, empty and error messages.
 * @csspart more - "More requests" (the provider's next page).
 * @csspart notice - The outcome of the last decision (how many were approved or denied, what failed).
 * @csspart deny-dialog - The reason dialog.
 * @csspart reason - The reason field.
 * @csspart deny-confirm - The dialog's Deny button.
 * @csspart deny-cancel - The dialog's Cancel button.
 * @cssproperty [--pat-accent=#0b5cd5] - Accent: primary buttons, focus ring, selection.
 * @cssproperty [--pat-color-bg=#ffffff] - Background (dark scheme: #0d1117).
 * @cssproperty [--pat-color-fg=#1b1f24] - Text colour.
 * @cssproperty [--pat-color-border=#d0d7de] - Borders.
 * @cssproperty [--pat-color-danger=#b42318] - Destructive actions and errors.
 * @cssproperty [--pat-radius=6px] - Corner radius.
 * @cssproperty [--pat-font-family=system-ui] - Font.
 */
export class PatTokenRequests extends LitElement {
  static override styles = [baseStyles, boundsStyles, tokenRequestsStyles];

  /** Loads and decides through this provider. Without one, set `requests`. */
  @property({ attribute: false }) provider: TokenProvider | null = null;
  /** The requests to show (filled in by the component itself when it has a provider). */
  @property({ attribute: false }) requests: TokenMeta[] = NO_REQUESTS;
  /** Which requests: `pending` (waiting for a decision), `approved` or `denied`. */
  @property({ reflect: true }) state: ApprovalState = 'pending';
  /** Shows the loading state (property mode). */
  @property({ type: Boolean, reflect: true }) loading = false;
  /** An error message to show instead of the requests (property mode). */
  @property() error: string | null = null;
  /** What the server can do; defaults to the provider's, or to everything. */
  @property({ attribute: false }) capabilities: ProviderCapabilities | null = null;
  /** Overrides for single strings of this view (English unless a `lang` picks another). */
  @property({ attribute: false }) strings: Partial<RequestsStrings> = {};

  @state() private selected: ReadonlySet<string> = new Set();
  @state() private busy: ReadonlySet<string> = new Set();
  @state() private nextCursor: string | null = null;
  /** The outcome of the last decision, on screen and announced (`failed`: part of it did not go through). */
  @state() private announcement = '';
  @state() private failed = false;
  /** The requests the reason dialog is open for. */
  @state() private denying: string[] = [];
  @state() private reasonError = '';

  readonly #locale = new LocaleController(this);
  #loadSeq = 0;
  /** Where focus goes back to when the reason dialog is cancelled. */
  #opener: HTMLElement | null = null;

  get #caps(): ProviderCapabilities {
    return this.capabilities ?? this.provider?.capabilities ?? FULL_CAPABILITIES;
  }

  get #text(): RequestsStrings {
    return { ...defaultRequestsStrings, ...this.#locale.locale.requests, ...this.strings } as RequestsStrings;
  }

  /** The requests in the chosen state, as shown. */
  get visibleRequests(): readonly TokenMeta[] {
    return this.requests.filter((t) => stateOf(t) === this.state);
  }

  /** Ids of the selected (pending) requests, in list order. */
  get selectedIds(): string[] {
    return this.visibleRequests.filter((t) => this.selected.has(t.id)).map((t) => t.id);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('provider') || changed.has('state')) && this.provider) void this.reload();
    if (changed.has('state') || changed.has('requests')) {
      const shown = new Set(this.visibleRequests.filter((t) => stateOf(t) === 'pending').map((t) => t.id));
      if ([...this.selected].some((id) => !shown.has(id))) this.selected = new Set([...this.selected].filter((id) => shown.has(id)));
    }
  }

  /** Reloads the first page of requests in the chosen state from the provider. */
  reload(): Promise<void> {
    return this.#load(null);
  }

  async #load(cursor: string | null): Promise<void> {
    const provider = this.provider;
    if (!provider) return;
    const seq = ++this.#loadSeq;
    const wanted = this.state;
    this.loading = true;
    this.error = null;
    try {
      const page = await requireOperation(provider, 'listTokenRequests')({ state: wanted, ...(cursor ? { cursor } : {}) });
      if (seq !== this.#loadSeq) return;
      const known = new Set(cursor ? this.requests.map((t) => t.id) : []);
      this.requests = cursor ? [...this.requests, ...page.items.filter((t) => !known.has(t.id))] : page.items;
      this.nextCursor = page.next_cursor;
    } catch (error) {
      if (seq !== this.#loadSeq) return;
      const { code, message } = messageOf(error);
      this.error = message;
      this.dispatchEvent(new PatErrorEvent(code, message));
    } finally {
      if (seq === this.#loadSeq) this.loading = false;
    }
  }

  #announce(text: string, failed = false): void {
    this.announcement = '';
    this.failed = failed;
    requestAnimationFrame(() => (this.announcement = text));
  }

  #setBusy(ids: readonly string[], on: boolean): void {
    const next = new Set(this.busy);
    for (const id of ids) {
      if (on) next.add(id);
      else next.delete(id);
    }
    this.busy = next;
  }

  #select(id: string, on: boolean): void {
    const next = new Set(this.selected);
    if (on) next.add(id);
    else next.delete(id);
    this.selected = next;
  }

  #selectAll(on: boolean): void {
    this.selected = on ? new Set(this.visibleRequests.filter((t) => stateOf(t) === 'pending').map((t) => t.id)) : new Set();
  }

  /** Approves `ids` (one request, or the selection). */
  approve(ids: readonly string[]): Promise<void> {
    return this.#decide(ids, 'approved', null);
  }

  /** Denies `ids` with `reason` (required, at most 500 characters). */
  deny(ids: readonly string[], reason: string): Promise<void> {
    const trimmed = reason.trim();
    if (!trimmed || trimmed.length > REASON_MAX) return Promise.reject(new RangeError(`The reason must be 1 to ${REASON_MAX} characters.`));
    return this.#decide(ids, 'denied', trimmed);
  }

  /**
   * Decides each request in turn (the server has no bulk call): those decided leave the pending
   * list, each announced by its event; failures are said once, with how many failed.
   */
  async #decide(ids: readonly string[], decision: 'approved' | 'denied', reason: string | null): Promise<void> {
    const s = this.#text;
    const targets = this.requests.filter((t) => ids.includes(t.id) && stateOf(t) === 'pending' && !this.busy.has(t.id));
    if (targets.length === 0) return;
    const before = this.visibleRequests.map((t) => t.id);
    const provider = this.provider;
    const done: TokenMeta[] = [];
    let failure: { code: string; message: string } | null = null;
    let failed = 0;
    this.#setBusy(targets.map((t) => t.id), true);
    for (const token of targets) {
      try {
        const updated = !provider
          ? decidedLocally(token, decision, reason)
          : decision === 'approved'
            ? await requireOperation(provider, 'approveTokenRequest')(token.id)
            : await requireOperation(provider, 'denyTokenRequest')(token.id, reason!);
        done.push(updated);
        this.requests = this.requests.map((t) => (t.id === updated.id ? updated : t));
        this.dispatchEvent(decision === 'approved' ? new PatRequestApprovedEvent(updated) : new PatRequestDeniedEvent(updated));
      } catch (error) {
        failed += 1;
        failure ??= messageOf(error);
      } finally {
        this.#setBusy([token.id], false);
      }
    }
    const names = done.length === 1 ? requestName(done[0]!) : '';
    const outcome = done.length === 0 ? '' : decision === 'approved' ? (names ? s.approved(names) : s.approvedMany(done.length)) : names ? s.denied(names) : s.deniedMany(done.length);
    if (failure) this.dispatchEvent(new PatErrorEvent(failure.code, failure.message));
    this.#announce([outcome, failure ? s.someFailed(failed, failure.message) : ''].filter(Boolean).join(' '), !!failure);
    this.selected = new Set([...this.selected].filter((id) => !done.some((t) => t.id === id)));
    await this.#focusAfter(before, targets[0]!.id);
  }

  /** After a decision: the request now where the first decided one was (or the one before), else the list's state line. */
  async #focusAfter(before: readonly string[], first: string): Promise<void> {
    await this.updateComplete;
    const shown = this.visibleRequests.map((t) => t.id);
    const from = before.indexOf(first);
    const stillThere = shown.includes(first) ? first : (before.slice(from + 1).find((id) => shown.includes(id)) ?? [...before.slice(0, from)].reverse().find((id) => shown.includes(id)));
    const target = stillThere
      ? this.renderRoot.querySelector<HTMLElement>(`[part="request"][data-id="${CSS.escape(stillThere)}"] [part="approve"]`)
      : this.renderRoot.querySelector<HTMLElement>('[part="state"]');
    target?.focus();
  }

  #openDeny(ids: string[], opener: HTMLElement | null): void {
    if (ids.length === 0) return;
    this.#opener = opener;
    this.denying = ids;
    this.reasonError = '';
    void this.updateComplete.then(() => {
      const dialog = this.renderRoot.querySelector<HTMLDialogElement>('[part="deny-dialog"]');
      if (dialog && !dialog.open) dialog.showModal();
      this.renderRoot.querySelector<HTMLTextAreaElement>('[part="reason"]')?.focus();
    });
  }

  #closeDeny(returnFocus: boolean): void {
    const dialog = this.renderRoot.querySelector<HTMLDialogElement>('[part="deny-dialog"]');
    if (dialog?.open) dialog.close();
    this.denying = [];
    const opener = this.#opener;
    this.#opener = null;
    if (returnFocus && opener?.isConnected) opener.focus();
  }

  async #submitDeny(reason: string): Promise<void> {
    const s = this.#text;
    const trimmed = reason.trim();
    if (!trimmed || trimmed.length > REASON_MAX) {
      this.reasonError = trimmed ? s.denyReasonTooLong : s.denyReasonRequired;
      this.renderRoot.querySelector<HTMLTextAreaElement>('[part="reason"]')?.focus();
      return;
    }
    const ids = this.denying;
    this.#closeDeny(false);
    await this.#decide(ids, 'denied', trimmed);
  }

  #denyView(s: RequestsStrings): DenyDialogView {
    const ids = this.denying;
    const one = ids.length === 1 ? this.requests.find((t) => t.id === ids[0]) : undefined;
    return {
      s,
      title: s.denyTitle(ids.length, one ? requestName(one) : undefined),
      error: this.reasonError,
      submit: (reason) => void this.#submitDeny(reason),
      cancel: () => this.#closeDeny(true),
    };
  }

  #renderToolbar(s: RequestsStrings): TemplateResult {
    const label = { pending: s.requestsPending, approved: s.requestsApproved, denied: s.requestsDenied };
    return html`<div part="toolbar">
      <label
        >${s.requestsShow}
        <select part="state-filter" .value=${this.state} @change=${(e: Event) => (this.state = (e.target as HTMLSelectElement).value as ApprovalState)}>
          ${STATES.map((st) => html`<option value=${st} ?selected=${st === this.state}>${label[st]}</option>`)}
        </select>
      </label>
      ${this.provider ? html`<button type="button" part="refresh" ?disabled=${this.loading} @click=${() => void this.reload()}>${s.requestsRefresh}</button>` : nothing}
    </div>`;
  }

  #renderBulkBar(s: RequestsStrings, pending: readonly TokenMeta[]): TemplateResult | typeof nothing {
    if (this.state !== 'pending' || pending.length === 0) return nothing;
    const ids = this.selectedIds;
    const all = ids.length === pending.length;
    return html`<div part="bulk-bar">
      <label class="select-all"
        ><input type="checkbox" .checked=${all} .indeterminate=${ids.length > 0 && !all} @change=${(e: Event) => this.#selectAll((e.target as HTMLInputElement).checked)} />
        ${s.requestsSelectAll}</label
      >
      ${ids.length
        ? html`<span>${s.requestsSelected(ids.length)}</span>
            <button type="button" class="primary" part="bulk-approve" @click=${() => void this.approve(ids)}>${s.approveSelected}</button>
            <button type="button" class="danger" part="bulk-deny" @click=${(e: Event) => this.#openDeny(ids, e.currentTarget as HTMLElement)}>${s.denySelected}</button>
            <button type="button" @click=${() => (this.selected = new Set())}>${s.requestsClear}</button>`
        : nothing}
    </div>`;
  }

  #renderState(s: RequestsStrings, shown: number): TemplateResult | null {
    if (this.loading && shown === 0) return html`<p part="state" role="status" tabindex="-1">${s.requestsLoading}</p>`;
    if (!this.provider && this.requests === NO_REQUESTS && !this.error) return html`<p part="state" role="status" tabindex="-1">${s.requestsNotConnected}</p>`;
    if (this.error)
      return html`<div part="state" role="alert" tabindex="-1">
        <strong>${s.requestsError}</strong> <span>${this.error}</span>
        ${this.provider ? html`<button type="button" @click=${() => void this.reload()}>${s.requestsRetry}</button>` : nothing}
      </div>`;
    if (shown === 0) {
      const empty = { pending: s.requestsEmptyPending, approved: s.requestsEmptyApproved, denied: s.requestsEmptyDenied }[this.state] ?? s.requestsEmptyPending;
      return html`<p part="state" role="status" tabindex="-1">${empty}</p>`;
    }
    return null;
  }

  override render() {
    const s = this.#text;
    const shown = this.visibleRequests;
    const date = (iso: string | null, fallback: string, withTime?: boolean): string => this.#locale.date(iso, fallback, withTime);
    return html`${this.#renderToolbar(s)} ${this.#renderBulkBar(s, shown)}
      ${this.#renderState(s, shown.length) ??
      html`<ul part="requests" aria-label=${s.requestsLabel} aria-busy=${this.loading ? 'true' : 'false'}>
        ${repeat(
          shown,
          (t) => t.id,
          (t) =>
            requestCard(
              {
                s,
                date,
                selected: this.selected.has(t.id),
                busy: this.busy.has(t.id),
                scopes: this.#caps.scopes !== 'none',
                select: (on) => this.#select(t.id, on),
                approve: () => void this.approve([t.id]),
                deny: () => this.#openDeny([t.id], this.renderRoot.querySelector<HTMLElement>(`[part="request"][data-id="${CSS.escape(t.id)}"] [part="deny"]`)),
              },
              t,
            ),
        )}
      </ul>`}
      ${this.provider && this.nextCursor !== null && shown.length > 0
        ? html`<button type="button" part="more" ?disabled=${this.loading} @click=${() => void this.#load(this.nextCursor)}>${s.requestsMore}</button>`
        : nothing}
      ${this.denying.length ? denyDialog(this.#denyView(s)) : nothing}
      <p part="notice" class=${this.failed ? 'error-text' : ''} role="status" aria-live="polite">${this.announcement}</p>`;
  }
}
