import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { TokenMeta, TokenSortKey } from '../../lib/model.ts';
import type { ProviderCapabilities, ScopedOwner, TokenProvider } from '../../lib/provider.ts';
import { PatConfirmDialog } from '../confirm-dialog/confirm-dialog.component.ts';
import { PatRevealDialog } from '../reveal-dialog/reveal-dialog.component.ts';
import { baseStyles } from '../shared/base.styles.ts';
import { FULL_CAPABILITIES } from '../shared/capabilities.ts';
import { PatErrorEvent, PatRefreshEvent, PatRequestActionEvent, PatSelectionChangeEvent, PatTokenActionEvent, type TokenAction } from '../shared/events.ts';
import { displayStatus, isSignedOut, messageOf, type DisplayStatus } from '../shared/format.ts';
import { LocaleController } from '../shared/locale.ts';
import { MenuController } from '../shared/menu.controller.ts';
import { register } from '../shared/register.ts';
import { TokenActions } from '../shared/token-actions.ts';
import type { PatStrings } from '../shared/strings.ts';
import type { DisableUnusedHost } from './disable-unused.ts';
import type { PatTokenDetails } from '../token-details/token-details.component.ts';
import { GridKeyboardController } from './grid-keyboard.controller.ts';
import { RowWindowController } from './row-window.controller.ts';
import { SelectionController } from './selection.controller.ts';
import { tokenListStyles } from './token-list.styles.ts';

type StatusFilter = '' | DisplayStatus;

const ROW = '[part~="row"]';
const MENU_ITEM = '[part="menu"] [role="menuitem"]';

/** The "Unused for" filter's preset days; any other 1…3650 through "Other…". */
const UNUSED_PRESETS = [30, 60, 90, 180];
const DAY = 86_400_000;

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Rows rendered above and below the visible ones, so scrolling shows no gaps. */
const OVERSCAN = 4;
/** Row height before the first row is measured (3.25rem at 16px). */
const ESTIMATED_ROW_HEIGHT = 52;
/**
 * Body height before it is measured: the default `--pat-list-height` (26rem at 16px). A taller
 * host-set height is measured by a ResizeObserver, whose update lands before the first paint.
 */
