/**
 * One process per SQLite data dir. The SQLite store keeps its verified-token cache, settings and
 * throttle counters in process memory, which is only right while it is the file's only user; a
 * second `npm run serve` on the same data dir would accept tokens the first one disabled. So the
 * second start is refused with a clear message, and several instances use PostgreSQL instead.
 *
 * The lock is a file holding the owner's pid, created exclusively. A lock whose process is gone
 * (kill -9, power loss) is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `${dataDir} is in use by another patkit process (pid ${pid}). One process serves a SQLite data dir; ` +
        'to run several instances, give each PATKIT_DATABASE_URL=postgres://… (see README "Running several instances").',
    );
    this.name = 'DataDirInUseError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Held processes' locks, so one process can tell its own lock from another's. */
const held = new Set<string>();

/** Takes the data dir's lock or throws `DataDirInUseError`; returns the release function. */
export function claimDataDir(dataDir: string): () => void {
  const file = join(dataDir, 'patkit.lock');
  if (held.has(file)) throw new DataDirInUseError(dataDir, process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      held.add(file);
      return () => {
        if (!held.delete(file)) return;
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) throw new DataDirInUseError(dataDir, pid);
      // Stale: its process is gone. Remove it and try once more (another starter may win the race).
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not take the lock ${file}`);
}
