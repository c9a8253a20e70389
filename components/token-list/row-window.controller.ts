import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface RowWindowOptions {
  /** The scrolling element (queried after each update, so a re-rendered body is picked up). */
  body: () => HTMLElement | null;
  /** A selector for one row inside the body, to measure the real row height. */
  rowSelector: string;
  /** Row height before the first row is measured. */
  estimatedRowHeight: number;
  /** Body height before it is measured. */
  estimatedViewport: number;
  /** Rows rendered above and below the visible ones, so scrolling shows no gaps. */
  overscan: number;
}

/**
 * Windowing for fixed-height rows: which rows to render for the current scroll position, how tall
 * the spacer is, and scrolling a row into view. Rows have one height, so the window is plain
 * arithmetic; a ResizeObserver keeps the body and row heights true to the host's CSS.
 */
export class RowWindowController implements ReactiveController {
  scrollOffset = 0;
  viewportHeight: number;
  rowHeight: number;

  readonly #host: ReactiveControllerHost;
  readonly #options: RowWindowOptions;
  #observer: ResizeObserver | null = null;
  #observed: HTMLElement | null = null;
  #frame = 0;

  constructor(host: ReactiveControllerHost, options: RowWindowOptions) {
    this.#host = host;
    this.#options = options;
    this.rowHeight = options.estimatedRowHeight;
    this.viewportHeight = options.estimatedViewport;
    host.addController(this);
  }

  /** The body's scroll listener (rAF-throttled). */
  readonly onScroll = (event: Event): void => {
    const body = event.currentTarget as HTMLElement;
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#setOffset(body.scrollTop);
    });
  };

  hostUpdated(): void {
    const body = this.#options.body();
    if (body === this.#observed) return;
    this.#observer?.disconnect();
    this.#observed = body;
    if (!body) return;
    body.scrollTop = 0;
    this.#setOffset(0);
    this.#observer ??= new ResizeObserver(() => this.#measure());
    this.#observer.observe(body);
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observer = null;
    this.#observed = null;
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
  }

  /** Height of all `total` rows together (the spacer's height). */
  totalHeight(total: number): number {
    return total * this.rowHeight;
  }

  /** Top of row `index` inside the spacer. */
  top(index: number): number {
    return index * this.rowHeight;
  }

  /**
   * Indexes of the rows to render, in order: the visible ones plus the overscan, and `keep`
   * (the focused row) even when scrolled away, so focus is never lost.
   */
  indexes(total: number, keep: number): number[] {
    const { overscan } = this.#options;
    const first = Math.max(0, Math.floor(this.scrollOffset / this.rowHeight) - overscan);
    const last = Math.min(total, Math.ceil((this.scrollOffset + this.viewportHeight) / this.rowHeight) + overscan);
    const out: number[] = [];
    if (keep < first && keep < total) out.push(keep);
    for (let i = first; i < last; i += 1) out.push(i);
    if (keep >= last && keep < total) out.push(keep);
    return out;
  }

  /** Scrolls just enough to show row `index` (the window follows on the next render). */
  reveal(index: number): void {
    const body = this.#options.body();
    if (!body) return;
    const top = index * this.rowHeight;
    if (top < body.scrollTop) body.scrollTop = top;
    else if (top + this.rowHeight > body.scrollTop + body.clientHeight) body.scrollTop = top + this.rowHeight - body.clientHeight;
    this.#setOffset(body.scrollTop);
  }

  #setOffset(offset: number): void {
    if (offset === this.scrollOffset) return;
    this.scrollOffset = offset;
    this.#host.requestUpdate();
  }

  #measure(): void {
    const body = this.#observed;
    if (!body) return;
    const row = body.querySelector<HTMLElement>(this.#options.rowSelector);
    let changed = false;
    if (row && row.offsetHeight > 0 && row.offsetHeight !== this.rowHeight) {
      this.rowHeight = row.offsetHeight;
      changed = true;
    }
    if (body.clientHeight > 0 && body.clientHeight !== this.viewportHeight) {
      this.viewportHeight = body.clientHeight;
      changed = true;
    }
    if (changed) this.#host.requestUpdate();
  }
}
