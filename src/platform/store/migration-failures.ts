/**
 * What a start says when migrating the PostgreSQL store fails: what did not answer, after how long
 * and which setting bounds it, so an operator can act without reading a stack. Never the URL's
 * user or password.
 */
import { StartFailure } from '../start-failure.ts';
import type { MigrationTimeouts } from './store-timeouts.ts';

/** A start that failed for a reason these messages already say in full: no stack is needed to act on it. */
export class StoreStartFailure extends StartFailure {}

/** pg's own words for its connect bound, and for a statement it stopped waiting for. */
const CONNECT_TIMED_OUT = /timeout expired|connection timeout|timeout exceeded when trying to connect/;
const READ_TIMED_OUT = /Query read timeout/;
/** SQLSTATEs: a lock not granted within lock_timeout; a statement cancelled at statement_timeout. */
const LOCK_NOT_AVAILABLE = '55P03';
const QUERY_CANCELED = '57014';

export function unopenedForMigrations(databaseUrl: string, connectMs: number, error: unknown): Error {
  const server = `PostgreSQL at ${serverOf(databaseUrl)}`;
  return new StoreStartFailure(
    says(error, CONNECT_TIMED_OUT)
      ? `${server} did not answer within ${connectMs} ms (DATABASE_CONNECT_TIMEOUT_MS) while opening the store for migrations`
      : `${server} could not be opened for migrations: ${whatItSays(error)}`,
    { cause: error },
  );
}

export function migrationLockFailure(migrationMs: number, error: unknown): Error {
  if (hasCode(error, LOCK_NOT_AVAILABLE)) {
    return new StoreStartFailure(
      `another gateway has held the PostgreSQL migration lock for ${migrationMs} ms (DATABASE_MIGRATION_TIMEOUT_MS) ` +
        "while this one waited to migrate: it may be running a long migration, or be stuck (pg_locks shows the holder, locktype 'advisory')",
      { cause: error },
    );
  }
  return new StoreStartFailure(
    says(error, READ_TIMED_OUT)
      ? `PostgreSQL did not answer within ${migrationMs} ms (DATABASE_MIGRATION_TIMEOUT_MS) while this gateway waited for the migration lock`
      : `taking the PostgreSQL migration lock failed: ${whatItSays(error)}`,
    { cause: error },
  );
}

export function migrationFailure(timeouts: MigrationTimeouts, error: unknown): Error {
  const bound = `${timeouts.migrationMs} ms (DATABASE_MIGRATION_TIMEOUT_MS)`;
  if (says(error, CONNECT_TIMED_OUT) && !says(error, /migration_name=/)) {
    return new StoreStartFailure(
      `PostgreSQL did not answer within ${timeouts.connectMs} ms (DATABASE_CONNECT_TIMEOUT_MS) while opening the migration connection`,
      { cause: error },
    );
  }
  const what =
    hasCode(error, QUERY_CANCELED) || says(error, /statement timeout/)
      ? `a PostgreSQL migration statement ran longer than ${bound} and was cancelled`
      : says(error, READ_TIMED_OUT)
        ? `PostgreSQL did not answer within ${bound} while applying migrations`
        : `applying PostgreSQL migrations failed: ${whatItSays(error)}`;
  return new StoreStartFailure(`${what}${whatToDo(error)}`, { cause: error });
}

/**
 * The engine runs a migration's statements one by one, each committed, and records the migration
 * as failed when one fails: every later start then refuses to migrate (P3009) until someone
 * looks. Say so, and how to let the next start apply it again.
 */
function whatToDo(error: unknown): string {
  const name = messages(error)
    .map((message) => /migration_name="?([\w-]+)"?/.exec(message)?.[1] ?? /`([\w-]+)` migration/.exec(message)?.[1])
    .find((found) => found !== undefined);
  // Without a name, no row can be named safely: another gateway's migration in progress has none finished either.
  if (!name) {
    return (
      '. If a migration was left recorded as failed, every start refuses to migrate until it is cleared: ' +
      'SELECT migration_name, logs FROM _prisma_migrations WHERE finished_at IS NULL AND rolled_back_at IS NULL shows it'
    );
  }
  return (
    `. The migration ${name} may now be recorded as failed and partly applied; every start refuses to migrate until it is cleared: ` +
    `undo what it applied, then DELETE FROM _prisma_migrations WHERE migration_name = '${name}' AND finished_at IS NULL AND rolled_back_at IS NULL, and start again`
  );
}

/** Host (or socket folder), port and database: enough to tell which server, nothing to log in with. */
function serverOf(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    const host = url.searchParams.get('host') ?? (decodeURIComponent(url.hostname) || 'localhost');
    const port = url.searchParams.get('port') ?? (url.port || '5432');
    return `${host}:${port}${decodeURIComponent(url.pathname)}`;
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
    // A dual-stack connect refused on both addresses is an AggregateError with an empty message.
    const errors = record['errors'];
    current =
      record['cause'] ??
      (meta && typeof meta === 'object' ? (meta as Record<string, unknown>)['driverAdapterError'] : undefined) ??
      (Array.isArray(errors) ? errors[0] : undefined);
  }
  return found;
}

function says(error: unknown, words: RegExp): boolean {
  return chain(error).some((link) => typeof link['message'] === 'string' && words.test(link['message']));
}

function hasCode(error: unknown, code: string): boolean {
  return chain(error).some((link) => link['code'] === code);
}

function messages(error: unknown): string[] {
  return chain(error).flatMap((link) => (typeof link['message'] === 'string' ? [link['message']] : []));
}

/** The error's words and its causes', without the engine's WebAssembly backtrace, on one line. */
function whatItSays(error: unknown): string {
  const lines = messages(error)
    .flatMap((message) => message.split('\n'))
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^\d+: /.test(line) && !/^(at|with) /.test(line));
  const said = [...new Set(lines)].join('; ');
  return said === '' ? String(error) : said;
}
