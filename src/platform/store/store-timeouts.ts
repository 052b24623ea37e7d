/** How long PostgreSQL may take, per kind of work (DATABASE_*_TIMEOUT_MS). */
export interface StoreTimeouts {
  /** Opening a connection. */
  connectMs: number;
  /** A statement some caller waits on (a request's reads and writes, its access-log entry). */
  queryMs: number;
  /** A statement of background work nobody waits on (syncs, deliveries), which may be heavier. */
  backgroundQueryMs: number;
  /**
   * A migration statement at start (an index build on a big table may take minutes), and the wait
   * for the migration lock another starting gateway holds.
   */
  migrationMs: number;
  /**
   * How long a start keeps trying to open and migrate the store while the database is not there
   * yet or drops the connection (refused, terminated, still starting); unset or 0: one try.
   */
  startWaitMs?: number;
}

/** What migrating at start waits on: a connection, then the lock and each statement. */
export type MigrationTimeouts = Pick<StoreTimeouts, 'connectMs' | 'migrationMs'>;

/**
 * A caller is refused within seconds when the server stops answering, while a sync's batch,
 * which nobody waits on, may take longer before it counts as lost, and a migration longer still.
 */
export const DEFAULT_POSTGRES_TIMEOUTS: StoreTimeouts = {
  connectMs: 5000,
  queryMs: 5000,
  backgroundQueryMs: 30_000,
  migrationMs: 600_000,
  startWaitMs: 60_000,
};

/**
 * The server's own bound on a statement (`statement_timeout`), a little under the client's
 * (`query_timeout`): pg's client bound only stops waiting, and a heavy statement it gave up on
 * would go on running on the server while the pool opened another connection, so that repeated
 * slow requests piled up work there. The server cancels it first (57014); the client's bound is
 * left for a server that does not answer at all.
 */
export function serverBound(clientMs: number): number {
  return Math.max(1, clientMs - 250);
}
