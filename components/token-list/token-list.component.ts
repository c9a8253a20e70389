import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { CreatedToken, TokenMeta, TokenSortKey } from '../../lib/model.ts';
import type { ProviderCapabilities, ScopedOwner, TokenProvider } from '../../lib/provider.ts';
import { PatConfirmDialog } from '../confirm-dialog/confirm-dialog.component.ts';
import { PatRevealDialog } from '../reveal-dialog/reveal-dialog.component.ts';
import { baseStyles } from '../shared/base.styles.ts';
import { FULL_CAPABILITIES } from '../shared/capabilities.ts';
import {
  DESTRUCTIVE_ACTIONS,
  PatErrorEvent,
  PatRefreshEvent,
  PatRequestActionEvent,
  PatSelectionChangeEvent,
  PatTokenActionEvent,
  PatTokenSavedEvent,
  type TokenAction,
} from '../shared/events.ts';
import { CANCELLED, confirmThenRun, passwordWanted } from '../shared/confirm-action.ts';
import { displayStatus, formatDate, messageOf, type DisplayStatus } from '../shared/format.ts';
import { mergeStrings, type PatStrings } from '../shared/strings.ts';
import { tokenListStyles } from './token-list.styles.ts';

type StatusFilter = '' | DisplayStatus;

/** Rows rendered above and below the visible ones, so scrolling shows no gaps. */
const OVERSCAN = 4;
/** Row height before the first row is measured (3.25rem at 16px). */
const ESTIMATED_ROW_HEIGHT = 52;
/**
 * Body height before it is measured: the default `--pat-list-height` (26rem at 16px). A taller
 * host-set height is measured by a ResizeObserver, whose update lands before the first paint.
 */
const ESTIMATED_VIEWPORT = 416;

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/**
 * @summary A sortable, filterable, virtualized list of personal access tokens with row actions and
 * multi-select (click, Shift-click ranges, Ctrl/Cmd-click) and bulk delete.
 *
 * Give it a `provider` and it loads, deletes, disables, enables and regenerates tokens itself (a
 * regenerated value is shown once in `<pat-reveal-dialog>`), asking once per action, password
 * included when the server wants it; or set `tokens`
 * (plus `loading` / `error`) and carry out the actions it announces with `pat-token-action`.
 * Only the visible rows (plus a few) exist in the DOM, so 10,000 tokens stay smooth. Rows have a
 * fixed height (`--pat-list-row-height`), which lets the list window them with plain arithmetic:
 * @lit-labs/virtualizer does the same for variable heights but alone costs 9 KB min+gzip, a third
 * of the kit's whole budget (bench/RESULTS.md). What the provider's
 * `capabilities` lack (disable, regenerate, expiry, scopes, last use, bulk delete) is not offered.
 *
 * Keyboard: arrows / Home / End move between rows, Shift+arrows extend the selection, Space
 * toggles, Ctrl/Cmd+A selects all, Enter edits, Delete deletes, Shift+F10 or the context-menu key
 * opens the row's actions, Right arrow moves to the row's actions button (Left goes back).
 * Positions are set through the CSSOM (styleMap), so a strict `style-src` CSP does not break it.
 *
 * @event pat-request-action - Cancelable; fired before any action. `detail: {action, ids, source}`.
 * @event pat-token-action - An action was confirmed; `detail.handled` says whether the list did it.
 * @event pat-token-saved - A token was regenerated through the provider (`mode: 'regenerate'`, metadata only; the new value is in a reveal dialog).
 * @event pat-selection-change - `detail.ids` of the selected tokens.
 * @event pat-refresh - The user asked for fresh data (the host reloads when there is no provider).
 * @event pat-error - A load or action failed; the message is already on screen.
 *
 * @csspart toolbar - Filters, sort and refresh.
 * @csspart bulk-bar - Selection count and bulk actions.
 * @csspart grid - The `role="grid"` container.
 * @csspart header - The header row group.
 * @csspart body - The scrolling, virtualized row group.
 * @csspart row - Each token row.
 * @csspart menu - A row's action menu.
 * @csspart state - Loading, empty and error messages.
 * @csspart offline - The offline banner.
 * @csspart refresh - The Refresh button.
 * @csspart bulk-delete - The bulk bar's Delete button.
 *
 * @cssproperty [--pat-list-height=26rem] - Height of the scrolling body.
 * @cssproperty [--pat-list-row-height=3.25rem] - Height of one row.
 * @cssproperty [--pat-list-selected-bg] - Background of selected rows.
 * @cssproperty [--pat-accent=#0b5cd5] - Accent: primary buttons, focus ring, selection.
 * @cssproperty [--pat-color-bg=#ffffff] - Background (dark scheme: #0d1117).
 * @cssproperty [--pat-color-fg=#1b1f24] - Text colour.
 * @cssproperty [--pat-color-border=#d0d7de] - Borders.
 * @cssproperty [--pat-color-danger=#b42318] - Destructive actions and errors.
 * @cssproperty [--pat-radius=6px] - Corner radius.
 * @cssproperty [--pat-font-family=system-ui] - Font.
 */
