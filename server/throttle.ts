/**
 * Failure throttling (SECURITY.md rule 12): failed sign-ins, password re-checks and token
 * verifications are counted per IP and per account in fixed windows. Only failures count, so
 * legitimate traffic is never slowed; the check itself is a Map lookup.
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
}

export const DEFAULT_THROTTLE: ThrottleConfig = {
  signInPerIp: { max: 30, windowMs: 15 * 60_000 },
  signInPerAccount: { max: 10, windowMs: 15 * 60_000 },
  passwordPerIp: { max: 30, windowMs: 15 * 60_000 },
  passwordPerAccount: { max: 10, windowMs: 15 * 60_000 },
  tokenPerIp: { max: 100, windowMs: 5 * 60_000 },
  tokenPerAccount: { max: 100, windowMs: 5 * 60_000 },
};

interface Window {
  count: number;
  resetAt: number;
}

const MAX_KEYS = 100_000;

export class FailureThrottle {
  readonly #limit: ThrottleLimit;
  readonly #windows = new Map<string, Window>();
  readonly #now: () => number;

  constructor(limit: ThrottleLimit, now: () => number = Date.now) {
    this.#limit = limit;
    this.#now = now;
  }

  /** Seconds to wait when `key` is over its limit, else 0. */
  retryAfter(key: string): number {
    const window = this.#windows.get(key);
    if (!window) return 0;
    const now = this.#now();
    if (now >= window.resetAt) {
      this.#windows.delete(key);
      return 0;
    }
    return window.count >= this.#limit.max ? Math.max(1, Math.ceil((window.resetAt - now) / 1000)) : 0;
  }

  fail(key: string): void {
    const now = this.#now();
    const window = this.#windows.get(key);
    if (!window || now >= window.resetAt) {
      if (this.#windows.size >= MAX_KEYS) this.#prune(now);
      this.#windows.set(key, { count: 1, resetAt: now + this.#limit.windowMs });
    } else {
      window.count++;
    }
  }

  reset(key: string): void {
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

/** One throttle pair (per IP, per account) for one kind of failure. */
export class FailurePolicy {
  readonly #perIp: FailureThrottle;
  readonly #perAccount: FailureThrottle;

  constructor(perIp: ThrottleLimit, perAccount: ThrottleLimit, now: () => number = Date.now) {
    this.#perIp = new FailureThrottle(perIp, now);
    this.#perAccount = new FailureThrottle(perAccount, now);
  }

  retryAfter(ip: string, account: string | null): number {
    const byIp = this.#perIp.retryAfter(ip);
    const byAccount = account === null ? 0 : this.#perAccount.retryAfter(account.toLowerCase());
    return Math.max(byIp, byAccount);
  }

  fail(ip: string, account: string | null): void {
    this.#perIp.fail(ip);
    if (account !== null) this.#perAccount.fail(account.toLowerCase());
  }

  succeed(account: string): void {
    this.#perAccount.reset(account.toLowerCase());
  }
}
