/** The per-server pepper for HMAC digests of tokens and sessions, and the check that a database gets its own. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHmac, randomBytes, type KeyObject } from 'node:crypto';
import { dirname } from 'node:path';
import type { Store } from '../store/store.ts';

/**
 * The pepper: created once, never rotated silently. Several instances creating it at once agree on
 * one file (exclusive create, then read).
 */
export function loadPepper(file: string, sqliteFile: string | null): Buffer {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  if (!existsSync(file)) {
    if (sqliteFile !== null && existsSync(sqliteFile)) {
      throw new Error(`${file} is missing but ${sqliteFile} exists: without it no stored token can be verified`);
    }
    try {
      writeFileSync(file, randomBytes(32), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const pepper = readFileSync(file);
  if (pepper.length < 32) throw new Error(`${file} is damaged (shorter than 32 bytes)`);
  return pepper;
}

/**
 * A database remembers a fingerprint of the pepper it was first served with, so an instance with
 * another pepper (its own data dir instead of the shared pepper file) refuses to start instead of
 * rejecting every token.
 */
export async function checkPepper(store: Store, pepper: KeyObject, file: string): Promise<void> {
  const fingerprint = createHmac('sha256', pepper).update('patkit pepper fingerprint').digest('hex').slice(0, 32);
  const stored = await store.claimFlag('pepper_fingerprint', fingerprint);
  if (stored !== fingerprint) {
    throw new Error(
      `the pepper in ${file} is not the one this database was set up with, so no stored token would verify: ` +
        'give every instance of one database the same pepper (the same PATKIT_PEPPER_FILE, or a copy of the first instance\'s PATKIT_DATA_DIR/pepper)',
    );
  }
}
