import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface MenuHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export interface MenuOptions {
  /** Selector of the open menu's items (`role="menuitem"`), inside the host's render root. */
  itemSelector: string;
  /** Menu size used to keep it on screen (it opens above its trigger near the bottom). */
  width: number;
  height: number;
}

/**
 * An action menu anchored to a trigger: which item it is for, where it sits (fixed position, kept
 * inside the window), focus on its first item, arrow / Home / End / Escape / Tab keys, and focus
 * returned to the trigger on close.
 */
export class MenuController implements ReactiveController {
  /** What the open menu is for (a row id), or null when closed. */
  openFor: string | null = null;
  top = 0;
  left = 0;

  readonly #host: MenuHost;
  readonly #options: MenuOptions;
  #returnTo: HTMLElement | null = null;

  constructor(host: MenuHost, options: MenuOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.openFor = null;
    this.#returnTo = null;
  }

  /** Opens the menu for `id` next to `trigger` and focuses its first item. */
  async open(id: string, trigger: HTMLElement): Promise<void> {
    const { width, height } = this.#options;
    this.#returnTo = trigger;
    const rect = trigger.getBoundingClientRect();
    this.left = Math.max(8, Math.min(rect.right - width, window.innerWidth - width - 8));
    this.top = rect.bottom + 4 + height > window.innerHeight ? Math.max(8, rect.top - height - 4) : rect.bottom + 4;
    this.openFor = id;
    this.#host.requestUpdate();
    await this.#host.updateComplete;
    this.#items()[0]?.focus();
  }

  close(returnFocus = true): void {
    this.openFor = null;
    this.#host.requestUpdate();
    if (returnFocus) this.#returnTo?.focus();
    this.#returnTo = null;
  }

  /** The menu's `keydown` listener. */
  readonly onKeydown = (event: KeyboardEvent): void => {
    const items = this.#items();
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
      this.close();
    } else if (event.key === 'Tab') this.close(false);
  };

  /** The menu's `focusout` listener: focus leaving the menu closes it (without taking focus back). */
  readonly onFocusout = (event: FocusEvent): void => {
    if (!(event.currentTarget as HTMLElement).contains(event.relatedTarget as Node)) this.close(false);
  };

  #items(): HTMLElement[] {
    return [...this.#host.renderRoot.querySelectorAll<HTMLElement>(this.#options.itemSelector)];
  }
}
