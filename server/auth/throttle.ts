/**
 * Failure throttling (docs/security.md rule 12): failed sign-ins, password re-checks and token
 * verifications are counted per IP and per account in fixed windows. Only failures count, so
 * legitimate traffic is never slowed. The counters live where the store says (`Store.failures`):
 * in memory for the single SQLite process, in the database when several instances share it.
 */

export interface ThrottleLimit {
  /** Failures allowed per window before further attempts get 429. */
  max: number;
  windowMs: number;
}

export interface ThrottleConfig {
  signInPerIp: ThrottleLimit;
  signInPerAccount: ThrottleLimit;
  passwordPerIp: ThrottleLimit;
  passwordPerAccount: ThrottleLimit;
  tokenPerIp: ThrottleLimit;
  tokenPerAccount: ThrottleLimit;
  /** Leaked-token reports (`POST /credentials/revoke`): every report counts, not only failures. */
  leakReportPerIp: ThrottleLimit;
}

export const DEFAULT_THROTTLE: ThrottleConfig = {
  signInPerIp: { max: 30, windowMs: 15 * 60_000 },
  signInPerAccount: { max: 10, windowMs: 15 * 60_000 },
  passwordPerIp: { max: 30, windowMs: 15 * 60_000 },
  passwordPerAccount: { max: 10, windowMs: 15 * 60_000 },
  tokenPerIp: { max: 100, windowMs: 5 * 60_000 },
  tokenPerAccount: { max: 100, windowMs: 5 * 60_000 },
  leakReportPerIp: { max: 30, windowMs: 60 * 60_000 },
};

/** One counter of a policy: its key (kind, IP or account) and its limit. */
export interface CounterKey {
  key: string;
  limit: ThrottleLimit;
}

/**
 * Where failure counters live. With one process (SQLite) memory is enough; several instances share
 * them in the database, so N instances do not give an attacker N times the attempts. Only `fail`
 * and `reset` write: a request that fails nothing costs one read.
 */
export interface FailureCounters {
  /** Seconds to wait when any of these counters is at its limit, else 0. */
  retryAfter(keys: CounterKey[], now: number): Promise<number>;
  /** Counts one failure on each counter (a new window starts when the old one ended). */
  fail(keys: CounterKey[], now: number): Promise<void>;
  reset(key: string): Promise<void>;
}

interface Window {
  count: number;
  resetAt: number;
}

const MAX_KEYS = 100_000;

/** A stored counter as a store reads it. */
export interface CounterRow {
  key: string;
  count: number;
  resetAt: number;
}

/** Seconds to wait given the live counters read for these keys (0 when none is at its limit). */
export function waitFrom(rows: CounterRow[], keys: CounterKey[], now: number): number {
  let wait = 0;
  for (const row of rows) {
    const limit = keys.find((k) => k.key === row.key)?.limit;
    if (limit && row.resetAt > now && row.count >= limit.max) wait = Math.max(wait, Math.max(1, Math.ceil((row.resetAt - now) / 1000)));
  }
  return wait;
}

/** Counters in this process's memory: correct for a store that admits one process (SQLite). */
export class MemoryFailureCounters implements FailureCounters {
  readonly #windows = new Map<string, Window>();

  async retryAfter(keys: CounterKey[], now: number): Promise<number> {
    return this.retryAfterNow(keys, now);
  }

  /** The synchronous check (a Map lookup) for callers that may not wait. */
  retryAfterNow(keys: CounterKey[], now: number): number {
    let wait = 0;
    for (const { key, limit } of keys) {
      const window = this.#windows.get(key);
      if (!window) continue;
      if (now >= window.resetAt) {
        this.#windows.delete(key);
        continue;
      }
      if (window.count >= limit.max) wait = Math.max(wait, Math.max(1, Math.ceil((window.resetAt - now) / 1000)));
    }
    return wait;
  }

  async fail(keys: CounterKey[], now: number): Promise<void> {
    for (const { key, limit } of keys) {
      const window = this.#windows.get(key);
      if (!window || now >= window.resetAt) {
        if (this.#windows.size >= MAX_KEYS) this.#prune(now);
        this.#windows.set(key, { count: 1, resetAt: now + limit.windowMs });
      } else {
        window.count++;
      }
    }
  }

  async reset(key: string): Promise<void> {
    this.#windows.delete(key);
  }

  #prune(now: number): void {
    for (const [key, window] of this.#windows) if (now >= window.resetAt) this.#windows.delete(key);
    // Still full (an attack from very many keys): forget the oldest entries rather than grow.
    if (this.#windows.size >= MAX_KEYS) {
      let drop = this.#windows.size - MAX_KEYS / 2;
      for (const key of this.#windows.keys()) {
        if (drop-- <= 0) break;
        this.#windows.delete(key);
      }
    }
  }
}

/** One throttle pair (per IP, per account) for one kind of failure (`name`: sign_in, password, token). */
export class FailurePolicy {
  readonly #name: string;
  readonly #perIp: ThrottleLimit;
  readonly #perAccount: ThrottleLimit;
  readonly #counters: FailureCounters;
  readonly #now: () => number;

  constructor(name: string, perIp: ThrottleLimit, perAccount: ThrottleLimit, counters: FailureCounters, now: () => number = Date.now) {
    this.#name = name;
    this.#perIp = perIp;
    this.#perAccount = perAccount;
    this.#counters = counters;
    this.#now = now;
  }

  #keys(ip: string, account: string | null): CounterKey[] {
    const keys: CounterKey[] = [{ key: `${this.#name}:ip:${ip}`, limit: this.#perIp }];
    if (account !== null) keys.push({ key: this.#accountKey(account), limit: this.#perAccount });
    return keys;
  }

  #accountKey(account: string): string {
    return `${this.#name}:account:${account.toLowerCase()}`;
  }

  /** The counters and clock of a check, for a store that reads them in the same statement as the token. */
  check(ip: string, account: string | null): { keys: CounterKey[]; now: number } {
    return { keys: this.#keys(ip, account), now: this.#now() };
  }

  retryAfter(ip: string, account: string | null): Promise<number> {
    return this.#counters.retryAfter(this.#keys(ip, account), this.#now());
  }

  fail(ip: string, account: string | null): Promise<void> {
    return this.#counters.fail(this.#keys(ip, account), this.#now());
  }

  succeed(account: string): Promise<void> {
    return this.#counters.reset(this.#accountKey(account));
  }
}
