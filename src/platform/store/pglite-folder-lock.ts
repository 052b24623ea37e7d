import { linkSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { StoreStartFailure } from './migration-failures.ts';

/**
 * PGlite is one process's PostgreSQL: two processes opening one folder each run a copy of it, and
 * the one that writes last overwrites the other's rows, access-log entries included, while each
 * chain still verifies. So a folder is held by one process at a time, through `<folder>.lock`
 * naming its pid; a lock whose process is gone (a crash, a kill) is taken over.
 *
 * A pid alone outlives its process: after a reboot or a container restart another process (the
 * npm that started this one, say) may have the old pid, and a crashed gateway could then never
 * start again without someone deleting the lock. So where the system says (Linux's /proc), the
 * lock also names the boot and the process's start time, and a running process with that pid but
 * another start is not the holder.
 */
export interface PgliteFolderLock {
  release(): void;
}

export function lockPgliteFolder(dataDir: string): PgliteFolderLock {
  const lockPath = `${dataDir}.lock`;
  const mine = holderLine(process.pid);
  // Written aside and linked into place, so the lock appears whole or not at all.
  const draft = `${lockPath}.${process.pid}`;
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
    if (holder !== null && holds(holder)) throw inUse(dataDir, pidOf(holder), lockPath);
    // Its process is gone: the lock is stale. Another starting process may take it first.
    if (attempt === 0) rmSync(lockPath, { force: true });
  }
  throw inUse(dataDir, pidOf(readHolder(lockPath) ?? 'unknown'), lockPath);
}

function inUse(dataDir: string, holder: string, lockPath: string): StoreStartFailure {
  return new StoreStartFailure(
    `the embedded store at ${dataDir} is in use by process ${holder} (PGlite allows one process per folder): stop it, or set another DATA_DIR. If no such process is yours, delete ${lockPath}`,
  );
}

/** `<pid>` or `<pid> <boot id>:<start time>`: what the lock file says of its holder. */
export function holderLine(pid: number): string {
  const identity = processIdentity(pid);
  return identity === null ? String(pid) : `${pid} ${identity}`;
}

function pidOf(holder: string): string {
  return holder.split(' ')[0] ?? holder;
}

/** Whether the process the lock names still runs: its pid, and where recorded, the same start. */
function holds(holder: string): boolean {
  const [pid, identity] = holder.split(' ');
  if (!isRunning(Number(pid))) return false;
  if (identity === undefined) return true;
  const now = processIdentity(Number(pid));
  // Unreadable (another user's /proc entry hidden, say): the pid runs, so assume it is the holder.
  return now === null || now === identity;
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

/**
 * The boot and the process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat,
 * counted after the command name, which may hold spaces and parentheses); null off Linux.
 */
function processIdentity(pid: number): string | null {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return start && /^\d+$/.test(start) ? `${boot}:${start}` : null;
  } catch {
    return null;
  }
}