const ESTIMATED_VIEWPORT = 416;

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
 * Positions are set through the CSSOM (styleMap), so a strict `style-src` CSP does not break it.
 *
 * @event pat-request-action - Cancelable; fired before any action (`details`, `end-grace`, `disable-unused` too). `detail: {action, ids, source}`.
 * @event pat-token-action - An action was confirmed; `detail.handled` says whether the list did it (`gracePeriodSeconds` for a regenerate, `unusedDays` for "Disable unused…").
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
 * @csspart unused-filter - The "Unused for" select (where `capabilities.unused`).
 * @csspart unused-days - Its number field for another count of days ("Other…").
 * @csspart disable-unused - "Disable unused…": the server's preview, one confirmation listing the tokens, then the change.
 * @csspart notice - The outcome of "Disable unused…" (how many were disabled, or that none were unused).
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
  /**
   * Tags this component creates only on demand, each with the loader of its class: a chunk of its
   * own in the bundle, so a page that never opens a token's details does not load that code up front.
   */
  static lazyDependencies = {
    'pat-token-details': () => import('../token-details/token-details.component.ts').then((m) => m.PatTokenDetails),
  };

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
  readonly #locale = new LocaleController(this);
  readonly #window = new RowWindowController(this, {
    body: () => this.body ?? null,
    rowSelector: ROW,
    estimatedRowHeight: ESTIMATED_ROW_HEIGHT,
    estimatedViewport: ESTIMATED_VIEWPORT,
    overscan: OVERSCAN,
  });
  readonly #selection = new SelectionController(this, {
    items: () => this.#view,
    universe: () => this.tokens,
    onChange: (ids) => this.dispatchEvent(new PatSelectionChangeEvent(ids)),
  });
  readonly #menu = new MenuController(this, { itemSelector: MENU_ITEM, width: 192, height: 260 });
  readonly #actions = new TokenActions(this, {
    dialog: () => this.confirmDialog,
    capabilities: () => this.#caps,
    text: () => this.#locale.strings(this.strings),
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
  // Listens on the host: no template binding needed.
  readonly #keyboard = new GridKeyboardController(this, {
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
    activate: (index, alt) => {
      void this.#runAction(this.#caps.update && !alt ? 'edit' : 'details', [this.#view[index]!.id], 'keyboard');
    },
    remove: (index) => {
      if (!this.#canDelete) return;
      const id = this.#view[index]!.id;
      // Several at once only where the server has bulk delete (what it cannot do is not offered).
      void this.#runAction('delete', this.#selection.has(id) && this.#caps.bulkDelete ? this.selectedIds : [id], 'keyboard');
    },
    openMenu: (index, row) => void this.#openMenu(this.#view[index]!.id, row),
  });

  #view: TokenMeta[] = [];
  #owners: Array<{ id: string; username: string }> = [];
  #loadController: AbortController | null = null;
  #now = Date.now();
  #onOnline = (): void => {
    this.offline = false;
    if (this.provider) void this.refresh();
  };
  #onOffline = (): void => {
    this.offline = true;
  };

  /** Ids of the selected tokens, in list order. */
  get selectedIds(): string[] {
    return this.#selection.ids;
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
  }

  /** A provider without `deleteToken` (a read-only server) is offered no Delete. */
  get #canDelete(): boolean {
    return !this.provider || typeof this.provider.deleteToken === 'function';
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
          const query = { owner: this.owner, cursor, limit: 200, ...(this.unusedDays ? { unused_days: this.unusedDays } : {}) };
          const page = await provider.listTokens(query, { signal: controller.signal });
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
      // Signed out (or a cookie session refused cross-site): say so in the user's words.
      else this.error = isSignedOut(error) ? this.#locale.strings(this.strings).signedOut : message;
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
    if (changed.has('tokens') || changed.has('owner')) {
      // Only the admin view has a user filter; skip the pass over every token otherwise.
      const owners = new Map<string, string>();
      if (this.#adminView) for (const t of this.tokens) owners.set(t.owner.id, t.owner.username);
      this.#owners = [...owners].map(([id, username]) => ({ id, username })).sort((a, b) => collator.compare(a.username, b.username));
    }
    if (
      changed.has('tokens') ||
      changed.has('owner') ||
      changed.has('sortKey' as keyof PatTokenList) ||
      changed.has('sortOrder' as keyof PatTokenList) ||
      changed.has('filterText' as keyof PatTokenList) ||
      changed.has('filterUser' as keyof PatTokenList) ||
      changed.has('filterStatus' as keyof PatTokenList) ||
      unusedChanged ||
      changed.has('expiringSoonDays')
    ) {
      this.#now = Date.now();
      this.#view = this.#computeView();
      if (this.focusIndex >= this.#view.length) this.focusIndex = Math.max(0, this.#view.length - 1);
    }
  }

  #computeView(): TokenMeta[] {
    const text = this.filterText.trim().toLowerCase();
    const user = this.#adminView ? this.filterUser : '';
    const status = this.filterStatus;
    const now = this.#now;
    const soon = this.expiringSoonDays;
    // The server's rule, where the server does not filter: active, and last used (or created) before the cutoff.
    const unusedBefore = this.unusedDays && this.#unusedLocally ? new Date(now - this.unusedDays * DAY).toISOString() : '';
    let rows = this.tokens;
    if (text || user || status || unusedBefore) {
      rows = rows.filter(
        (t) =>
          (!user || t.owner.id === user) &&
          (!unusedBefore || (t.status === 'active' && (t.last_used_at ?? t.created_at ?? '') < unusedBefore)) &&
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

  #sortBy(key: TokenSortKey): void {
    if (this.sortKey === key) this.sortOrder = this.sortOrder === 'asc' ? 'desc' : 'asc';
    else {
      this.sortKey = key;
      this.sortOrder = key === 'name' ? 'asc' : 'desc';
    }
  }

  #select(index: number, mode: 'only' | 'toggle' | 'range'): void {
    if (this.#selection.select(index, mode)) this.focusIndex = index;
  }

  #onRowClick(event: MouseEvent, index: number): void {
    if ((event.target as HTMLElement).closest('button, input, a')) return;
    this.#select(index, event.shiftKey ? 'range' : event.ctrlKey || event.metaKey ? 'toggle' : 'only');
  }

  #onCheckboxClick(event: MouseEvent, index: number): void {
    event.stopPropagation();
    this.#select(index, event.shiftKey ? 'range' : 'toggle');
  }

  async #moveFocus(index: number): Promise<void> {
    const target = Math.max(0, Math.min(this.#view.length - 1, index));
    this.focusIndex = target;
    this.#window.reveal(target);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`${ROW}[data-index="${target}"]`)?.focus();
  }

  #openMenu(id: string, anchor: HTMLElement): Promise<void> {
    const trigger = anchor.matches('button') ? anchor : anchor.querySelector<HTMLElement>('.menu-trigger') ?? anchor;
    return this.#menu.open(id, trigger);
  }

  #announce(text: string): void {
    this.announcement = '';
    requestAnimationFrame(() => {
      this.announcement = text;
    });
  }

  #runAction(action: TokenAction, ids: string[], source: 'menu' | 'bulk' | 'keyboard'): Promise<void> {
    return action === 'details' ? this.#openDetails(ids[0]!, source) : this.#actions.run(action, ids, source);
  }

  /** The list filters "unused" itself: no provider (property mode), or organisation tokens (no server query). */
  get #unusedLocally(): boolean {
    return !this.provider || !!this.scopeOwner;
  }

  /**
   * Opens `<pat-token-details>` for a token as a modal. Its code is loaded on first use (a chunk of
   * its own), so a page that never opens a token does not pay for it up front.
   */
  async #openDetails(id: string, source: 'menu' | 'bulk' | 'keyboard'): Promise<void> {
    const token = this.tokens.find((t) => t.id === id);
    if (!token || !this.dispatchEvent(new PatRequestActionEvent({ action: 'details', ids: [id], source }))) return;
    try {
      const PatTokenDetails = await PatTokenList.lazyDependencies['pat-token-details']();
      // Defined under the kit's name unless the host registered the class (or the tag) itself.
      if (!customElements.getName?.(PatTokenDetails)) register('pat-token-details', PatTokenDetails);
      this.dispatchEvent(new PatTokenActionEvent({ action: 'details', ids: [id], handled: true }));
      await PatTokenDetails.open(token, {
        provider: this.provider,
        capabilities: this.#caps,
        strings: this.strings,
        container: this.revealContainer ?? this.renderRoot,
        onOpen: (el) => (this.#details = el),
      });
      this.#details = null;
    } catch (error) {
      this.#details = null;
      const { code, message } = messageOf(error);
      this.#announce(message);
      this.dispatchEvent(new PatErrorEvent(code, message));
    }
  }

  /** "Disable unused…" (components/token-list/disable-unused.ts, loaded on first use). */
  async #disableUnused(): Promise<void> {
    if (!this.unusedDays || this.busy) return;
    try {
      const { disableUnused } = await import('./disable-unused.ts');
      await disableUnused(this as unknown as DisableUnusedHost, {
        days: this.unusedDays,
        shown: this.#view,
        dialog: this.confirmDialog,
        locale: this.#locale.locale,
        strings: this.strings,
      });
    } catch (error) {
      const { code, message } = messageOf(error);
      this.notice = message;
      this.dispatchEvent(new PatErrorEvent(code, message));
    }
  }

  #onUnusedChange(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    this.unusedCustom = value === 'custom';
    this.notice = '';
    if (!this.unusedCustom) this.unusedDays = Number(value);
  }

  #onUnusedDays(event: Event): void {
    const input = event.target as HTMLInputElement;
    const days = Number(input.value);
    const valid = Number.isInteger(days) && days >= 1 && days <= 3650;
    input.setCustomValidity(valid ? '' : this.#locale.strings(this.strings).unusedInvalid);
    if (!valid) input.reportValidity();
    else this.unusedDays = days;
  }

  #columns(): string {
    const caps = this.#caps;
    // Minimums that fit all eight admin columns into a 52rem box with whole dates in English and
    // German ("28. Nov. 2026"); longer words ellipsize, extra width goes mostly to the name.
    const cols = ['2rem', 'minmax(8rem, 2fr)'];
    if (this.#adminView) cols.push('minmax(4.5rem, 0.8fr)');
    cols.push('minmax(6.5rem, 1fr)');
    if (caps.expiry.mode !== 'none') cols.push('minmax(6.5rem, 1fr)');
    if (caps.lastUsed) cols.push('minmax(6.5rem, 1fr)');
    cols.push('minmax(6rem, 0.9fr)');
    if (caps.scopes !== 'none') cols.push('minmax(4.5rem, 1fr)');
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
    const selected = this.#selection.has(token.id);
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
      <div role="gridcell" class="cell">${this.#locale.date(token.created_at, '—')}</div>
      ${caps.expiry.mode !== 'none' ? html`<div role="gridcell" class="cell">${this.#locale.date(token.expires_at, s.never)}</div>` : nothing}
      ${caps.lastUsed ? html`<div role="gridcell" class="cell">${this.#locale.date(token.last_used_at, s.notUsed)}</div>` : nothing}
      <div role="gridcell" class="cell">
        <span class="status ${status}">${statusLabel}</span>
        ${token.rotation
          ? html`<span class="description grace" title=${this.#graceText(token.rotation.previous_valid_until, s)}
              >${this.#graceText(token.rotation.previous_valid_until, s)}</span
            >`
          : nothing}
      </div>
      ${caps.scopes !== 'none'
        ? html`<div role="gridcell" class="cell access" title=${token.scopes.join(', ')}>
            <span class="access-summary" aria-hidden="true">${s.scopesSummary(token.scopes.length, token.scopes[0] ?? '')}</span
            ><span class="visually-hidden">${token.scopes.length ? token.scopes.join(', ') : s.allScopes}</span>
          </div>`
        : nothing}
      <div role="gridcell" class="cell">
        <button
          type="button"
          class="menu-trigger"
          tabindex="-1"
          aria-haspopup="menu"
          aria-expanded=${this.#menu.openFor === token.id ? 'true' : 'false'}
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

  #graceText(until: string, s: PatStrings): string {
    return s.graceUntil(this.#locale.date(until, '', true), this.#locale.relative(until));
  }

  /** The visible slice of rows, positioned inside a spacer as tall as all rows together. */
  #renderWindow(s: PatStrings): TemplateResult {
    const win = this.#window;
    const total = this.#view.length;
    return html`<div class="spacer" style=${styleMap({ height: `${win.totalHeight(total)}px` })}>
      ${repeat(
        win.indexes(total, this.focusIndex),
        (i) => this.#view[i]!.id,
        (i) => this.#renderRow(this.#view[i]!, i, s, win.top(i)),
      )}
    </div>`;
  }

  #renderMenu(s: PatStrings): TemplateResult | typeof nothing {
    const menu = this.#menu;
    if (!menu.openFor) return nothing;
    const token = this.tokens.find((t) => t.id === menu.openFor);
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
          menu.close();
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
      @keydown=${menu.onKeydown}
      @focusout=${menu.onFocusout}
    >
      ${item('details', s.actionDetails)} ${item('copy-id', s.actionCopyId)} ${caps.update ? item('edit', s.actionEdit) : nothing}
      ${caps.clone && caps.create?.allowed !== false ? item('clone', s.actionClone) : nothing} ${caps.regenerate ? item('regenerate', s.actionRegenerate) : nothing}
      ${token.rotation && caps.rotationGraceMaxSeconds > 0 && (!this.provider || this.provider.endGrace) ? item('end-grace', s.actionEndGrace, true) : nothing}
      ${caps.disable ? (token.status === 'disabled' ? item('enable', s.actionEnable) : item('disable', s.actionDisable, true)) : nothing}
      ${this.#canDelete ? item('delete', s.actionDelete, true) : nothing}
    </div>`;
  }

  #renderToolbar(s: PatStrings): TemplateResult {
    const caps = this.#caps;
    // No search landmark: a page with two lists would have two same-named ones (axe landmark-unique).
    return html`<div part="toolbar">
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
      ${caps.unused && !this.scopeOwner ? this.#renderUnusedFilter(s) : nothing}
      <button type="button" part="refresh" @click=${() => void this.refresh()} ?disabled=${this.loading}>${s.refresh}</button>
      <span class="count" aria-live="polite">${s.rowCount(this.#view.length, this.tokens.length)}</span>
    </div>`;
  }

  #renderUnusedFilter(s: PatStrings): TemplateResult {
    const days = this.unusedDays;
    const custom = this.unusedCustom;
    const canDisable = this.#caps.disable && (!this.provider || this.provider.disableUnusedTokens);
    return html`<label
        >${s.filterUnused}
        <select part="unused-filter" @change=${this.#onUnusedChange}>
          <option value="0" ?selected=${!custom && !days}>${s.filterUnusedAny}</option>
          ${UNUSED_PRESETS.map((d) => html`<option value=${d} ?selected=${!custom && days === d}>${s.unusedDays(d)}</option>`)}
          <option value="custom" ?selected=${custom}>${s.filterUnusedCustom}</option>
        </select>
      </label>
      ${custom
        ? html`<label
            >${s.filterUnusedDays}
            <input part="unused-days" type="number" min="1" max="3650" step="1" required .value=${days ? String(days) : ''} @change=${this.#onUnusedDays} />
          </label>`
        : nothing}
      ${days && canDisable
        ? html`<button type="button" class="danger" part="disable-unused" ?disabled=${this.busy} @click=${() => void this.#disableUnused()}>
            ${s.actionDisableUnused}
          </button>`
        : nothing}`;
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
    const s = this.#locale.strings(this.strings);
    const caps = this.#caps;
    const selected = this.#selection.size;
    const stateView = this.#renderState(s);
    const allSelected = this.#selection.all;
    return html`
      ${this.#renderToolbar(s)}
      ${this.offline && this.tokens.length > 0 ? html`<div part="offline" role="status">${s.offline}</div>` : nothing}
      <p part="notice" role="status" ?hidden=${!this.notice}>${this.notice}</p>
      ${selected > 0
        ? html`<div part="bulk-bar">
            <span>${s.selectedCount(selected)}</span>
            ${this.#canDelete && (caps.bulkDelete || selected === 1)
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
      >
        <div role="rowgroup" part="header">
          <div role="row" class="row" aria-rowindex="1">
            <div role="columnheader" class="cell">
              <input type="checkbox" .checked=${allSelected} aria-label=${s.selectAll} @change=${() => this.#selection.toggleAll()} />
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
        <div role="rowgroup" part="body" @scroll=${this.#window.onScroll}>
          ${this.#renderWindow(s)}
        </div>
      </div>`}
      ${this.#renderMenu(s)}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
      <pat-confirm-dialog .strings=${this.strings}></pat-confirm-dialog>
    `;
  }
}
