/**
 * Where secrets live in the extension, and only here: sign-in credentials and the one just-created
 * token secret that the user has not yet confirmed copying.
 *
 * - Credentials: `storage.session` (memory, trusted contexts only, gone when the browser closes).
 *   With "keep me signed in" the credential is kept in `storage.local` instead — the user opted in
 *   and the options page says so — sealed, because content scripts can read `storage.local`
 *   (extension/credential-seal.ts, docs/security.md rule 34). A plain one an older build left there
 *   is sealed on the next start or read ({@link Vault.sealLegacyCredentials}).
 * - The pending secret: `storage.session` only, for at most {@link PENDING_TTL_MS}; confirming it
 *   or the timeout wipes it (docs/security.md rule 19).
 */
import type { User } from '../../lib/model.ts';
import type { PendingSecret } from '../../extension/messaging/protocol.ts';
import { isSealed, type CredentialSeal } from '../../extension/credential-seal.ts';
import type { StorageAreaLike } from '../../extension/settings.ts';

export const PENDING_TTL_MS = 5 * 60 * 1000;
export const PENDING_KEY = 'patkit:pending';
/** The alarm that wipes a pending secret once its time is up, even if no page asks for it again. */
export const PENDING_ALARM = 'patkit:pending-wipe';
const CRED_PREFIX = 'patkit:cred:';

export interface StoredCredential {
  credential: string;
  user: User;
  expiresAt: string | null;
}

export class Vault {
  private readonly session: StorageAreaLike;
  private readonly local: StorageAreaLike;
  private readonly now: () => number;
  private readonly seal: CredentialSeal;

  constructor(session: StorageAreaLike, local: StorageAreaLike, now: () => number, seal: CredentialSeal) {
    this.session = session;
    this.local = local;
    this.now = now;
    this.seal = seal;
  }

  async getCredential(serverId: string): Promise<(StoredCredential & { keep: boolean }) | null> {
    const key = CRED_PREFIX + serverId;
    const fromSession = (await this.session.get(key))[key] as StoredCredential | undefined;
    if (fromSession) return { ...fromSession, keep: false };
    const fromLocal = (await this.local.get(key))[key];
    if (fromLocal === undefined) return null;
    if (!isSealed(fromLocal)) {
      // An older build's plain copy: seal it now (docs/security.md rule 34).
      if (!isStoredCredential(fromLocal)) return null;
      await this.local.set({ [key]: await this.seal.seal(key, fromLocal) });
      return { ...fromLocal, keep: true };
    }
    const opened = await this.seal.open(key, fromLocal);
    // Unopenable (the key is gone with the browser profile's IndexedDB): signed out, not an error.
    if (!isStoredCredential(opened)) {
      await this.local.remove(key);
      return null;
    }
    return { ...opened, keep: true };
  }

  /** At start-up: seals every plain credential an older build kept in `storage.local`. */
  async sealLegacyCredentials(): Promise<number> {
    const all = await this.local.get(null);
    let sealed = 0;
    for (const [key, value] of Object.entries(all)) {
      if (key.startsWith(CRED_PREFIX) && !isSealed(value) && isStoredCredential(value)) {
        await this.local.set({ [key]: await this.seal.seal(key, value) });
        sealed += 1;
      }
    }
    return sealed;
  }

  async setCredential(serverId: string, value: StoredCredential, keep: boolean): Promise<void> {
    const key = CRED_PREFIX + serverId;
    // One place at a time: switching "keep me signed in" off must not leave a copy on disk.
    if (keep) {
      await this.local.set({ [key]: await this.seal.seal(key, value) });
      await this.session.remove(key);
    } else {
      await this.session.set({ [key]: value });
      await this.local.remove(key);
    }
  }

  async clearCredential(serverId: string): Promise<void> {
    const key = CRED_PREFIX + serverId;
    await this.session.remove(key);
    await this.local.remove(key);
  }

  async setPending(serverId: string, created: { token: PendingSecret['token']; secret: string }): Promise<PendingSecret> {
    const pending: PendingSecret = {
      serverId,
      token: created.token,
      secret: created.secret,
      expiresAt: new Date(this.now() + PENDING_TTL_MS).toISOString(),
    };
    await this.session.set({ [PENDING_KEY]: pending });
    return pending;
  }

  /** The pending secret if it has not timed out; a timed-out one is wiped on the spot. */
  async getPending(): Promise<PendingSecret | null> {
    const pending = (await this.session.get(PENDING_KEY))[PENDING_KEY] as PendingSecret | undefined;
    if (!pending) return null;
    if (Date.parse(pending.expiresAt) <= this.now()) {
      await this.session.remove(PENDING_KEY);
      return null;
    }
    return pending;
  }

  /** Wipes the pending secret if it is the one named (or any, when `tokenId` is omitted). */
  async clearPending(tokenId?: string): Promise<void> {
    if (tokenId !== undefined) {
      const pending = (await this.session.get(PENDING_KEY))[PENDING_KEY] as PendingSecret | undefined;
      if (pending && pending.token.id !== tokenId) return;
    }
    await this.session.remove(PENDING_KEY);
  }

  async clearPendingFor(serverId: string): Promise<void> {
    const pending = (await this.session.get(PENDING_KEY))[PENDING_KEY] as PendingSecret | undefined;
    if (pending?.serverId === serverId) await this.session.remove(PENDING_KEY);
  }
}

function isStoredCredential(value: unknown): value is StoredCredential {
  const v = value as Partial<StoredCredential> | null;
  return typeof v === 'object' && v !== null && typeof v.credential === 'string' && typeof v.user === 'object' && v.user !== null;
}
