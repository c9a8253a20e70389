import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { repeat } from 'lit/directives/repeat.js';
import type { TokenMeta, TokenSortKey } from '../../lib/model.ts';
import type { ProviderCapabilities, ScopedOwner, TokenProvider } from '../../lib/provider.ts';
import type { PatConfirmDialog } from '../confirm-dialog/confirm-dialog.component.ts';
import { baseStyles } from '../shared/base.styles.ts';
import { FULL_CAPABILITIES } from '../shared/capabilities.ts';
import { PatErrorEvent, PatRefreshEvent, PatRequestActionEvent, PatSelectionChangeEvent, PatTokenActionEvent, type TokenAction } from '../shared/events.ts';
import { messageOf } from '../shared/format.ts';
import { LocaleController } from '../shared/locale.ts';
import { listStrings } from './token-list.strings.ts';
import type { MenuController } from '../shared/menu.controller.ts';
import type { PatStrings } from '../shared/strings.ts';
import type { PatTokenDetails } from '../token-details/token-details.component.ts';
import type { DisableUnusedHost } from './disable-unused.ts';
import type { GridKeyboardController, GridKeyboardOptions } from './grid-keyboard.controller.ts';
import { laterLoaded, lazyActions, loadLater, whenIdle } from './lazy-actions.ts';
import { bulkBar, listState } from './list-status.ts';
import { openTokenDetails } from './open-details.ts';
import { RowWindowController } from './row-window.controller.ts';
import { SelectionController } from './selection.controller.ts';
import { gridHeader, ROW, ROW_GEOMETRY, tokenRow, type GridView } from './token-grid.ts';
import { tokenListStyles } from './token-list.styles.ts';
import { TokenLoadController } from './token-load.controller.ts';
import { gridColumns, nextSort, ownersOf, viewOf, type StatusFilter } from './token-view.ts';
import { NO_FILTERS, toolbar } from './toolbar.ts';

const MENU_ITEM = '[part="menu"] [role="menuitem"]';
/** `tokens` until someone sets it: a list with this and no provider is not connected yet. */
const NO_TOKENS: TokenMeta[] = [];
/** Changes that recompute the shown rows. */
const VIEW_INPUTS = ['tokens', 'owner', 'sortKey', 'sortOrder', 'filterText', 'filterUser', 'filterStatus', 'unusedDays', 'expiringSoonDays'];

