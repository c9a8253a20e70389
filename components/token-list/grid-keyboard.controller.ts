import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface GridKeyboardOptions {
  /** Selector of a row element (carrying `data-index`). */
  rowSelector: string;
  /** Selector of the row's actions button (Right arrow goes there, Left comes back). */
  actionsSelector: string;
  /** Number of rows. */
  count: () => number;
  /** Move focus to row `to` (already clamped); `extend` when Shift is held (range selection). */
  move: (to: number, from: number, extend: boolean) => void;
  /** Space. */
  toggle: (index: number) => void;
  /** Ctrl/Cmd+A. */
  selectAll: () => void;
  /** Enter; `alt` for Alt+Enter (the desktop's "properties" key). */
  activate: (index: number, alt: boolean) => void;
  /** Delete. */
  remove: (index: number) => void;
  /** Shift+F10 or the context-menu key. */
  openMenu: (index: number, row: HTMLElement) => void;
}

/**
 * Keyboard use of a `role="grid"` of rows: arrows, Home/End, Page Up/Down, Space, Ctrl/Cmd+A,
 * Enter (Alt+Enter), Delete, Shift+F10 / context-menu key, Right/Left between a row and its actions button.
 * It maps keys to intents; the host decides what each intent does. It listens on the host element,
 * reading the real target from the composed path.
 */
export class GridKeyboardController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #options: GridKeyboardOptions;

  constructor(host: ReactiveControllerHost & HTMLElement, options: GridKeyboardOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    this.#host.addEventListener('keydown', this.#onKeydown);
  }

  hostDisconnected(): void {
    this.#host.removeEventListener('keydown', this.#onKeydown);
  }

  readonly #onKeydown = (event: KeyboardEvent): void => this.handle(event, event.composedPath()[0]);

  /** Handles `event` on `target` (its composed path's first element, read while it was dispatched: a key that came before this controller). */
  handle(event: KeyboardEvent, target: EventTarget | undefined): void {
    const o = this.#options;
    if (!(target instanceof HTMLElement)) return;
    const row = target.closest<HTMLElement>(o.rowSelector);
    if (!row) return;
    if (target.matches(o.actionsSelector) && event.key === 'ArrowLeft') {
      event.preventDefault();
      row.focus();
      return;
    }
    if (target !== row) return;
    if (event.key === 'ArrowRight') {
      event.preventDefault();
      row.querySelector<HTMLElement>(o.actionsSelector)?.focus();
      return;
    }
    const index = Number(row.dataset.index);
    const count = o.count();
    if (!(index >= 0 && index < count)) return;
    const move = (to: number): void => {
      event.preventDefault();
      o.move(Math.max(0, Math.min(count - 1, to)), index, event.shiftKey);
    };
    switch (event.key) {
      case 'ArrowDown':
        return move(index + 1);
      case 'ArrowUp':
        return move(index - 1);
      case 'Home':
        return move(0);
      case 'End':
        return move(count - 1);
      case 'PageDown':
        return move(index + 10);
      case 'PageUp':
        return move(index - 10);
      case ' ':
        event.preventDefault();
        o.toggle(index);
        return;
      case 'a':
      case 'A':
        if (event.ctrlKey || event.metaKey) {
          event.preventDefault();
          o.selectAll();
        }
        return;
      case 'Enter':
        event.preventDefault();
        o.activate(index, event.altKey);
        return;
      case 'Delete':
        event.preventDefault();
        o.remove(index);
        return;
      case 'ContextMenu':
        event.preventDefault();
        o.openMenu(index, row);
        return;
      case 'F10':
        if (event.shiftKey) {
          event.preventDefault();
          o.openMenu(index, row);
        }
        return;
    }
  }
}