export class PatTokenList extends LitElement {
  /** Tags this template renders; `token-list.ts` registers them with this one if they are not defined yet. */
  static dependencies = { 'pat-confirm-dialog': PatConfirmDialog, 'pat-reveal-dialog': PatRevealDialog };

  static override styles = [baseStyles, tokenListStyles];

  /** Where tokens come from. Without one, set `tokens` and handle `pat-token-action`. */
  @property({ attribute: false }) provider: TokenProvider | null = null;

  /** The tokens to show (filled in by the list itself when it has a provider). */
  @property({ attribute: false }) tokens: TokenMeta[] = [];

  /** Whose tokens: `me`, `all` (admin inventory: adds the Owner column and user filter) or a user id. */
  @property({ reflect: true }) owner = 'me';
  /**
   * An organisation or group whose access tokens to list instead (`provider.listScopedTokens`);
   * `owner` is then ignored.
   */
  @property({ attribute: false }) scopeOwner: ScopedOwner | null = null;

  /** What the server can do; defaults to the provider's, or to everything. */
  @property({ attribute: false }) capabilities: ProviderCapabilities | null = null;

  /** Shows the loading state (property mode). */
  @property({ type: Boolean, reflect: true }) loading = false;

  /** An error message to show instead of the rows (property mode). */
  @property() error: string | null = null;

  /** Active tokens expiring within this many days show as "Expiring soon". */
  @property({ type: Number, attribute: 'expiring-soon-days' }) expiringSoonDays = 7;

  /**
   * The server wants the password for deletes, re-enables and regenerates (its policy; besides
   * `capabilities.passwordConfirmation === 'always'`). The action's one confirmation asks for it.
   */
  @property({ type: Boolean, attribute: 'password-required' }) passwordRequired = false;

  /** Where a regenerated token's reveal dialog goes (composites pass their shadow root); defaults to this element. */
  @property({ attribute: false }) revealContainer: Node | null = null;

  /** Overrides for the kit's English strings. */
  @property({ attribute: false }) strings: Partial<PatStrings> = {};

  @state() private sortKey: TokenSortKey = 'created_at';
  @state() private sortOrder: 'asc' | 'desc' = 'desc';
  @state() private filterText = '';
  @state() private filterUser = '';
  @state() private filterStatus: StatusFilter = '';
  @state() private selection: ReadonlySet<string> = new Set();
  @state() private focusIndex = 0;
  @state() private offline = typeof navigator !== 'undefined' && navigator.onLine === false;
  @state() private menu: { id: string; top: number; left: number } | null = null;
  @state() private announcement = '';
  @state() private scrollOffset = 0;
  @state() private viewportHeight = ESTIMATED_VIEWPORT;

  @query('[part="body"]') private body?: HTMLElement;
  @query('pat-confirm-dialog') private confirmDialog!: PatConfirmDialog;

