/**
 * What a start says when migrating the PostgreSQL store fails: what did not answer, after how long
 * and which setting bounds it, so an operator can act without reading a stack. Never the URL's
 * user or password.
 */
import type { MigrationTimeouts } from './store-timeouts.ts';

/** pg's own words for its connect bound, and for a statement it stopped waiting for. */
const CONNECT_TIMED_OUT = /timeout expired|connection timeout|timeout exceeded when trying to connect/;
const READ_TIMED_OUT = /Query read timeout/;
/** SQLSTATEs: a lock not granted within lock_timeout; a statement cancelled at statement_timeout. */
const LOCK_NOT_AVAILABLE = '55P03';
const QUERY_CANCELED = '57014';

export function unopenedForMigrations(databaseUrl: string, connectMs: number, error: unknown): Error {
  const server = `PostgreSQL at ${serverOf(databaseUrl)}`;
  return new Error(
    says(error, CONNECT_TIMED_OUT)
      ? `${server} did not answer within ${connectMs} ms (DATABASE_CONNECT_TIMEOUT_MS) while opening the store for migrations`
      : `${server} could not be opened for migrations: ${firstMessage(error)}`,
    { cause: error },
  );
}

export function migrationLockFailure(migrationMs: number, error: unknown): Error {
  if (hasCode(error, LOCK_NOT_AVAILABLE)) {
    return new Error(
      `another gateway has held the PostgreSQL migration lock for ${migrationMs} ms (DATABASE_MIGRATION_TIMEOUT_MS) ` +
        "while this one waited to migrate: it may be running a long migration, or be stuck (pg_locks shows the holder, locktype 'advisory')",
      { cause: error },
    );
  }
  return new Error(
    says(error, READ_TIMED_OUT)
      ? `PostgreSQL did not answer within ${migrationMs} ms (DATABASE_MIGRATION_TIMEOUT_MS) while this gateway waited for the migration lock`
      : `taking the PostgreSQL migration lock failed: ${firstMessage(error)}`,
    { cause: error },
  );
}

export function migrationFailure(timeouts: MigrationTimeouts, error: unknown): Error {
  const bound = `${timeouts.migrationMs} ms (DATABASE_MIGRATION_TIMEOUT_MS)`;
  const message =
    hasCode(error, QUERY_CANCELED) || says(error, /statement timeout/)
      ? `a PostgreSQL migration statement ran longer than ${bound} and was cancelled`
      : says(error, READ_TIMED_OUT)
        ? `PostgreSQL did not answer within ${bound} while applying migrations`
        : says(error, CONNECT_TIMED_OUT)
          ? `PostgreSQL did not answer within ${timeouts.connectMs} ms (DATABASE_CONNECT_TIMEOUT_MS) while opening the migration connection`
          : `applying PostgreSQL migrations failed: ${firstMessage(error)}`;
  return new Error(message, { cause: error });
}

/** Host, port and database: enough to tell which server, nothing to log in with. */
function serverOf(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

/** The error and what it wraps: pg's errors, Prisma's driver adapter errors, the engine's. */
function chain(error: unknown): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  let current: unknown = error;
  while (current !== null && typeof current === 'object' && found.length < 10) {
    const record = current as Record<string, unknown>;
    if (found.includes(record)) break;
    found.push(record);
    const meta = record['meta'];
    current =
      record['cause'] ??
      (meta && typeof meta === 'object' ? (meta as Record<string, unknown>)['driverAdapterError'] : undefined);
  }
  return found;
}

function says(error: unknown, words: RegExp): boolean {
  return chain(error).some((link) => typeof link['message'] === 'string' && words.test(link['message']));
}

function hasCode(error: unknown, code: string): boolean {
  return chain(error).some((link) => link['code'] === code);
}

function firstMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
