import { closeSync, fsyncSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

/** The start of what a statement refused by a stopped embedded store says (store-unavailable.ts knows it). */
export const EMBEDDED_STORE_STOPPED = 'the embedded store (PGlite) stopped';

/**
 * A statement refused because the embedded store PANICked or failed on its files (and has not
 * been reopened since). Its code is PostgreSQL's `crash_shutdown`, what a server tells its sessions
 * when one of its processes PANICs: the store is unavailable, a condition to retry (503), not a
 * fault of the request.
 */
export class EmbeddedStoreStoppedError extends Error {
  readonly code = '57P02';
  constructor(cause: unknown) {
    super(
      `${EMBEDDED_STORE_STOPPED} (${cause instanceof Error ? cause.message : String(cause)}); refused until it is reopened`,
      {
        cause,
      },
    );
    this.name = 'EmbeddedStoreStoppedError';
  }
}

export interface PglitePanicGuardOptions {
  /** PGlite's own folder (its `pg_wal` inside); null for `memory://`, which has no disk to wait for. */
  dataDir: string | null;
  /** Opens a fresh instance on the same folder, once the old one has stopped. */
  reopen(): Promise<PGlite>;
  /** First wait before trying to reopen; each failure doubles it. */
  initialRetryMs?: number;
  /** The longest wait between attempts: how late, at most, the store is back once its disk is. */
  maxRetryMs?: number;
  /** Told when the store stops and when it is open again, for the operator's log. */
  onChange?: (state: { up: boolean; error?: unknown }) => void;
}

export interface PglitePanicGuard {
  /**
   * Stands for whichever instance is current: what the Prisma adapter, the prepared statements
   * and the listeners are given, so a reopened store is theirs without their knowing.
   */
  db: PGlite;
  /** The instance statements go to now. */
  current(): PGlite;
  /** The error that stopped the current instance, or null while it answers. */
  stopped(): Error | null;
  /** Stops trying to reopen and closes the current instance, unless it stopped (closing it would hang). */
  close(): Promise<void>;
}

/**
 * PGlite is PostgreSQL's single backend in this process's WebAssembly, run synchronously on the
 * event loop. Where PostgreSQL PANICs (a WAL write failing: a disk gone read-only or full), a
 * server's backend dies and the postmaster restarts every process from the WAL; PGlite's backend
 * lives on with the WAL write lock still held, and its next statement that flushes the WAL (a
 * SELECT's commit included) loops for ever in `XLogFlush` without yielding: the whole gateway
 * stops, /healthz and SIGTERM included, until it is killed (seen with the data folder's file
 * system remounted read-only under load).
 *
 * An instance that has failed on its files is no more to be trusted (`leavesPgliteUnreliable`):
 * PGlite's file system (Emscripten's NODEFS) records a file it creates before the disk does, and
 * keeps the record when the disk refuses, so a relation file whose creation failed once (the
 * process out of file descriptors: EMFILE) is "already there" to that instance for ever, and every
 * statement that needs it fails with `58P02 could not create file …: File exists` (seen after a
 * flood of connections, until the gateway was restarted). A fresh instance reads the folder anew.
 *
 * So an instance that has answered PANIC or such an error is never given another statement:
 * every statement (a transaction's ROLLBACK after it too) is refused at once with
 * EmbeddedStoreStoppedError (503 STORE_UNAVAILABLE), and in the background a fresh instance is
 * opened on the same folder once a file can be created and written in its `pg_wal` again,
 * PostgreSQL's crash recovery replaying what was committed. The stopped one is never closed
 * (closing runs its code, which may hang); its files are let go and the rest is left to the
 * garbage collector.
 */
export function guardPglite(first: PGlite, options: PglitePanicGuardOptions): PglitePanicGuard {
  const initialRetryMs = Math.max(1, options.initialRetryMs ?? 250);
  const maxRetryMs = Math.max(initialRetryMs, options.maxRetryMs ?? 2_000);
  let current = first;
  let stopped: EmbeddedStoreStoppedError | null = null;
  let retryMs = initialRetryMs;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const stop = (instance: PGlite, failure: unknown): EmbeddedStoreStoppedError => {
    if (instance !== current) return new EmbeddedStoreStoppedError(failure);
    if (!stopped) {
      stopped = new EmbeddedStoreStoppedError(failure);
      releaseFiles(instance);
      retryMs = initialRetryMs;
      options.onChange?.({ up: false, error: stopped });
      schedule();
    }
    return stopped;
  };

  const guard = (instance: PGlite): PGlite => {
    const refused = () =>
      instance !== current || stopped ? (stopped ?? new EmbeddedStoreStoppedError('replaced')) : null;
    const rawSync = instance.execProtocolRawSync.bind(instance);
    // Everything PGlite sends its backend passes here, its own transactions' ROLLBACK included.
    instance.execProtocolRawSync = (message) => {
      const refusal = refused();
      if (refusal) throw refusal;
      return rawSync(message);
    };
    const execProtocol = instance.execProtocol.bind(instance);
    instance.execProtocol = async (message, protocolOptions) => {
      try {
        const result = await execProtocol(message, protocolOptions);
        const failure = result.messages.find(leavesPgliteUnreliable);
        if (failure) throw stop(instance, failure);
        return result;
      } catch (error) {
        throw leavesPgliteUnreliable(error) ? stop(instance, error) : error;
      }
    };
    const execProtocolStream = instance.execProtocolStream.bind(instance);
    instance.execProtocolStream = async (message, protocolOptions) => {
      try {
        const messages = await execProtocolStream(message, protocolOptions);
        const failure = messages.find(leavesPgliteUnreliable);
        if (failure) throw stop(instance, failure);
        return messages;
      } catch (error) {
        throw leavesPgliteUnreliable(error) ? stop(instance, error) : error;
      }
    };
    return instance;
  };

  const schedule = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void reopen();
    }, retryMs);
    timer.unref();
  };

  const reopen = async () => {
    if (closed || !stopped) return;
    try {
      // A file created and written where the PANIC happened, first: opening on a disk still refusing
      // writes would PANIC again, and opening while no file can be opened would fail half-way.
      if (options.dataDir) writeProbe(join(options.dataDir, 'pg_wal'));
      const next = guard(await options.reopen());
      if (closed) {
        await next.close();
        return;
      }
      current = next;
      stopped = null;
      options.onChange?.({ up: true });
    } catch {
      retryMs = Math.min(retryMs * 2, maxRetryMs);
      schedule();
    }
  };

  guard(first);
  // The target only lends its prototype (`instanceof PGlite` holds): a stopped instance is referenced by nothing here once replaced.
  const db = new Proxy(Object.create(Object.getPrototypeOf(first) as object) as PGlite, {
    get(_target, property) {
      const value: unknown = Reflect.get(current, property, current);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current) : value;
    },
    set(_target, property, value) {
      return Reflect.set(current, property, value, current);
    },
  });

  return {
    db,
    current: () => current,
    stopped: () => stopped,
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (!stopped && !current.closed) await current.close();
    },
  };
}

