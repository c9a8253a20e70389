/**
 * Failure throttling (docs/security.md rule 12): failed sign-ins, password re-checks and token
 * verifications are counted per client address and per account in fixed windows. Where the check
 * is expensive (a password hash) the attempt takes a slot first and gives it back when it turns
 * out not to be a failure (docs/security.md rule 28), so a burst cannot all pass the check; the
 * cheap token check reads, then counts failures. Legitimate traffic is never slowed. The counters
 * live where the store says (`Store.failures`): in memory for the single SQLite process, in the
 * database when several instances share it.
 */
import { addressBucket } from './client-address.ts';

export interface ThrottleLimit {
  /** Failures allowed per window before further attempts get 429. */
  max: number;
  windowMs: number;
}

/** Password hashes (scrypt, 128 MiB each) allowed to run at once in this process (docs/security.md rule 28). */
export interface HashLimits {
  perAccount: number;
  perAddress: number;
  total: number;
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
  passwordHashes: HashLimits;
}

export const DEFAULT_THROTTLE: ThrottleConfig = {
  signInPerIp: { max: 30, windowMs: 15 * 60_000 },
  signInPerAccount: { max: 10, windowMs: 15 * 60_000 },
  passwordPerIp: { max: 30, windowMs: 15 * 60_000 },
  passwordPerAccount: { max: 10, windowMs: 15 * 60_000 },
  tokenPerIp: { max: 100, windowMs: 5 * 60_000 },
  tokenPerAccount: { max: 100, windowMs: 5 * 60_000 },
  leakReportPerIp: { max: 30, windowMs: 60 * 60_000 },
  passwordHashes: { perAccount: 2, perAddress: 2, total: 8 },
};

/**
 * One counter of a policy: its key (`policy:kind:value`, kind `ip`, `name` or `account`) and its
 * limit. Address and unknown-name counters may be forgotten when memory is full; a real account's
 * counter never is (docs/security.md rule 29).
 */
export interface CounterKey {
  key: string;
  limit: ThrottleLimit;
  evictable: boolean;
}

/** A slot taken on a counter, with the window it was taken in (a refund only applies to that window). */
export interface Slot {
  key: string;
  resetAt: number;
}

/** What `take` gives: the slots taken, or (when a counter was at its limit) none and the seconds to wait. */
export interface Taken {
  retryAfter: number;
  slots: Slot[];
}

/**
 * Where failure counters live. With one process (SQLite) memory is enough; several instances share
 * them in the database, so N instances do not give an attacker N times the attempts.
 */
export interface FailureCounters {
  /** Seconds to wait when any of these counters is at its limit, else 0. */
  retryAfter(keys: CounterKey[], now: number): Promise<number>;
  /** Counts one failure on each counter (a new window starts when the old one ended). */
  fail(keys: CounterKey[], now: number): Promise<void>;
  /**
   * Takes one slot on every counter, testing the limit in the same atomic step; when any counter
   * was already at its limit nothing stays taken and `retryAfter` says how long to wait.
   */
  take(keys: CounterKey[], now: number): Promise<Taken>;
  /** Gives slots back (the attempt was not a failure); a slot of a window that has ended is dropped. */
  refund(slots: Slot[]): Promise<void>;
  reset(key: string): Promise<void>;
}

interface Window {
  count: number;
  resetAt: number;
}

/** Entries per evictable memory table (addresses or unknown names of one policy). */
export const MAX_EVICTABLE_KEYS = 100_000;

/** A stored counter as a store reads it. */
export interface CounterRow {
  key: string;
  count: number;
  resetAt: number;
}

function secondsUntil(resetAt: number, now: number): number {
  return Math.max(1, Math.ceil((resetAt - now) / 1000));
}

/** Seconds to wait given the live counters read for these keys (0 when none is at its limit). */
export function waitFrom(rows: CounterRow[], keys: CounterKey[], now: number): number {
  let wait = 0;
  for (const row of rows) {
    const limit = keys.find((k) => k.key === row.key)?.limit;
    if (limit && row.resetAt > now && row.count >= limit.max) wait = Math.max(wait, secondsUntil(row.resetAt, now));
  }
  return wait;
}

/** What a take that counted past a limit must wait (the counts are those after taking). */
export function waitAfterTake(rows: CounterRow[], keys: CounterKey[], now: number): number {
  let wait = 0;
  for (const row of rows) {
    const limit = keys.find((k) => k.key === row.key)?.limit;
    if (limit && row.count > limit.max) wait = Math.max(wait, secondsUntil(row.resetAt, now));
  }
  return wait;
}

/** One memory table; `sweepAt`: the size at which ended windows are swept next. */
interface Table {
  windows: Map<string, Window>;
  evictable: boolean;
  sweepAt: number;
}

/** The memory table of a counter key (`policy:kind:value`): its policy and kind. */
function tableName(key: string): string {
  return key.slice(0, key.indexOf(':', key.indexOf(':') + 1));
}

/**
 * Counters in this process's memory: correct for a store that admits one process (SQLite). Each
 * policy and kind has its own table, so a flood of one kind cannot push out another's counters,
 * and only address and unknown-name tables are ever trimmed (docs/security.md rule 29).
 */
export class MemoryFailureCounters implements FailureCounters {
  readonly #tables = new Map<string, Table>();
  readonly #maxEvictable: number;

