import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { applyMigrations } from './migrate.ts';
import { migrationFailure, migrationLockFailure, unopenedForMigrations } from './migration-failures.ts';
import { openPostgresPool } from './postgres-pool.ts';
import { applicationName } from './store-pools.ts';
import { serverBound, type MigrationTimeouts } from './store-timeouts.ts';

/** Any 64-bit key of our own; distinct from the one Prisma's engine takes inside (72707369). */
export const MIGRATION_LOCK_KEY = 2_024_061_901;

/**
 * Applies migrations to a PostgreSQL database while holding a session advisory lock, so gateway
 * processes starting together migrate one after the other; the later ones find nothing to do.
 * The engine gets a pool of exactly one connection: its own advisory lock is per session and
 * would not protect anything if its statements were spread over a pool.
 *
 * Every wait is bounded, so a start fails with a reason rather than hanging: connecting by
 * `connectMs` (a server that accepts but never answers), each migration statement and the wait
 * for another gateway's lock by the generous `migrationMs` (an index build may take minutes).
 */
export async function applyPostgresMigrations(databaseUrl: string, timeouts: MigrationTimeouts): Promise<string[]> {
  const session = {
    connectionString: databaseUrl,
    application_name: applicationName('migrations'),
    connectionTimeoutMillis: timeouts.connectMs,
    query_timeout: timeouts.migrationMs,
    keepAlive: true,
  };
  // lock_timeout bounds the wait for an advisory lock like any other; under the client's bound, so
  // a lock held elsewhere is told apart from a server that stopped answering.
  const lockHolder = new pg.Client({ ...session, lock_timeout: serverBound(timeouts.migrationMs) });
  // A connection lost while the engine works is an 'error' event here, which unheard would end the process.
  lockHolder.on('error', () => undefined);
  await lockHolder.connect().catch((error: unknown) => {
    throw unopenedForMigrations(databaseUrl, timeouts.connectMs, error);
  });
  try {
    await askForKeepalives(lockHolder);
    await lockHolder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]).catch((error: unknown) => {
      throw migrationLockFailure(timeouts.migrationMs, error);
    });
    try {
      return await migrateOnOneConnection({ ...session, statement_timeout: serverBound(timeouts.migrationMs) }).catch(
        (error: unknown) => {
          throw migrationFailure(timeouts, error);
        },
      );
    } finally {
      await releaseMigrationLock(lockHolder, timeouts.connectMs);
    }
  } finally {
    // With a statement left unanswered, pg cuts the socket instead of waiting for a goodbye.
    await lockHolder.end();
  }
}

async function migrateOnOneConnection(session: pg.PoolConfig): Promise<string[]> {
  // The engine never closes its connection and releases its own lock only when the session ends,
  // so it gets a pool we end ourselves; otherwise the next process waits for the idle timeout.
  // The keepalives are asked for on each new connection before the pool hands it to the engine
  // (pg-pool's onConnect): a query queued from the 'connect' event ran beside the engine's first
  // statement, which pg reports as a DeprecationWarning on every PostgreSQL start.
  // A connection lost is an 'error' event, heard there; the engine's next statement fails by itself.
  const pool = openPostgresPool({ ...session, max: 1, onConnect: askForKeepalives });
  try {
    return await applyMigrations(new PrismaPg(pool));
  } finally {
    await pool.end();
  }
}

/**
 * Ending the session would release the lock too, but on a server that stopped answering pg's
 * graceful end waits for a goodbye that never comes. An unlock bounded like a connection either
 * releases the lock or, left unanswered, makes the end that follows cut the socket.
 */
async function releaseMigrationLock(lockHolder: pg.Client, boundMs: number): Promise<void> {
  const unlock: pg.QueryConfig & { query_timeout: number } = {
    text: 'SELECT pg_advisory_unlock($1)',
    values: [MIGRATION_LOCK_KEY],
    query_timeout: boundMs,
  };
  await lockHolder.query(unlock).catch(() => undefined);
}

/**
 * Both migration sessions hold an advisory lock (ours, and the engine's own). Should the network
 * drop them without a goodbye, the server would keep each session, and its lock, until its TCP
 * keepalive notices: about two hours by Linux's defaults, every start meanwhile waiting out
 * DATABASE_MIGRATION_TIMEOUT_MS. Asking the server to probe after 10 s frees them within about 25 s.
 * A SET on the session rather than startup `options`, which poolers such as PgBouncer refuse.
 * Best effort: a server or pooler that refuses it changes nothing else.
 */
export async function askForKeepalives(session: pg.ClientBase): Promise<void> {
  await session
    .query('SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3')
    .catch(() => undefined);
}