/**
 * PostgreSQL's class 58, system_error: an I/O error (58030), or a file of its own missing (58P01)
 * or already there (58P02), none of which a statement can cause.
 */
const SYSTEM_ERROR = /^58[0-9A-Z]{3}$/;
/** What the store's C library says for EMFILE and ENFILE (musl; glibc's words for EMFILE too). */
const OUT_OF_DESCRIPTORS = /No file descriptors available|Too many open files/;

/**
 * Whether an error from PGlite means its instance can no longer be trusted: a PANIC, a system
 * error (class 58), or insufficient_resources (53000) for want of file descriptors, where a file
 * it was creating may be left recorded as there. Never an error of the statement's own (a
 * constraint, a syntax error, a timeout), nor a full disk (53100), which PGlite survives.
 */
export function leavesPgliteUnreliable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { severity, code } = error as { severity?: unknown; code?: unknown };
  if (severity === 'PANIC') return true;
  if (typeof code !== 'string') return false;
  return SYSTEM_ERROR.test(code) || (code === '53000' && OUT_OF_DESCRIPTORS.test(error.message));
}

interface EmscriptenStream {
  nfd?: unknown;
}

/**
 * Closes the host files a stopped instance holds open (its relation and WAL files, each a
 * descriptor of this process: about 80 after a little work) without running any of its code, so
 * an instance stopped for want of descriptors does not keep them for ever.
 */
function releaseFiles(instance: PGlite): void {
  const fs = (instance.Module as { FS?: { streams?: unknown; close?(stream: EmscriptenStream): void } } | undefined)
    ?.FS;
  if (!fs || !Array.isArray(fs.streams) || typeof fs.close !== 'function') return;
  // A copy: closing a stream empties its place in the table.
  for (const stream of [...(fs.streams as Array<EmscriptenStream | null>)]) {
    if (!stream || typeof stream.nfd !== 'number') continue;
    try {
      fs.close(stream);
    } catch {
      // Already closed, or the host refused: nothing more to let go of.
    }
  }
}

/** Writes, syncs and removes a small file in `folder`; throws when the disk refuses. */
function writeProbe(folder: string): void {
  const path = join(folder, `.gateway-write-probe-${process.pid}`);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, 'probe');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
    unlinkSync(path);
  }
}
