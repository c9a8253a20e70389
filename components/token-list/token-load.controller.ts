import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { TokenMeta } from '../../lib/model.ts';
import type { TokenProvider } from '../../lib/provider.ts';
import { PatErrorEvent } from '../shared/events.ts';
import { isSignedOut, messageOf } from '../shared/format.ts';
import { loadTokens, type LoadQuery } from './token-loader.ts';

/** What a load changes on the list. */
export interface LoadState {
  loading?: boolean;
  error?: string | null;
  offline?: boolean;
}

export interface TokenLoadOptions {
  provider: () => TokenProvider | null;
  query: () => Omit<LoadQuery, 'signal'>;
  loaded: (tokens: TokenMeta[]) => void;
  state: (patch: LoadState) => void;
  /** The message for a signed-out user (or a cookie session refused cross-site), in their words. */
  signedOutText: () => string;
}

/**
 * Loads the list's tokens from its provider: one load at a time (a newer one aborts the older),
 * the loading / error / offline states, a reload when the browser comes back online, and no load
 * left running after the list leaves the page.
 */
export class TokenLoadController implements ReactiveController {
  readonly #host: ReactiveControllerHost & EventTarget;
  readonly #options: TokenLoadOptions;
  #running: AbortController | null = null;

  constructor(host: ReactiveControllerHost & EventTarget, options: TokenLoadOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('online', this.#onOnline);
    window.addEventListener('offline', this.#onOffline);
  }

  hostDisconnected(): void {
    window.removeEventListener('online', this.#onOnline);
    window.removeEventListener('offline', this.#onOffline);
    this.#running?.abort();
  }

  #onOnline = (): void => {
    this.#options.state({ offline: false });
    if (this.#options.provider()) void this.load();
  };

  #onOffline = (): void => {
    this.#options.state({ offline: true });
  };

  /** Loads every token from the provider (nothing without one). */
  async load(): Promise<void> {
    const provider = this.#options.provider();
    if (!provider) return;
    this.#running?.abort();
    const controller = new AbortController();
    this.#running = controller;
    this.#options.state({ loading: true, error: null });
    try {
      const tokens = await loadTokens(provider, { ...this.#options.query(), signal: controller.signal });
      if (controller.signal.aborted) return;
      this.#options.loaded(tokens);
      this.#options.state({ offline: false });
    } catch (error) {
      if (controller.signal.aborted) return;
      const { code, message } = messageOf(error);
      if (code === 'offline') this.#options.state({ offline: true });
      else this.#options.state({ error: isSignedOut(error) ? this.#options.signedOutText() : message });
      this.#host.dispatchEvent(new PatErrorEvent(code, message));
    } finally {
      if (this.#running === controller) {
        this.#options.state({ loading: false });
        this.#running = null;
      }
    }
  }
}
