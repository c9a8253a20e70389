/**
 * Seeded `randomBytes` for the in-process server of the visual suite: the server's public ids
 * (`tok_…`, `org_…`) and example secrets come from it, and the console shows them (the audit log,
 * the Access column), where a different id each run would change the text and the column widths.
 * Only the values change, not how they are used; nothing outside the visual suite's own process
 * sees it. SHA-256 in counter mode from a fixed seed: the same bytes in the same order every run.
 */
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';

export function seedRandomBytes(seed = 'patkit-visual'): void {
  let counter = 0;
  const next = (size: number): Buffer => {
    const chunks: Buffer[] = [];
    for (let have = 0; have < size; have += 32) chunks.push(crypto.createHash('sha256').update(`${seed}:${counter++}`).digest());
    return Buffer.concat(chunks).subarray(0, size);
  };
  const seeded = ((size: number, callback?: (error: Error | null, buf: Buffer) => void) => {
    const bytes = next(size);
    if (!callback) return bytes;
    queueMicrotask(() => callback(null, bytes));
    return undefined;
  }) as typeof crypto.randomBytes;
  crypto.randomBytes = seeded;
  // ES module importers of node:crypto (`import { randomBytes }`) see the replacement too.
  syncBuiltinESMExports();
}
