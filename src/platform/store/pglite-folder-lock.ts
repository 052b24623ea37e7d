import { linkSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { StoreStartFailure } from './migration-failures.ts';

/**
 * PGlite is one process's PostgreSQL: two processes opening one folder each run a copy of it, and
 * the one that writes last overwrites the other's rows, access-log entries included, while each
 * chain still verifies. So a folder is held by one process at a time, through `<folder>.lock`
 * naming its pid; a lock whose process is gone (a crash, a kill) is taken over.
 */
export interface PgliteFolderLock {
  release(): void;
}

export function lockPgliteFolder(dataDir: string): PgliteFolderLock {
  const lockPath = `${dataDir}.lock`;
  const mine = String(process.pid);
  // Written aside and linked into place, so the lock appears whole or not at all.
  const draft = `${lockPath}.${mine}`;
  writeFileSync(draft, mine);
  try {
    takeLock(draft, lockPath, dataDir, mine);
  } finally {
    unlinkSync(draft);
  }
  return {
    release() {
      if (readHolder(lockPath) === mine) rmSync(lockPath, { force: true });
    },
  };
}

function takeLock(draft: string, lockPath: string, dataDir: string, mine: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      linkSync(draft, lockPath);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(lockPath);
    if (holder === mine) return;
    if (holder !== null && isRunning(Number(holder))) throw inUse(dataDir, holder, lockPath);
    // Its process is gone: the lock is stale. Another starting process may take it first.
    if (attempt === 0) rmSync(lockPath, { force: true });
  }
  throw inUse(dataDir, readHolder(lockPath) ?? 'unknown', lockPath);
}

function inUse(dataDir: string, holder: string, lockPath: string): StoreStartFailure {
  return new StoreStartFailure(
    `the embedded store at ${dataDir} is in use by process ${holder} (PGlite allows one process per folder): stop it, or set another DATA_DIR. If no such process is yours, delete ${lockPath}`,
  );
}

function readHolder(lockPath: string): string | null {
  try {
    return readFileSync(lockPath, 'utf8').trim();
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
