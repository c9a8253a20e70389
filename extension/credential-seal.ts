/**
 * Sealing for what must survive a browser restart but must not be readable where it is stored
 * (docs/security.md rule 34): "keep me signed in" keeps a server credential in `storage.local`,
 * which content scripts can read too, so it is kept there only as AES-GCM ciphertext. The key is a
 * non-extractable `CryptoKey` in the extension origin's IndexedDB: no content script (they run in the
 * page's origin) can open that database, and no script at all can export the key's bytes.
 *
 * Each sealed value is bound to the name it is stored under (AES-GCM additional data), so a sealed
 * value moved to another key does not open.
 */
import { openDB } from 'idb';

/** Where the sealing key lives: the extension origin's IndexedDB in the browser, memory in unit tests. */
export interface SealKeyStore {
  get(): Promise<CryptoKey | undefined>;
  put(key: CryptoKey): Promise<void>;
}

/** The stored form: `{ sealed: 1, iv, data }`, both base64. */
export interface Sealed {
  sealed: 1;
  iv: string;
  data: string;
}

export function isSealed(value: unknown): value is Sealed {
  const v = value as Partial<Sealed> | null;
  return typeof v === 'object' && v !== null && v.sealed === 1 && typeof v.iv === 'string' && typeof v.data === 'string';
}

const DB_NAME = 'patkit-keys';
const STORE = 'keys';
const KEY_NAME = 'credential-seal';

/** The extension origin's key store (IndexedDB `patkit-keys`); a CryptoKey is stored as itself, by structured clone. */
export function openIdbKeyStore(): SealKeyStore {
  const db = () => openDB(DB_NAME, 1, { upgrade: (d) => void d.createObjectStore(STORE) });
  return {
    async get() {
      return ((await (await db()).get(STORE, KEY_NAME)) as CryptoKey | undefined) ?? undefined;
    },
    async put(key) {
      await (await db()).put(STORE, key, KEY_NAME);
    },
  };
}

/** For unit tests: one key for as long as the store object lives (a browser profile, in effect). */
export function memoryKeyStore(): SealKeyStore {
  let key: CryptoKey | undefined;
  return {
    get: async () => key,
    put: async (k) => {
      key = k;
    },
  };
}

const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const fromBase64 = (s: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const bound = (name: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(`patkit:${name}`);

export class CredentialSeal {
  private readonly keys: SealKeyStore;
  private key: Promise<CryptoKey> | undefined;

  constructor(keys: SealKeyStore) {
    this.keys = keys;
  }

  /** The key, made once (non-extractable) and kept; concurrent first uses share one. */
  private current(): Promise<CryptoKey> {
    this.key ??= (async () => {
      const stored = await this.keys.get();
      if (stored) return stored;
      const made = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
      await this.keys.put(made);
      return made;
    })().catch((error: unknown) => {
      this.key = undefined; // try again next time
      throw error;
    });
    return this.key;
  }

  async seal(name: string, value: unknown): Promise<Sealed> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const plain = new TextEncoder().encode(JSON.stringify(value));
    const data = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: bound(name) }, await this.current(), plain));
    return { sealed: 1, iv: toBase64(iv), data: toBase64(data) };
  }

  /** The value, or null when it cannot be opened (the key is gone, or the value was altered or moved). */
  async open(name: string, sealed: Sealed): Promise<unknown> {
    try {
      const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(sealed.iv), additionalData: bound(name) }, await this.current(), fromBase64(sealed.data));
      return JSON.parse(new TextDecoder().decode(plain));
    } catch {
      return null;
    }
  }
}
