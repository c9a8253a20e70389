/**
 * Bounds the password hashes (scrypt, 128 MiB and about half a second each) running at once in
 * this process: per account, per client address and in total (docs/security.md rule 28). A check
 * over a bound is refused at once with 429 rather than queued, so a burst cannot pile up work.
 */
import { Problem } from '../http/problems.ts';
import { addressBucket } from './client-address.ts';
import type { HashLimits } from './throttle.ts';

export class HashGate {
  readonly #limits: HashLimits;
  readonly #running = new Map<string, number>();
  #total = 0;

  constructor(limits: HashLimits) {
    this.#limits = limits;
  }

  /**
   * Admits one password check for this client address and account (an account id, or the name
   * tried when it matches none); returns the function that ends it. Throws 429 when a bound is full.
   */
  enter(address: string, account: string): () => void {
    const keys = [`address:${addressBucket(address)}`, `account:${account}`];
    const bounds = [this.#limits.perAddress, this.#limits.perAccount];
    if (this.#total >= this.#limits.total || keys.some((key, i) => (this.#running.get(key) ?? 0) >= bounds[i]!)) {
      throw new Problem(429, 'rate_limited', 'Too many password checks are running at once. Try again in a second.', { retryAfter: 1 });
    }
    this.#total++;
    for (const key of keys) this.#running.set(key, (this.#running.get(key) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#total--;
      for (const key of keys) {
        const left = this.#running.get(key)! - 1;
        if (left === 0) this.#running.delete(key);
        else this.#running.set(key, left);
      }
    };
  }
}