  constructor(options: { maxEvictableKeys?: number } = {}) {
    this.#maxEvictable = options.maxEvictableKeys ?? MAX_EVICTABLE_KEYS;
  }

  async retryAfter(keys: CounterKey[], now: number): Promise<number> {
    return this.retryAfterNow(keys, now);
  }

  /** The synchronous check (a Map lookup) for callers that may not wait. */
  retryAfterNow(keys: CounterKey[], now: number): number {
    let wait = 0;
    for (const { key, limit } of keys) {
      const window = this.#live(key, now);
      if (window && window.count >= limit.max) wait = Math.max(wait, secondsUntil(window.resetAt, now));
    }
    return wait;
  }

  async fail(keys: CounterKey[], now: number): Promise<void> {
    for (const counter of keys) this.#count(counter, now);
  }

  /** Check and count in one synchronous step: nothing else runs in between. */
  async take(keys: CounterKey[], now: number): Promise<Taken> {
    const retryAfter = this.retryAfterNow(keys, now);
    if (retryAfter > 0) return { retryAfter, slots: [] };
    return { retryAfter: 0, slots: keys.map((counter) => ({ key: counter.key, resetAt: this.#count(counter, now).resetAt })) };
  }

  async refund(slots: Slot[]): Promise<void> {
    for (const { key, resetAt } of slots) {
      const window = this.#tables.get(tableName(key))?.windows.get(key);
      if (window && window.resetAt === resetAt && window.count > 0) window.count--;
    }
  }

  async reset(key: string): Promise<void> {
    this.#tables.get(tableName(key))?.windows.delete(key);
  }

  #live(key: string, now: number): Window | undefined {
    const windows = this.#tables.get(tableName(key))?.windows;
    const window = windows?.get(key);
    if (window && now >= window.resetAt) {
      windows!.delete(key);
      return undefined;
    }
    return window;
  }

  #count(counter: CounterKey, now: number): Window {
    const window = this.#live(counter.key, now);
    if (window) {
      window.count++;
      return window;
    }
    const name = tableName(counter.key);
    let table = this.#tables.get(name);
    if (!table) this.#tables.set(name, (table = { windows: new Map(), evictable: counter.evictable, sweepAt: this.#maxEvictable }));
    this.#makeRoom(table, now);
    const fresh = { count: 1, resetAt: now + counter.limit.windowMs };
    table.windows.set(counter.key, fresh);
    return fresh;
  }

  #makeRoom(table: Table, now: number): void {
    const { windows } = table;
    if (windows.size < table.sweepAt) return;
    for (const [key, window] of windows) if (now >= window.resetAt) windows.delete(key);
    if (!table.evictable) {
      // Real accounts only, so bounded by the user count: nothing live is dropped, and the next
      // sweep waits until the table has doubled (docs/security.md rule 29).
      table.sweepAt = Math.max(this.#maxEvictable, windows.size * 2);
      return;
    }
    if (windows.size < this.#maxEvictable) return;
    // Still full (an attack from very many addresses): forget the oldest of this table only.
    let drop = windows.size - this.#maxEvictable / 2;
    for (const key of windows.keys()) {
      if (drop-- <= 0) break;
      windows.delete(key);
    }
  }
}

/** A real account (its id), or a sign-in name that matches no account (counted alike, but evictable). */
export type AccountRef = string | { name: string } | null;

/** One throttle pair (per client address, per account) for one kind of failure (`name`: sign_in, password, token). */
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

  /** Always the address first, then the account: one lock order for the database's row locks. */
  #keys(ip: string, account: AccountRef): CounterKey[] {
    const keys: CounterKey[] = [{ key: `${this.#name}:ip:${addressBucket(ip)}`, limit: this.#perIp, evictable: true }];
    if (account !== null) keys.push(this.#accountKey(account));
    return keys;
  }

  #accountKey(account: string | { name: string }): CounterKey {
    if (typeof account === 'string') return { key: `${this.#name}:account:${account}`, limit: this.#perAccount, evictable: false };
    return { key: `${this.#name}:name:${account.name.toLowerCase()}`, limit: this.#perAccount, evictable: true };
  }

  /** The counters and clock of a check, for a store that reads them in the same statement as the token. */
  check(ip: string, account: AccountRef): { keys: CounterKey[]; now: number } {
    return { keys: this.#keys(ip, account), now: this.#now() };
  }

  retryAfter(ip: string, account: AccountRef): Promise<number> {
    return this.#counters.retryAfter(this.#keys(ip, account), this.#now());
  }

  fail(ip: string, account: AccountRef): Promise<void> {
    return this.#counters.fail(this.#keys(ip, account), this.#now());
  }

  /** Reserves an attempt before the expensive check (docs/security.md rule 28). */
  take(ip: string, account: AccountRef): Promise<Taken> {
    return this.#counters.take(this.#keys(ip, account), this.#now());
  }

  /** Gives back the slots of an attempt that failed for another reason than a wrong guess. */
  refund(slots: Slot[]): Promise<void> {
    return this.#counters.refund(slots);
  }

  /** A success: the address's slot is given back and the account's count starts again. */
  async succeed(account: string | { name: string }, slots: Slot[] = []): Promise<void> {
    const accountKey = this.#accountKey(account).key;
    const others = slots.filter((s) => s.key !== accountKey);
    if (others.length > 0) await this.#counters.refund(others);
    await this.#counters.reset(accountKey);
  }
}
