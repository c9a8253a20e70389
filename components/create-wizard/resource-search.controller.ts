/**
 * The resource picker's search: resource types once, then `listResources` for the type and text
 * typed, debounced, the older request aborted when a newer one starts (its answer would be stale).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Resource, ResourceType } from '../../lib/model.ts';
import type { TokenProvider } from '../../lib/provider.ts';
import { requireOperation } from '../../lib/providers/require-operation.ts';

export const SEARCH_DELAY_MS = 250;
const PAGE = 20;

export class ResourceSearch implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #provider: () => TokenProvider | null;
  types: ResourceType[] = [];
  type = '';
  query = '';
  results: Resource[] = [];
  /** `idle` before the first search; `error` when the last one failed. */
  state: 'idle' | 'loading' | 'done' | 'error' = 'idle';
  #timer: ReturnType<typeof setTimeout> | undefined;
  #abort: AbortController | null = null;

  constructor(host: ReactiveControllerHost, provider: () => TokenProvider | null) {
    this.#host = host;
    this.#provider = provider;
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
    this.#abort?.abort();
  }

  /** Loads the types and the first page (no text), once the picker is first shown. */
  async start(): Promise<void> {
    const provider = this.#provider();
    if (!provider || this.state !== 'idle') return;
    this.state = 'loading';
    try {
      this.types = await requireOperation(provider, 'listResourceTypes')();
    } catch {
      this.types = [];
    }
    await this.search();
  }

  /** A new type or text: search after a pause in typing. */
  change(patch: { type?: string; query?: string }): void {
    if (patch.type !== undefined) this.type = patch.type;
    if (patch.query !== undefined) this.query = patch.query;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.search(), patch.type !== undefined ? 0 : SEARCH_DELAY_MS);
  }

  async search(): Promise<void> {
    const provider = this.#provider();
    if (!provider) return;
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    this.state = 'loading';
    this.#host.requestUpdate();
    try {
      const query = { limit: PAGE, ...(this.type ? { type: this.type } : {}), ...(this.query.trim() ? { q: this.query.trim() } : {}) };
      const page = await requireOperation(provider, 'listResources')(query, { signal: abort.signal });
      if (abort.signal.aborted) return;
      this.results = page.items;
      this.state = 'done';
    } catch {
      if (abort.signal.aborted) return;
      this.results = [];
      this.state = 'error';
    }
    this.#host.requestUpdate();
  }
}
