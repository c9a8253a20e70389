/**
 * Verified-token lookups by digest, kept in this process so a repeated verification skips the
 * database read. Bounded (the least recently used go first; a token pushed out is read again at its
 * next use, docs/security.md rule 8). The store that owns it says when it is stale: every change that
 * can refuse or narrow a token empties it (`clear`), while a change that cannot (recording a use)
 * drops only that token's entries (`forgetToken`), so one token's last-use write does not make every
 * other token miss.
 */
import { BoundedMap } from '../bounded-map.ts';
import type { TokenAuthRecord } from './records.ts';

/** Verified lookups cached at most per process (the least recently used go first). */
export const VERIFIED_TOKEN_LIMIT = 10_000;

/** Cached values: a token's record, or (PostgreSQL) a record with the epoch it was read at. */
export class VerifiedTokenCache<V extends { readonly id: string } = TokenAuthRecord> {
  readonly #records: BoundedMap<string, V>;
  /** The digest keys each token is cached under (its current secret, and its previous one in a grace). */
  #keysById = new Map<string, string[]>();

  constructor(limit: number = VERIFIED_TOKEN_LIMIT) {
    this.#records = new BoundedMap(limit);
  }

  get size(): number {
    return this.#records.size;
  }

  /** The cache key of a digest. */
  static key(digest: Buffer): string {
    return digest.toString('base64');
  }

  get(key: string): V | undefined {
    return this.#records.get(key);
  }

  has(key: string): boolean {
    return this.#records.has(key);
  }

  set(key: string, record: V): void {
    this.#records.set(key, record);
    const keys = this.#keysById.get(record.id);
    if (keys === undefined) this.#keysById.set(record.id, [key]);
    else if (!keys.includes(key)) keys.push(key);
    // Keys of records the bounded map has pushed out stay listed until here: rebuilt from what is
    // still cached once the index holds twice the limit, so it stays bounded too.
    if (this.#keysById.size > 2 * this.#records.limit) this.#reindex();
  }

  /** Drops this token's entries (under any of its digests); other tokens stay cached. */
  forgetToken(id: string): void {
    const keys = this.#keysById.get(id);
    if (keys === undefined) return;
    this.#keysById.delete(id);
    for (const key of keys) this.#records.delete(key);
  }

  clear(): void {
    this.#records.clear();
    this.#keysById = new Map();
  }

  #reindex(): void {
    const index = new Map<string, string[]>();
    for (const key of this.#records.keys()) {
      const id = this.#records.peek(key)!.id;
      const keys = index.get(id);
      if (keys === undefined) index.set(id, [key]);
      else keys.push(key);
    }
    this.#keysById = index;
  }
}