/**
 * @summary A sortable, filterable, virtualized list of personal access tokens with row actions and
 * multi-select (click, Shift-click ranges, Ctrl/Cmd-click) and bulk delete.
 *
 * Give it a `provider` and it loads, deletes, disables, enables and regenerates tokens itself (a
 * regenerated value is shown once in `<pat-reveal-dialog>`), asking once per action, password included
 * when the server wants it; or set `tokens` (plus `loading` / `error`) and carry out the actions it
 * announces with `pat-token-action`. Until either, it says it is not connected to a token server.
 * Only the visible rows (plus a few) exist in the DOM, so 10,000 tokens stay smooth. Rows have a
 * fixed height (`--pat-list-row-height`), which lets the list window them with plain arithmetic:
 * @lit-labs/virtualizer does the same for variable heights but alone costs 9 KB min+gzip, a third
 * of the kit's whole budget (bench/RESULTS.md). What the provider's
 * `capabilities` lack (disable, regenerate, expiry, scopes, last use, bulk delete) is not offered.
 *
 * A rotating token (regenerated with a grace period: `token.rotation`) says until when its old
 * value works, and offers "End grace now" (`provider.endGrace`); the regenerate confirmation offers
 * the grace period where `capabilities.rotationGraceMaxSeconds` > 0. "Details" (and Alt+Enter)
 * opens `<pat-token-details>`, loaded on first use. Where `capabilities.unused`, an "Unused for N
 * days" filter (the server's `unused_days`) with "Disable unused…".
 *
 * Keyboard: arrows / Home / End move between rows, Shift+arrows extend the selection, Space
 * toggles, Ctrl/Cmd+A selects all, Enter edits (opens the details where tokens cannot be edited),
 * Alt+Enter opens the details, Delete deletes, Shift+F10 or the context-menu key
 * opens the row's actions, Right arrow moves to the row's actions button (Left goes back).
 * Positions are set through the CSSOM (`.style` bindings: `cssText`), so a strict `style-src` CSP does not break it.
 *
 * @event pat-request-action - Cancelable; fired before any action (`details`, `end-grace`, `disable-unused` too). `detail: {action, ids, source}`.
 * @event pat-token-action - An action was confirmed; `detail.handled` says whether the list did it (`gracePeriodSeconds` for a regenerate, `unusedDays` for "Disable unused…").
 * @event pat-token-saved - A token was regenerated through the provider (`mode: 'regenerate'`, metadata only; the new value is in a reveal dialog).
 * @event pat-selection-change - `detail.ids` of the selected tokens.
 * @event pat-refresh - The user asked for fresh data (the host reloads when there is no provider).
 * @event pat-error - A load or action failed; the message is already on screen.
 *
 * @slot empty - Shown when there are no tokens (default: "No personal access tokens yet.").
 *
 * @csspart toolbar - Filters, sort and refresh.
 * @csspart bulk-bar - Selection count and bulk actions.
 * @csspart grid - The `role="grid"` container.
 * @csspart header - The header row group.
 * @csspart body - The scrolling, virtualized row group.
 * @csspart row - Each token row.
 * @csspart menu - A row's action menu.
 * @csspart state - Loading, empty and error messages.
 * @csspart clear-filters - "Clear filters" when no token matches them.
 * @csspart offline - The offline banner.
 * @csspart refresh - The Refresh button.
 * @csspart bulk-delete - The bulk bar's Delete button.
 * @csspart unused-filter - The "Unused for" select (where `capabilities.unused`).
 * @csspart unused-days - Its number field for another count of days ("Other…").
 * @csspart disable-unused - "Disable unused…": the server's preview, one confirmation listing the tokens, then the change.
 * @csspart notice - The outcome of "Disable unused…" (how many were disabled, or that none were unused).
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
  /** Tags defined with this one on import: none (the confirmation comes with the list's later part). */
  static dependencies = {};
  /** Tags loaded later: the confirmation (once the list is idle after its first render, or on the first action); the details view and the reveal dialog on first use. */
  static lazyDependencies = {
    'pat-confirm-dialog': () => import('./later.ts').then((m) => m.PatConfirmDialog),
    'pat-token-details': () => import('./later.ts').then((m) => m.PatTokenDetails),
    'pat-reveal-dialog': () => import('./later.ts').then((m) => m.PatRevealDialog),
  };

  static override styles = [baseStyles, tokenListStyles];

  /** Where tokens come from. Without one, set `tokens` and handle `pat-token-action`. */
  @property({ attribute: false }) provider: TokenProvider | null = null;

  /** The tokens to show (filled in by the list itself when it has a provider). */
  @property({ attribute: false }) tokens: TokenMeta[] = NO_TOKENS;

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

  /** Overrides for single strings of the kit's locale (English unless a `lang` picks another). */
  @property({ attribute: false }) strings: Partial<PatStrings> = {};

  @state() private sortKey: TokenSortKey = 'created_at';
  @state() private sortOrder: 'asc' | 'desc' = 'desc';
  @state() private filterText = '';
  @state() private filterUser = '';
  @state() private filterStatus: StatusFilter = '';
  /** "Unused for N days" (0 = off); with a provider the server filters (`unused_days`). */
  @state() private unusedDays = 0;
  @state() private unusedCustom = false;
  /** A visible outcome of a bulk change (how many were disabled, or why nothing was). */
  @state() private notice = '';
  @state() private busy = false;
  @state() private focusIndex = 0;
  @state() private offline = typeof navigator !== 'undefined' && navigator.onLine === false;
  @state() private announcement = '';
  @query('[part="body"]') private body?: HTMLElement;
  @query('pat-confirm-dialog') private confirmDialog!: PatConfirmDialog;
  /** The details view while it is open (to hand it fresher metadata). */
  #details: PatTokenDetails | null = null;
  readonly #locale = new LocaleController(this, listStrings);
  /** The host gave `tokens` or `loading` itself (property mode): no provider is not "not connected". */
  #hostManaged = false;
  readonly #window = new RowWindowController(this, { body: () => this.body ?? null, ...ROW_GEOMETRY });
  readonly #selection = new SelectionController(this, {
    items: () => this.#view,
    universe: () => this.tokens,
    onChange: (ids) => this.dispatchEvent(new PatSelectionChangeEvent(ids)),
  });
  /** The row menu's and the keyboard's controllers come with the later part (before that, a key fetches it and is handled then). */
  #menu: MenuController | null = null; #keyboard: GridKeyboardController | null = null;
  readonly #actions = lazyActions(this, {
    dialog: () => this.confirmDialog,
    confirmDialog: PatTokenList.lazyDependencies['pat-confirm-dialog'],
    revealDialog: PatTokenList.lazyDependencies['pat-reveal-dialog'],
    capabilities: () => this.#caps,
    text: () => this.#locale.strings(this.strings),
    locale: () => this.#locale.locale,
    announce: (text) => this.#announce(text),
    nameOf: (id) => this.tokens.find((t) => t.id === id)?.name,
    tokenOf: (id) => this.tokens.find((t) => t.id === id),
    changed: (change) => {
      this.tokens =
        'deleted' in change
          ? this.tokens.filter((t) => !change.deleted.has(t.id))
          : this.tokens.map((t) => (t.id === change.updated.id ? change.updated : t));
    },
  });
  readonly #loader = new TokenLoadController(this, {
    provider: () => this.provider,
    query: () => ({ owner: this.owner, scopeOwner: this.scopeOwner, unusedDays: this.unusedDays }),
    loaded: (tokens) => (this.tokens = tokens),
    state: (patch) => Object.assign(this, patch),
    signedOutText: () => this.#locale.strings(this.strings).signedOut,
  });
  readonly #keys: GridKeyboardOptions = {
    rowSelector: ROW,
    actionsSelector: '.menu-trigger',
    count: () => this.#view.length,
    move: (to, from, extend) => {
      if (extend) {
        this.#selection.anchorAt(this.#view[from]!.id);
        this.#select(to, 'range');
      }
      void this.#moveFocus(to);
    },
    toggle: (index) => this.#select(index, 'toggle'),
    selectAll: () => this.#selection.selectAll(),
    activate: (index, alt) => void this.#runAction(this.#caps.update && !alt ? 'edit' : 'details', [this.#view[index]!.id], 'keyboard'),
    remove: (index) => {
      if (!this.#canDelete) return;
      const id = this.#view[index]!.id;
      // Several at once only where the server has bulk delete (what it cannot do is not offered).
      void this.#runAction('delete', this.#selection.has(id) && this.#caps.bulkDelete ? this.selectedIds : [id], 'keyboard');
    },
    openMenu: (index, row) => void this.#openMenu(this.#view[index]!.id, row),
  };

  /** Bumped by "Clear filters": the toolbar is drawn afresh, every control off. */
  #toolbarKey = 0;
  #view: TokenMeta[] = [];
  #owners: Array<{ id: string; username: string }> = [];
  #now = Date.now();
  /** Ids of the selected tokens, in list order. */
  get selectedIds(): string[] {
    return this.#selection.ids;
  }

  /** The tokens after filters and sort, as shown. */
  get visibleTokens(): readonly TokenMeta[] {
    return this.#view;
  }

  /** A provider without `deleteToken` (a read-only server) is offered no Delete. */
  get #canDelete(): boolean {
    return !this.provider || typeof this.provider.deleteToken === 'function';
  }

  get #caps(): ProviderCapabilities {
    return this.capabilities ?? this.provider?.capabilities ?? FULL_CAPABILITIES;
  }

  get #adminView(): boolean {
    return this.owner === 'all';
  }

  /** The list filters "unused" itself: no provider (property mode), or organisation tokens (no server query). */
  get #unusedLocally(): boolean {
    return !this.provider || !!this.scopeOwner;
  }

  /** Reloads from the provider, or asks the host to (`pat-refresh`) in property mode. */
  refresh(): Promise<void> {
    this.dispatchEvent(new PatRefreshEvent());
    return this.#loader.load();
  }

  /** Deselects everything. */
  clearSelection(): void {
    this.#selection.clear();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // An open details view follows the list: a refresh or an action shows there at once.
    if (changed.has('tokens') && this.#details?.token) {
      const id = this.#details.token.id;
      const fresh = this.tokens.find((t) => t.id === id);
      if (fresh) this.#details.token = fresh;
    }
    // Started here rather than in updated(), so `loading` lands in this render, not a second one.
    const unusedChanged = changed.has('unusedDays' as keyof PatTokenList);
    if ((changed.has('provider') || changed.has('owner') || changed.has('scopeOwner') || (unusedChanged && !this.#unusedLocally)) && this.provider) void this.refresh();
    // Only the admin view has a user filter; skip the pass over every token otherwise.
    if (changed.has('tokens') || changed.has('owner')) this.#owners = this.#adminView ? ownersOf(this.tokens) : [];
    if (VIEW_INPUTS.some((name) => changed.has(name as keyof PatTokenList))) {
      this.#now = Date.now();
      this.#view = viewOf(this.tokens, {
        text: this.filterText,
        user: this.#adminView ? this.filterUser : '',
        status: this.filterStatus,
        unusedDays: this.#unusedLocally ? this.unusedDays : 0,
        sortKey: this.sortKey,
        sortOrder: this.sortOrder,
        now: this.#now,
        expiringSoonDays: this.expiringSoonDays,
      });
      if (this.focusIndex >= this.#view.length) this.focusIndex = Math.max(0, this.#view.length - 1);
    }
  }

  #select(index: number, mode: 'only' | 'toggle' | 'range'): void {
    if (this.#selection.select(index, mode)) this.focusIndex = index;
  }

  #onRowClick(event: MouseEvent, index: number): void {
    if ((event.target as HTMLElement).closest('button, input, a')) return;
    this.#select(index, event.shiftKey ? 'range' : event.ctrlKey || event.metaKey ? 'toggle' : 'only');
  }

  async #moveFocus(index: number): Promise<void> {
    const target = Math.max(0, Math.min(this.#view.length - 1, index));
    this.focusIndex = target;
    this.#window.reveal(target);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`${ROW}[data-index="${target}"]`)?.focus();
  }

  /** The later part (later.ts): fetched when the list is idle after its first render, or on first need. */
  readonly #later = () =>
    loadLater(PatTokenList.lazyDependencies['pat-confirm-dialog']).then((parts) => {
      this.#menu ??= new parts.MenuController(this, { itemSelector: MENU_ITEM, width: 192, height: 260 });
      this.#keyboard ??= new parts.GridKeyboardController(this, this.#keys); // listens on the host
      return parts;
    });
  protected override firstUpdated(): void {
    whenIdle(this.#later);
    this.addEventListener('keydown', (e) => {
      const target = e.composedPath()[0];
      if (!this.#keyboard) this.#later().then(() => this.#keyboard?.handle(e, target), (error: unknown) => this.#failed(error));
    });
  }

  async #openMenu(id: string, anchor: HTMLElement): Promise<void> {
    const trigger = anchor.matches('button') ? anchor : anchor.querySelector<HTMLElement>('.menu-trigger') ?? anchor;
    // The menu's code (normally here already: fetched when the list was idle); a failed fetch is said.
    if (await this.#later().then(() => true, (error: unknown) => void this.#failed(error))) await this.#menu!.open(id, trigger);
  }

  /** Says a failure (a load of code or an action) and announces it as `pat-error`. */
  #failed(error: unknown): void {
    const { code, message } = messageOf(error);
    this.#announce(message);
    this.dispatchEvent(new PatErrorEvent(code, message));
  }

  #announce(text: string): void {
    this.announcement = '';
    requestAnimationFrame(() => {
      this.announcement = text;
    });
  }

  #runAction(action: TokenAction, ids: string[], source: 'menu' | 'bulk' | 'keyboard'): Promise<void> {
    return action === 'details' ? this.#openDetails(ids[0]!, source) : this.#actions(action, ids, source);
  }

  /** Opens `<pat-token-details>` for a token (its code loaded on first use), fresher metadata handed to it while open. */
  async #openDetails(id: string, source: 'menu' | 'bulk' | 'keyboard'): Promise<void> {
    const token = this.tokens.find((t) => t.id === id);
    if (!token || !this.dispatchEvent(new PatRequestActionEvent({ action: 'details', ids: [id], source }))) return;
    try {
      await openTokenDetails(PatTokenList.lazyDependencies['pat-token-details'], token, {
        opening: () => this.dispatchEvent(new PatTokenActionEvent({ action: 'details', ids: [id], handled: true })),
        provider: this.provider, capabilities: this.#caps, strings: this.strings,
        regenerate: () => void this.#actions('regenerate', [id], 'menu'),
        container: this.revealContainer ?? this.renderRoot,
        onOpen: (el) => (this.#details = el),
      });
    } catch (error) {
      this.#failed(error);
    } finally {
      this.#details = null;
    }
  }

  /** "Disable unused…" (components/token-list/disable-unused.ts, loaded on first use). */
  async #disableUnused(): Promise<void> {
    if (!this.unusedDays || this.busy) return;
    try {
      const { disableUnused } = await this.#later();
      await disableUnused(this as unknown as DisableUnusedHost, {
        days: this.unusedDays,
        shown: this.#view,
        dialog: this.confirmDialog,
        locale: this.#locale.locale,
        strings: this.#locale.strings(this.strings),
      });
    } catch (error) {
      const { code, message } = messageOf(error);
      this.notice = message;
      this.dispatchEvent(new PatErrorEvent(code, message));
    }
  }

  #gridView(s: PatStrings): GridView {
    return {
      s,
      caps: this.#caps,
      adminView: this.#adminView,
      now: this.#now,
      expiringSoonDays: this.expiringSoonDays,
      focusIndex: this.focusIndex,
      menuOpenFor: this.#menu?.openFor ?? null,
      isSelected: (id) => this.#selection.has(id),
      allSelected: this.#selection.all,
      sortKey: this.sortKey,
      sortOrder: this.sortOrder,
      date: (iso, fallback, withTime) => this.#locale.date(iso, fallback, withTime),
      relative: (iso) => this.#locale.relative(iso),
      sortBy: (key) => Object.assign(this, nextSort(this.sortKey, this.sortOrder, key)),
      toggleAll: () => this.#selection.toggleAll(),
      rowClick: (e, index) => this.#onRowClick(e, index),
      checkboxClick: (e, index) => {
        e.stopPropagation();
        this.#select(index, e.shiftKey ? 'range' : 'toggle');
      },
      openMenu: (id, trigger) => void this.#openMenu(id, trigger),
    };
  }

  #renderToolbar(s: PatStrings): ReturnType<typeof keyed> {
    const caps = this.#caps;
    return keyed(this.#toolbarKey, toolbar({
      s, caps, adminView: this.#adminView, owners: this.#owners, filterText: this.filterText, filterUser: this.filterUser,
      unusedFilter: caps.unused && !this.scopeOwner, unusedDays: this.unusedDays, unusedCustom: this.unusedCustom,
      canDisableUnused: caps.disable && (!this.provider || !!this.provider.disableUnusedTokens),
      busy: this.busy, loading: this.loading, shown: this.#view.length, total: this.tokens.length,
      set: (patch) => Object.assign(this, patch),
      disableUnused: () => void this.#disableUnused(),
      refresh: () => void this.refresh(),
    }));
  }

  #renderMenu(s: PatStrings): TemplateResult | typeof nothing {
    const menu = this.#menu;
    const token = menu?.openFor ? this.tokens.find((t) => t.id === menu.openFor) : undefined;
    if (!menu || !token || !laterLoaded) return nothing;
    const [caps, canDelete, canEndGrace] = [this.#caps, this.#canDelete, !this.provider || !!this.provider.endGrace];
    return laterLoaded.rowMenu({ s, caps, menu, position: `top:${menu.top}px;left:${menu.left}px`, canDelete, canEndGrace, run: (action, ids) => void this.#runAction(action, ids, 'menu') }, token);
  }

  /** The grid: its header, and the visible slice of rows inside a spacer as tall as all rows together. */
  #renderGrid(s: PatStrings): TemplateResult {
    const view = this.#gridView(s);
    const win = this.#window;
    const total = this.#view.length;
    return html`<div
      part="grid"
      role="grid"
      aria-label=${s.listLabel}
      aria-multiselectable="true"
      aria-rowcount=${total + 1}
      aria-busy=${this.loading ? 'true' : 'false'}
      .style=${`--_cols:${gridColumns(this.#caps, this.#adminView)}`}
    >
      ${gridHeader(view)}
      <div role="rowgroup" part="body" @scroll=${win.onScroll}>
        <div class="spacer" .style=${`height:${win.totalHeight(total)}px`}>
          ${repeat(
            win.indexes(total, this.focusIndex),
            (i) => this.#view[i]!.id,
            (i) => tokenRow(view, this.#view[i]!, i, win.top(i)),
          )}
        </div>
      </div>
    </div>`;
  }

  override render() {
    const s = this.#locale.strings(this.strings);
    return html`
      ${this.#renderToolbar(s)}
      ${this.offline && this.tokens.length > 0 ? html`<div part="offline" role="status">${s.offline}</div>` : nothing}
      <p part="notice" role="status" ?hidden=${!this.notice}>${this.notice}</p>
      ${bulkBar(
        s,
        this.#selection.size,
        this.#canDelete,
        this.#caps.bulkDelete,
        () => void this.#runAction('delete', this.selectedIds, 'bulk'),
        () => this.clearSelection(),
      )}
      ${listState(s, {
        loading: this.loading,
        connected: !!this.provider || (this.#hostManaged ||= this.loading || this.tokens !== NO_TOKENS),
        error: this.error,
        offline: this.offline,
        total: this.tokens.length,
        shown: this.#view.length,
        scopeOwner: this.scopeOwner,
        filtered: !!(this.filterText || (this.#adminView && this.filterUser) || this.filterStatus || this.unusedDays),
        notice: !!this.notice,
        retry: () => void this.refresh(),
        clearFilters: () => {
          Object.assign(this, NO_FILTERS);
          this.#toolbarKey += 1;
          void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part="toolbar"] input')?.focus());
        },
      }) ?? this.#renderGrid(s)}
      ${this.#renderMenu(s)}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
      <pat-confirm-dialog .strings=${this.strings} exportparts="dialog:confirm-dialog,confirm:confirm-button,cancel:confirm-cancel"></pat-confirm-dialog>
    `;
  }
}
