import { StoreStartFailure } from './migration-failures.ts';

/**
 * Failures that say the database is not there yet or dropped the connection, not that anything is
 * wrong with it or with us: refused, reset or timed-out connections, a backend terminated (57P01,
 * 57P02) or a server still starting (57P03), a connection exception (class 08). A lock held by
 * another gateway (55P03), a failed migration (P3009) or a bad password are not among them: waiting
 * would not change them, and a migration left half-applied must not be run again blindly.
 */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
]);
const TRANSIENT_WORDS =
  /Connection terminated|connection error and is not queryable|timeout expired|timeout exceeded when trying to connect|terminating connection due to administrator command|the database system is (starting up|shutting down)/;

export function isTransientStartFailure(failure: unknown): boolean {
  for (let error = failure; error instanceof Error || (typeof error === 'object' && error !== null);) {
    const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string' && (TRANSIENT_CODES.has(code) || code.startsWith('08'))) return true;
    if (typeof message === 'string' && TRANSIENT_WORDS.test(message)) return true;
    error = cause;
  }
  return false;
}

/** The first wait, doubled after each failure up to the longest; each drawn between half and all of it. */
const FIRST_WAIT_MS = 250;
const LONGEST_WAIT_MS = 5000;

/**
 * Runs `attempt` (opening and migrating the store) again after a transient failure, with
 * exponential back-off, until it succeeds or `waitMs` has passed: a gateway started beside its
 * database, or during a fail-over, waits for it instead of exiting at the first refused
 * connection. `waitMs` 0 tries once. The last failure is told with how long the start waited.
 */
export async function waitingForDatabase<T>(
  attempt: () => Promise<T>,
  waitMs: number,
  onWait: (failure: unknown, retryInMs: number) => void = () => undefined,
): Promise<T> {
  const giveUpAt = Date.now() + waitMs;
  for (let tries = 0; ; tries += 1) {
    try {
      return await attempt();
    } catch (failure) {
      const left = giveUpAt - Date.now();
      if (!isTransientStartFailure(failure)) throw failure;
      if (left <= 0) {
        if (waitMs === 0) throw failure;
        const said = failure instanceof Error ? failure.message : String(failure);
        throw new StoreStartFailure(`${said}; still so after waiting ${waitMs} ms (DATABASE_START_WAIT_MS)`, {
          cause: failure,
        });
      }
      const step = Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.min(tries, 10));
      const retryInMs = Math.min(left, Math.round(step / 2 + (Math.random() * step) / 2));
      onWait(failure, retryInMs);
      await new Promise((resolve) => setTimeout(resolve, retryInMs));
    }
  }
}

/** What a wait says: `waiting for PostgreSQL (<the failure, on one line>); trying again in <ms> ms`. */
export function startWaitLine(failure: unknown, retryInMs: number): string {
  const said = failure instanceof Error ? failure.message.replace(/\s*\n\s*/g, '; ') : String(failure);
  return `waiting for PostgreSQL (${said}); trying again in ${retryInMs} ms`;
}