  #view: TokenMeta[] = [];
  #owners: Array<{ id: string; username: string }> = [];
  #anchorId: string | null = null;
  #menuReturn: HTMLElement | null = null;
  #loadController: AbortController | null = null;
  #now = Date.now();
  #rowHeight = ESTIMATED_ROW_HEIGHT;
  #scrollFrame = 0;
  #resizeObserver: ResizeObserver | null = null;
  #observedBody: HTMLElement | null = null;
  #onScroll = (event: Event): void => {
    const body = event.currentTarget as HTMLElement;
    if (this.#scrollFrame) return;
    this.#scrollFrame = requestAnimationFrame(() => {
      this.#scrollFrame = 0;
      this.scrollOffset = body.scrollTop;
    });
  };
  #onOnline = (): void => {
    this.offline = false;
    if (this.provider) void this.refresh();
  };
  #onOffline = (): void => {
    this.offline = true;
  };

  /** Ids of the selected tokens, in list order. */
  get selectedIds(): string[] {
    return this.#view.filter((t) => this.selection.has(t.id)).map((t) => t.id);
  }

  /** The tokens after filters and sort, as shown. */
  get visibleTokens(): readonly TokenMeta[] {
    return this.#view;
  }

  get #caps(): ProviderCapabilities {
    return this.capabilities ?? this.provider?.capabilities ?? FULL_CAPABILITIES;
  }

  get #adminView(): boolean {
    return this.owner === 'all';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('online', this.#onOnline);
    window.addEventListener('offline', this.#onOffline);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('online', this.#onOnline);
    window.removeEventListener('offline', this.#onOffline);
    this.#loadController?.abort();
    this.#resizeObserver?.disconnect();
    this.#resizeObserver = null;
    this.#observedBody = null;
    cancelAnimationFrame(this.#scrollFrame);
    this.#scrollFrame = 0;
  }

  /** Reloads from the provider, or asks the host to (`pat-refresh`) in property mode. */
  async refresh(): Promise<void> {
    this.dispatchEvent(new PatRefreshEvent());
    const provider = this.provider;
    if (!provider) return;
    this.#loadController?.abort();
    const controller = new AbortController();
    this.#loadController = controller;
    this.loading = true;
    this.error = null;
    try {
      const all: TokenMeta[] = [];
      let cursor: string | null = null;
      let pages = 0;
      if (this.scopeOwner) {
        if (!provider.listScopedTokens) throw new Error('This server has no organization or group tokens.');
        all.push(...(await provider.listScopedTokens(this.scopeOwner, { signal: controller.signal })));
      } else {
        do {
          const page = await provider.listTokens({ owner: this.owner, cursor, limit: 200 }, { signal: controller.signal });
          all.push(...page.items);
          cursor = page.next_cursor;
          pages += 1;
        } while (cursor && pages < 500);
      }
      if (controller.signal.aborted) return;
      this.tokens = all;
      this.offline = false;
    } catch (error) {
      if (controller.signal.aborted) return;
      const { code, message } = messageOf(error);
      if (code === 'offline') this.offline = true;
      else this.error = message;
      this.dispatchEvent(new PatErrorEvent(code, message));
    } finally {
      if (this.#loadController === controller) {
        this.loading = false;
        this.#loadController = null;
      }
    }
  }

  /** Deselects everything. */
  clearSelection(): void {
    this.#setSelection(new Set());
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Started here rather than in updated(), so `loading` lands in this render, not a second one.
    if ((changed.has('provider') || changed.has('owner') || changed.has('scopeOwner')) && this.provider) void this.refresh();
    if (changed.has('tokens') || changed.has('owner')) {
      // Only the admin view has a user filter; skip the pass over every token otherwise.
      const owners = new Map<string, string>();
      if (this.#adminView) for (const t of this.tokens) owners.set(t.owner.id, t.owner.username);
      this.#owners = [...owners].map(([id, username]) => ({ id, username })).sort((a, b) => collator.compare(a.username, b.username));
    }
    if (changed.has('tokens')) {
      if (this.selection.size) {
        const ids = new Set(this.tokens.map((t) => t.id));
        const kept = new Set([...this.selection].filter((id) => ids.has(id)));
        if (kept.size !== this.selection.size) this.#setSelection(kept);
      }
    }
    if (
      changed.has('tokens') ||
      changed.has('owner') ||
      changed.has('sortKey' as keyof PatTokenList) ||
      changed.has('sortOrder' as keyof PatTokenList) ||
      changed.has('filterText' as keyof PatTokenList) ||
      changed.has('filterUser' as keyof PatTokenList) ||
      changed.has('filterStatus' as keyof PatTokenList) ||
      changed.has('expiringSoonDays')
    ) {
      this.#now = Date.now();
      this.#view = this.#computeView();
      if (this.focusIndex >= this.#view.length) this.focusIndex = Math.max(0, this.#view.length - 1);
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.#observeBody();
  }

  /** Keeps the window's height and the real row height up to date (both depend on host CSS). */
  #observeBody(): void {
    const body = this.body ?? null;
    if (body === this.#observedBody) return;
    this.#resizeObserver?.disconnect();
    this.#observedBody = body;
    if (!body) return;
    body.scrollTop = 0;
    this.scrollOffset = 0;
    this.#resizeObserver ??= new ResizeObserver(() => this.#measure());
    this.#resizeObserver.observe(body);
  }

  #measure(): void {
    const body = this.#observedBody;
    if (!body) return;
    const row = body.querySelector<HTMLElement>('[part~="row"]');
    if (row && row.offsetHeight > 0) this.#rowHeight = row.offsetHeight;
    if (body.clientHeight > 0) this.viewportHeight = body.clientHeight;
  }

  #computeView(): TokenMeta[] {
    const text = this.filterText.trim().toLowerCase();
    const user = this.#adminView ? this.filterUser : '';
    const status = this.filterStatus;
    const now = this.#now;
    const soon = this.expiringSoonDays;
    let rows = this.tokens;
    if (text || user || status) {
      rows = rows.filter(
        (t) =>
          (!user || t.owner.id === user) &&
          (!status || displayStatus(t, now, soon) === status) &&
          (!text ||
            t.name.toLowerCase().includes(text) ||
            t.description.toLowerCase().includes(text) ||
            t.id.toLowerCase().includes(text) ||
            t.owner.username.toLowerCase().includes(text)),
      );
    }
    const key = this.sortKey;
    const dir = this.sortOrder === 'asc' ? 1 : -1;
    const compare =
      key === 'name'
        ? (a: TokenMeta, b: TokenMeta): number => dir * collator.compare(a.name || a.description, b.name || b.description)
        : (a: TokenMeta, b: TokenMeta): number => {
            // ISO times compare as strings; absent values sort last in both directions.
            const x = a[key];
            const y = b[key];
            if (x === y) return 0;
            if (x === null) return 1;
            if (y === null) return -1;
            return x < y ? -dir : dir;
          };
    // Servers usually answer already in this order (newest first): one linear check saves the sort.
    let ordered = true;
    for (let i = 1; i < rows.length && ordered; i += 1) ordered = compare(rows[i - 1]!, rows[i]!) <= 0;
    return ordered ? rows : rows.slice().sort(compare);
  }

  #setSelection(next: Set<string>): void {
    this.selection = next;
    this.dispatchEvent(new PatSelectionChangeEvent([...next]));
  }

  #sortBy(key: TokenSortKey): void {
    if (this.sortKey === key) this.sortOrder = this.sortOrder === 'asc' ? 'desc' : 'asc';
    else {
      this.sortKey = key;
      this.sortOrder = key === 'name' ? 'asc' : 'desc';
    }
  }

  /** Click selection rules shared by row clicks and keyboard: plain, toggle (Ctrl/Cmd), range (Shift). */
  #select(index: number, mode: 'only' | 'toggle' | 'range'): void {
    const token = this.#view[index];
    if (!token) return;
    if (mode === 'range' && this.#anchorId) {
      const anchor = this.#view.findIndex((t) => t.id === this.#anchorId);
      const from = Math.min(anchor < 0 ? index : anchor, index);
      const to = Math.max(anchor < 0 ? index : anchor, index);
      this.#setSelection(new Set(this.#view.slice(from, to + 1).map((t) => t.id)));
    } else if (mode === 'toggle') {
      const next = new Set(this.selection);
      if (next.has(token.id)) next.delete(token.id);
      else next.add(token.id);
      this.#anchorId = token.id;
      this.#setSelection(next);
    } else {
      this.#anchorId = token.id;
      this.#setSelection(new Set([token.id]));
    }
    this.focusIndex = index;
  }

  #onRowClick(event: MouseEvent, index: number): void {
    if ((event.target as HTMLElement).closest('button, input, a')) return;
    this.#select(index, event.shiftKey ? 'range' : event.ctrlKey || event.metaKey ? 'toggle' : 'only');
  }

  #onCheckboxClick(event: MouseEvent, index: number): void {
    event.stopPropagation();
    this.#select(index, event.shiftKey ? 'range' : 'toggle');
  }

  #toggleAll(): void {
    const all = this.#view.length > 0 && this.#view.every((t) => this.selection.has(t.id));
    this.#setSelection(all ? new Set() : new Set(this.#view.map((t) => t.id)));
  }

  async #moveFocus(index: number): Promise<void> {
    const target = Math.max(0, Math.min(this.#view.length - 1, index));
    this.focusIndex = target;
    const body = this.body;
    if (body) {
      // Scroll just enough to show the row (the window follows on the next render).
      const top = target * this.#rowHeight;
      if (top < body.scrollTop) body.scrollTop = top;
      else if (top + this.#rowHeight > body.scrollTop + body.clientHeight) body.scrollTop = top + this.#rowHeight - body.clientHeight;
      this.scrollOffset = body.scrollTop;
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[part~="row"][data-index="${target}"]`)?.focus();
  }

  #onGridKeydown(event: KeyboardEvent): void {
    const target = event.target as HTMLElement;
    const row = target.closest<HTMLElement>('[part~="row"]');
    if (!row) return;
    // Right arrow reaches a row's actions button, left arrow goes back to the row.
    if (target.matches('.menu-trigger') && event.key === 'ArrowLeft') {
      event.preventDefault();
      row.focus();
      return;
    }
    if (target !== row) return;
    if (event.key === 'ArrowRight') {
      event.preventDefault();
      row.querySelector<HTMLElement>('.menu-trigger')?.focus();
      return;
    }
    const index = Number(row.dataset.index);
    const token = this.#view[index];
    if (!token) return;
    const move = (to: number): void => {
      event.preventDefault();
      const clamped = Math.max(0, Math.min(this.#view.length - 1, to));
      if (event.shiftKey) {
        if (!this.#anchorId) this.#anchorId = token.id;
        this.#select(clamped, 'range');
      }
      void this.#moveFocus(clamped);
    };
    switch (event.key) {
      case 'ArrowDown':
        return move(index + 1);
      case 'ArrowUp':
        return move(index - 1);
      case 'Home':
        return move(0);
      case 'End':
        return move(this.#view.length - 1);
      case 'PageDown':
        return move(index + 10);
      case 'PageUp':
        return move(index - 10);
      case ' ':
        event.preventDefault();
        this.#select(index, 'toggle');
        return;
      case 'a':
      case 'A':
        if (event.ctrlKey || event.metaKey) {
          event.preventDefault();
          this.#setSelection(new Set(this.#view.map((t) => t.id)));
        }
        return;
      case 'Enter':
        event.preventDefault();
        if (this.#caps.update) void this.#runAction('edit', [token.id], 'keyboard');
        return;
      case 'Delete':
        event.preventDefault();
        // Several at once only where the server has bulk delete (what it cannot do is not offered).
        void this.#runAction(
          'delete',
          this.selection.has(token.id) && this.#caps.bulkDelete ? this.selectedIds : [token.id],
          'keyboard',
        );
        return;
      case 'ContextMenu':
        event.preventDefault();
        this.#openMenu(token.id, row);
        return;
      case 'F10':
        if (event.shiftKey) {
          event.preventDefault();
          this.#openMenu(token.id, row);
        }
        return;
    }
  }

  async #openMenu(id: string, anchor: HTMLElement): Promise<void> {
    const trigger = anchor.matches('button') ? anchor : anchor.querySelector<HTMLElement>('.menu-trigger') ?? anchor;
    this.#menuReturn = trigger;
    const rect = trigger.getBoundingClientRect();
    const left = Math.max(8, Math.min(rect.right - 192, window.innerWidth - 200));
    const top = rect.bottom + 4 + 260 > window.innerHeight ? Math.max(8, rect.top - 264) : rect.bottom + 4;
    this.menu = { id, top, left };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[part="menu"] [role="menuitem"]')?.focus();
  }

  #closeMenu(returnFocus = true): void {
    this.menu = null;
    if (returnFocus) this.#menuReturn?.focus();
    this.#menuReturn = null;
  }

  #onMenuKeydown(event: KeyboardEvent): void {
    const items = [...this.renderRoot.querySelectorAll<HTMLElement>('[part="menu"] [role="menuitem"]')];
    const current = items.indexOf(event.composedPath()[0] as HTMLElement);
    const go = (i: number): void => {
      event.preventDefault();
      items[(i + items.length) % items.length]?.focus();
    };
    if (event.key === 'ArrowDown') go(current + 1);
    else if (event.key === 'ArrowUp') go(current - 1);
    else if (event.key === 'Home') go(0);
    else if (event.key === 'End') go(items.length - 1);
    else if (event.key === 'Escape') {
      event.preventDefault();
      this.#closeMenu();
    } else if (event.key === 'Tab') this.#closeMenu(false);
  }

  #announce(text: string): void {
    this.announcement = '';
    requestAnimationFrame(() => {
      this.announcement = text;
    });
  }

  #tokenName(id: string): string {
    const t = this.tokens.find((x) => x.id === id);
    return t ? t.name || t.description || t.id : id;
  }

  /**
   * Runs a row or bulk action: the cancelable request event first, then one confirmation for
   * destructive ones (with the password in it when the server wants one), then the provider
   * (delete / disable / enable / regenerate) or the host / manager (the rest, and everything in
   * property mode).
   */
  async #runAction(action: TokenAction, ids: string[], source: 'menu' | 'bulk' | 'keyboard'): Promise<void> {
    if (ids.length === 0) return;
    if (!this.dispatchEvent(new PatRequestActionEvent({ action, ids, source }))) return;
    const s = mergeStrings(this.strings);
    if (action === 'copy-id') {
      const id = ids[0]!;
      try {
        await navigator.clipboard.writeText(id);
        this.#announce(s.idCopied);
      } catch {
        this.#announce(s.idCopyFailed(id));
      }
      this.dispatchEvent(new PatTokenActionEvent({ action, ids, handled: true }));
      return;
    }
    const provider = this.provider;
    const id = ids[0]!;
    const question =
      action === 'delete'
        ? { title: s.confirmDeleteTitle(ids.length), body: s.confirmDeleteBody(ids.length), confirmLabel: s.actionDelete, danger: true }
        : action === 'disable'
          ? { title: s.confirmDisableTitle, body: s.confirmDisableBody, confirmLabel: s.actionDisable, danger: true }
          : action === 'regenerate'
            ? { title: s.confirmRegenerateTitle, body: s.confirmRegenerateBody, confirmLabel: s.actionRegenerate, danger: true }
            : { title: s.actionEnable, body: s.confirmPasswordHelp, confirmLabel: s.actionEnable };
    if (!provider || !(action === 'delete' || action === 'disable' || action === 'enable' || action === 'regenerate')) {
      // The host (or the manager) carries it out; destructive ones are still confirmed here.
      if (DESTRUCTIVE_ACTIONS.has(action) && !(await this.confirmDialog.ask(question)).confirmed) return;
      this.dispatchEvent(new PatTokenActionEvent({ action, ids, handled: false }));
      return;
    }
    try {
      // One dialog: the question, plus the password when the server wants it (disable never does).
      const done = await confirmThenRun(
        this.confirmDialog,
        question,
        {
          provider,
          withPassword: action !== 'disable' && passwordWanted(provider, this.#caps, this.passwordRequired),
          passwordHelp: s.confirmPasswordHelp,
          askFirst: DESTRUCTIVE_ACTIONS.has(action),
        },
        async (confirm) => {
          if (action === 'delete') {
            const deleted = ids.length > 1 ? await provider.bulkDeleteTokens(ids, confirm) : (await provider.deleteToken(id, confirm), ids);
            const gone = new Set(deleted);
            this.tokens = this.tokens.filter((t) => !gone.has(t.id));
          } else if (action === 'regenerate') {
            let created: CreatedToken | null = await provider.regenerateToken(id, confirm);
            const meta = created.token;
            // The secret goes straight to the reveal dialog; no reference stays here.
            void PatRevealDialog.reveal(created, { container: this.revealContainer ?? this.renderRoot, strings: this.strings });
            created = null;
            this.tokens = this.tokens.map((t) => (t.id === meta.id ? meta : t));
            this.dispatchEvent(new PatTokenSavedEvent({ mode: 'regenerate', token: meta }));
          } else {
            const updated = action === 'disable' ? await provider.disableToken(id) : await provider.enableToken(id, confirm);
            this.tokens = this.tokens.map((t) => (t.id === updated.id ? updated : t));
          }
        },
      );
      if (done === CANCELLED) return;
      this.dispatchEvent(new PatTokenActionEvent({ action, ids, handled: true }));
    } catch (error) {
      const { code, message } = messageOf(error);
      this.#announce(message);
      this.dispatchEvent(new PatErrorEvent(code, message));
    }
  }

  #columns(): string {
    const caps = this.#caps;
    const cols = ['2rem', 'minmax(10rem, 2.5fr)'];
    if (this.#adminView) cols.push('minmax(6rem, 1fr)');
    cols.push('minmax(6rem, 1fr)');
    if (caps.expiry.mode !== 'none') cols.push('minmax(6rem, 1fr)');
    if (caps.lastUsed) cols.push('minmax(6rem, 1fr)');
    cols.push('minmax(6rem, 0.9fr)');
    if (caps.scopes !== 'none') cols.push('minmax(6rem, 1fr)');
    cols.push('2.5rem');
    return cols.join(' ');
  }

  #sortHeader(key: TokenSortKey, label: string): TemplateResult {
    const sorted = this.sortKey === key;
    return html`<div
      role="columnheader"
      class="cell"
      aria-sort=${sorted ? (this.sortOrder === 'asc' ? 'ascending' : 'descending') : 'none'}
    >
      <button type="button" @click=${() => this.#sortBy(key)}>
        ${label}<span aria-hidden="true">${sorted ? (this.sortOrder === 'asc' ? ' ▲' : ' ▼') : ''}</span>
      </button>
    </div>`;
  }

  #renderRow(token: TokenMeta, index: number, s: PatStrings, top: number): TemplateResult {
    const caps = this.#caps;
    const status = displayStatus(token, this.#now, this.expiringSoonDays);
    const statusLabel = { active: s.statusActive, disabled: s.statusDisabled, expired: s.statusExpired, expiring: s.statusExpiring }[status];
    const selected = this.selection.has(token.id);
    const label = token.name || token.description || token.id;
    return html`<div
      role="row"
      part="row"
      class="row"
      data-index=${index}
      data-id=${token.id}
      aria-rowindex=${index + 2}
      aria-selected=${selected ? 'true' : 'false'}
      tabindex=${index === this.focusIndex ? '0' : '-1'}
      style=${styleMap({ transform: `translateY(${top}px)` })}
      @click=${(e: MouseEvent) => this.#onRowClick(e, index)}
    >
      <div role="gridcell" class="cell">
        <input
          type="checkbox"
          tabindex="-1"
          .checked=${selected}
          aria-label=${s.selectRow(label)}
          @click=${(e: MouseEvent) => this.#onCheckboxClick(e, index)}
        />
      </div>
      <div role="gridcell" class="cell">
        <span class="name">${label}</span>
        ${caps.description && caps.names && token.description && token.name
          ? html`<span class="description">${token.description}</span>`
          : nothing}
      </div>
      ${this.#adminView ? html`<div role="gridcell" class="cell">${token.owner.username}</div>` : nothing}
      <div role="gridcell" class="cell">${formatDate(token.created_at, '—')}</div>
      ${caps.expiry.mode !== 'none' ? html`<div role="gridcell" class="cell">${formatDate(token.expires_at, s.never)}</div>` : nothing}
      ${caps.lastUsed ? html`<div role="gridcell" class="cell">${formatDate(token.last_used_at, s.notUsed)}</div>` : nothing}
      <div role="gridcell" class="cell"><span class="status ${status}">${statusLabel}</span></div>
      ${caps.scopes !== 'none'
        ? html`<div role="gridcell" class="cell" title=${token.scopes.join(', ')}>
            ${s.scopesSummary(token.scopes.length, token.scopes[0] ?? '')}
          </div>`
        : nothing}
      <div role="gridcell" class="cell">
        <button
          type="button"
          class="menu-trigger"
          tabindex="-1"
          aria-haspopup="menu"
          aria-expanded=${this.menu?.id === token.id ? 'true' : 'false'}
          aria-label=${s.rowActions(label)}
          @click=${(e: MouseEvent) => {
            e.stopPropagation();
            void this.#openMenu(token.id, e.currentTarget as HTMLElement);
          }}
        >
          <span aria-hidden="true">⋯</span>
        </button>
      </div>
    </div>`;
  }

  /** The visible slice of rows, positioned inside a spacer as tall as all rows together. */
  #renderWindow(s: PatStrings): TemplateResult {
    const rowHeight = this.#rowHeight;
    const total = this.#view.length;
    const first = Math.max(0, Math.floor(this.scrollOffset / rowHeight) - OVERSCAN);
    const last = Math.min(total, Math.ceil((this.scrollOffset + this.viewportHeight) / rowHeight) + OVERSCAN);
    // The focused row stays rendered even when scrolled away, so focus is never lost.
    const indexes: number[] = [];
    if (this.focusIndex < first && this.focusIndex < total) indexes.push(this.focusIndex);
    for (let i = first; i < last; i += 1) indexes.push(i);
    if (this.focusIndex >= last && this.focusIndex < total) indexes.push(this.focusIndex);
    return html`<div class="spacer" style=${styleMap({ height: `${total * rowHeight}px` })}>
      ${repeat(
        indexes,
        (i) => this.#view[i]!.id,
        (i) => this.#renderRow(this.#view[i]!, i, s, i * rowHeight),
      )}
    </div>`;
  }

  #renderMenu(s: PatStrings): TemplateResult | typeof nothing {
    const menu = this.menu;
    if (!menu) return nothing;
    const token = this.tokens.find((t) => t.id === menu.id);
    if (!token) return nothing;
    const caps = this.#caps;
    const item = (action: TokenAction, label: string, danger = false): TemplateResult =>
      html`<button
        type="button"
        role="menuitem"
        tabindex="-1"
        class=${danger ? 'danger-item' : ''}
        data-action=${action}
        @click=${() => {
          this.#closeMenu();
          void this.#runAction(action, [token.id], 'menu');
        }}
      >
        ${label}
      </button>`;
    return html`<div
      part="menu"
      role="menu"
      aria-label=${s.rowActions(token.name || token.id)}
      style=${styleMap({ top: `${menu.top}px`, left: `${menu.left}px` })}
      @keydown=${this.#onMenuKeydown}
      @focusout=${(e: FocusEvent) => {
        if (!(e.currentTarget as HTMLElement).contains(e.relatedTarget as Node)) this.#closeMenu(false);
      }}
    >
      ${item('copy-id', s.actionCopyId)} ${caps.update ? item('edit', s.actionEdit) : nothing}
      ${caps.clone ? item('clone', s.actionClone) : nothing} ${caps.regenerate ? item('regenerate', s.actionRegenerate) : nothing}
      ${caps.disable ? (token.status === 'disabled' ? item('enable', s.actionEnable) : item('disable', s.actionDisable, true)) : nothing}
      ${item('delete', s.actionDelete, true)}
    </div>`;
  }

  #renderToolbar(s: PatStrings): TemplateResult {
    const caps = this.#caps;
    return html`<div part="toolbar" role="search">
      <label
        >${s.filterText}
        <input
          type="search"
          .value=${this.filterText}
          @input=${(e: InputEvent) => (this.filterText = (e.target as HTMLInputElement).value)}
        />
      </label>
      ${this.#adminView
        ? html`<label
            >${s.filterUser}
            <select @change=${(e: Event) => (this.filterUser = (e.target as HTMLSelectElement).value)}>
              <option value="" ?selected=${this.filterUser === ''}>${s.filterUserAll}</option>
              ${this.#owners.map((o) => html`<option value=${o.id} ?selected=${this.filterUser === o.id}>${o.username}</option>`)}
            </select>
          </label>`
        : nothing}
      <label
        >${s.filterStatus}
        <select @change=${(e: Event) => (this.filterStatus = (e.target as HTMLSelectElement).value as StatusFilter)}>
          <option value="">${s.filterStatusAll}</option>
          <option value="active">${s.statusActive}</option>
          ${caps.expiry.mode !== 'none' ? html`<option value="expiring">${s.statusExpiring}</option>` : nothing}
          ${caps.disable ? html`<option value="disabled">${s.statusDisabled}</option>` : nothing}
          ${caps.expiry.mode !== 'none' ? html`<option value="expired">${s.statusExpired}</option>` : nothing}
        </select>
      </label>
      <button type="button" part="refresh" @click=${() => void this.refresh()} ?disabled=${this.loading}>${s.refresh}</button>
      <span class="count" aria-live="polite">${s.rowCount(this.#view.length, this.tokens.length)}</span>
    </div>`;
  }

  #renderState(s: PatStrings): TemplateResult | null {
    if (this.loading && this.tokens.length === 0) return html`<div part="state" role="status">${s.loading}</div>`;
    if (this.error)
      return html`<div part="state" role="alert">
        <strong>${s.errorTitle}</strong><span>${this.error}</span>
        <button type="button" @click=${() => void this.refresh()}>${s.retry}</button>
      </div>`;
    if (this.tokens.length === 0 && this.offline) return html`<div part="state" role="status">${s.offline}</div>`;
    if (this.tokens.length === 0) {
      return html`<div part="state" role="status">${this.scopeOwner ? s.emptyScoped(this.scopeOwner.name) : s.empty}</div>`;
    }
    if (this.#view.length === 0) return html`<div part="state" role="status">${s.emptyFiltered}</div>`;
    return null;
  }

  override render() {
    const s = mergeStrings(this.strings);
    const caps = this.#caps;
    const selected = this.selection.size;
    const stateView = this.#renderState(s);
    const allSelected = this.#view.length > 0 && this.#view.every((t) => this.selection.has(t.id));
    return html`
      ${this.#renderToolbar(s)}
      ${this.offline && this.tokens.length > 0 ? html`<div part="offline" role="status">${s.offline}</div>` : nothing}
      ${selected > 0
        ? html`<div part="bulk-bar">
            <span>${s.selectedCount(selected)}</span>
            ${caps.bulkDelete || selected === 1
              ? html`<button type="button" class="danger" part="bulk-delete" @click=${() => void this.#runAction('delete', this.selectedIds, 'bulk')}>
                  ${s.bulkDelete}
                </button>`
              : nothing}
            <button type="button" @click=${() => this.clearSelection()}>${s.clearSelection}</button>
          </div>`
        : nothing}
      ${stateView ??
      html`<div
        part="grid"
        role="grid"
        aria-label=${s.listLabel}
        aria-multiselectable="true"
        aria-rowcount=${this.#view.length + 1}
        aria-busy=${this.loading ? 'true' : 'false'}
        style=${styleMap({ '--_cols': this.#columns() })}
        @keydown=${this.#onGridKeydown}
      >
        <div role="rowgroup" part="header">
          <div role="row" class="row" aria-rowindex="1">
            <div role="columnheader" class="cell">
              <input type="checkbox" .checked=${allSelected} aria-label=${s.selectAll} @change=${this.#toggleAll} />
            </div>
            ${this.#sortHeader('name', s.colName)}
            ${this.#adminView ? html`<div role="columnheader" class="cell">${s.colOwner}</div>` : nothing}
            ${this.#sortHeader('created_at', s.colCreated)}
            ${caps.expiry.mode !== 'none' ? this.#sortHeader('expires_at', s.colExpires) : nothing}
            ${caps.lastUsed ? this.#sortHeader('last_used_at', s.colLastUsed) : nothing}
            <div role="columnheader" class="cell">${s.colStatus}</div>
            ${caps.scopes !== 'none' ? html`<div role="columnheader" class="cell">${s.colScopes}</div>` : nothing}
            <div role="columnheader" class="cell"><span class="visually-hidden">${s.colActions}</span></div>
          </div>
        </div>
        <div role="rowgroup" part="body" @scroll=${this.#onScroll}>
          ${this.#renderWindow(s)}
        </div>
      </div>`}
      ${this.#renderMenu(s)}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
      <pat-confirm-dialog .strings=${this.strings}></pat-confirm-dialog>
    `;
  }
}
