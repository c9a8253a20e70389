import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** How a click or key selects: plain (only this), toggle (Ctrl/Cmd) or range (Shift, from the anchor). */
export type SelectMode = 'only' | 'toggle' | 'range';

export interface SelectionOptions {
  /** The items in display order (selection ranges follow it). */
  items: () => readonly { id: string }[];
  /** Everything that exists (the items before filters): ids that left it are dropped before each render. */
  universe: () => readonly { id: string }[];
  /** Called with the selected ids whenever the selection changes. */
  onChange: (ids: string[]) => void;
}

/**
 * Multi-select by id over an ordered list: plain, toggle and range selection with an anchor (as in
 * file managers), select all, and pruning ids that left the list.
 */
export class SelectionController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: SelectionOptions;
  #selected: ReadonlySet<string> = new Set();
  #anchor: string | null = null;
  #seen: readonly { id: string }[] | null = null;

  constructor(host: ReactiveControllerHost, options: SelectionOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostUpdate(): void {
    const universe = this.#options.universe();
    if (universe === this.#seen) return;
    this.#seen = universe;
    if (this.#selected.size) this.keep(new Set(universe.map((t) => t.id)));
  }

  get size(): number {
    return this.#selected.size;
  }

  has(id: string): boolean {
    return this.#selected.has(id);
  }

  /** Selected ids in display order. */
  get ids(): string[] {
    return this.#options.items().filter((t) => this.#selected.has(t.id)).map((t) => t.id);
  }

  /** Whether every displayed item is selected (false for an empty list). */
  get all(): boolean {
    const items = this.#options.items();
    return items.length > 0 && items.every((t) => this.#selected.has(t.id));
  }

  set(next: Iterable<string>): void {
    this.#selected = new Set(next);
    this.#host.requestUpdate();
    this.#options.onChange([...this.#selected]);
  }

  clear(): void {
    this.set([]);
  }

  selectAll(): void {
    this.set(this.#options.items().map((t) => t.id));
  }

  toggleAll(): void {
    if (this.all) this.clear();
    else this.selectAll();
  }

  /** Starts a range at `id` unless one is anchored already (Shift+arrow from an unselected row). */
  anchorAt(id: string): void {
    this.#anchor ??= id;
  }

  /** Selects the item at `index` by `mode`; returns false when there is none. */
  select(index: number, mode: SelectMode): boolean {
    const items = this.#options.items();
    const item = items[index];
    if (!item) return false;
    if (mode === 'range' && this.#anchor) {
      const anchor = items.findIndex((t) => t.id === this.#anchor);
      const from = Math.min(anchor < 0 ? index : anchor, index);
      const to = Math.max(anchor < 0 ? index : anchor, index);
      this.set(items.slice(from, to + 1).map((t) => t.id));
    } else if (mode === 'toggle') {
      const next = new Set(this.#selected);
      if (next.has(item.id)) next.delete(item.id);
      else next.add(item.id);
      this.#anchor = item.id;
      this.set(next);
    } else {
      this.#anchor = item.id;
      this.set([item.id]);
    }
    return true;
  }

  /** Drops selected ids that are not in `present` (announced only when something went). */
  keep(present: ReadonlySet<string>): void {
    if (this.#selected.size === 0) return;
    const kept = [...this.#selected].filter((id) => present.has(id));
    if (kept.length !== this.#selected.size) this.set(kept);
  }
}
