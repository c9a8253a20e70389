/**
 * When a token's use was last noted, per token and client address, so the last-use write and the
 * previous-secret audit happen at most once a minute per pair instead of once per request. Bounded
 * in tokens and in addresses per token (the least recently noted go first), and a deleted token is
 * forgotten at once. Forgetting is safe: the caller then compares with the use the database holds
 * and at worst writes once more; it never skips a write it owes.
 */
import { BoundedMap } from '../bounded-map.ts';

/** Tokens remembered at most. */
export const DEBOUNCED_TOKENS = 10_000;
/** Client addresses remembered per token at most. */
export const DEBOUNCED_ADDRESSES_PER_TOKEN = 32;

/** The address key of a use without one (introspection counts per token). */
const NO_ADDRESS = '';

export class UseDebounce {
  readonly #byToken: BoundedMap<string, BoundedMap<string, number>>;
  readonly #addressesPerToken: number;

  constructor(limits: { tokens?: number; addressesPerToken?: number } = {}) {
    this.#byToken = new BoundedMap(limits.tokens ?? DEBOUNCED_TOKENS);
    this.#addressesPerToken = limits.addressesPerToken ?? DEBOUNCED_ADDRESSES_PER_TOKEN;
  }

  /** Tokens remembered now. */
  get size(): number {
    return this.#byToken.size;
  }

  /** Addresses remembered now for this token. */
  addressesOf(tokenId: string): number {
    return this.#byToken.get(tokenId)?.size ?? 0;
  }

  /** When the use of this token from this address was last noted, if remembered. */
  last(tokenId: string, ip: string | null): number | undefined {
    return this.#byToken.get(tokenId)?.get(ip ?? NO_ADDRESS);
  }

  note(tokenId: string, ip: string | null, at: number): void {
    let addresses = this.#byToken.get(tokenId);
    if (!addresses) this.#byToken.set(tokenId, (addresses = new BoundedMap(this.#addressesPerToken)));
    addresses.set(ip ?? NO_ADDRESS, at);
  }

  /** A deleted token: nothing of it is kept. */
  forget(tokenId: string): void {
    this.#byToken.delete(tokenId);
  }
}
