import { closeSync, fsyncSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

/** The start of what a statement refused by a stopped embedded store says (store-unavailable.ts knows it). */
export const EMBEDDED_STORE_STOPPED = 'the embedded store (PGlite) stopped after a PANIC';

/**
 * A statement refused because the embedded store PANICked (and has not been reopened since).
 * Its code is PostgreSQL's `crash_shutdown`, what a server tells its sessions when one of its
 * processes PANICs: the store is unavailable, a condition to retry (503), not a fault of the request.
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
 * So an instance that has answered PANIC is never given another statement: every statement
 * (a transaction's ROLLBACK after the PANIC too) is refused at once with EmbeddedStoreStoppedError
 * (503 STORE_UNAVAILABLE), and in the background a fresh instance is opened on the same folder
 * once a write into its `pg_wal` succeeds again, PostgreSQL's crash recovery replaying what was
 * committed; the stopped one is left to the garbage collector, never closed.
 */
export function guardPglite(first: PGlite, options: PglitePanicGuardOptions): PglitePanicGuard {
  const initialRetryMs = Math.max(1, options.initialRetryMs ?? 250);
  const maxRetryMs = Math.max(initialRetryMs, options.maxRetryMs ?? 2_000);
  let current = first;
  let stopped: EmbeddedStoreStoppedError | null = null;
  let retryMs = initialRetryMs;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const stop = (instance: PGlite, panic: unknown): EmbeddedStoreStoppedError => {
    if (instance !== current) return new EmbeddedStoreStoppedError(panic);
    if (!stopped) {
      stopped = new EmbeddedStoreStoppedError(panic);
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
        const panic = panicIn(result.messages);
        if (panic) throw stop(instance, panic);
        return result;
      } catch (error) {
        throw isPanic(error) ? stop(instance, error) : error;
      }
    };
    const execProtocolStream = instance.execProtocolStream.bind(instance);
    instance.execProtocolStream = async (message, protocolOptions) => {
      try {
        const messages = await execProtocolStream(message, protocolOptions);
        const panic = panicIn(messages);
        if (panic) throw stop(instance, panic);
        return messages;
      } catch (error) {
        throw isPanic(error) ? stop(instance, error) : error;
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
      // A write where the PANIC happened, first: opening on a disk still refusing writes would PANIC again.
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

function isPanic(error: unknown): boolean {
  return error instanceof Error && (error as { severity?: unknown }).severity === 'PANIC';
}

function panicIn(messages: readonly unknown[]): unknown {
  return messages.find(isPanic);
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
