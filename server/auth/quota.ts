/**
 * Quotas: limits on how often something may be done at all (not only failures), such as leak reports
 * per IP. A use is taken and the limit tested in one step (docs/security.md rule 28): in this
 * process's memory for the single SQLite process, in one SQL statement when several instances share
 * a PostgreSQL database, so no burst of concurrent requests gets past the limit.
 */
import { addressBucket } from './client-address.ts';
import type { CounterKey } from './throttle.ts';

export interface QuotaCounters {
  /**
   * Takes one use of `key`'s current window (a new window starts when the old one ended). Returns 0
   * when the use was taken, else the seconds until the window ends (nothing was taken).
   */
  take(key: CounterKey, now: number): Promise<number>;
}

interface Window {
  count: number;
  resetAt: number;
}

const MAX_KEYS = 100_000;

/** Seconds until `resetAt`, at least 1. */
export function secondsUntil(resetAt: number, now: number): number {
  return Math.max(1, Math.ceil((resetAt - now) / 1000));
}

/** Quota windows in memory; `take` is synchronous inside, so two requests cannot interleave in it. */
export class MemoryQuotaCounters implements QuotaCounters {
  readonly #windows = new Map<string, Window>();

  async take(key: CounterKey, now: number): Promise<number> {
    const window = this.#windows.get(key.key);
    if (window && now < window.resetAt) {
      if (window.count >= key.limit.max) return secondsUntil(window.resetAt, now);
      window.count++;
      return 0;
    }
    if (!window && this.#windows.size >= MAX_KEYS) this.#prune(now);
    this.#windows.set(key.key, { count: 1, resetAt: now + key.limit.windowMs });
    return 0;
  }

  #prune(now: number): void {
    for (const [key, window] of this.#windows) if (now >= window.resetAt) this.#windows.delete(key);
    // Still full (very many addresses): forget the oldest windows rather than grow. Quota keys are
    // addresses only, and whoever controls that many addresses has that many quotas anyway.
    let drop = this.#windows.size - MAX_KEYS / 2;
    for (const key of this.#windows.keys()) {
      if (drop-- <= 0) break;
      this.#windows.delete(key);
    }
  }
}

/** One per-IP quota (`name`: leak_report), counted in the store's shared quota counters. */
export class QuotaPolicy {
  readonly #name: string;
  readonly #limit: CounterKey['limit'];
  readonly #counters: QuotaCounters;
  readonly #now: () => number;

  constructor(name: string, limit: CounterKey['limit'], counters: QuotaCounters, now: () => number = Date.now) {
    this.#name = name;
    this.#limit = limit;
    this.#counters = counters;
    this.#now = now;
  }

  /** Takes one use for `ip` (an IPv6 client by its /64, docs/security.md rule 29): 0 when taken, else the seconds to wait. */
  take(ip: string): Promise<number> {
    return this.#counters.take({ key: `${this.#name}:ip:${addressBucket(ip)}`, limit: this.#limit, evictable: true }, this.#now());
  }
}
