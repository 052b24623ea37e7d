/** How long PostgreSQL may take, per kind of work (DATABASE_*_TIMEOUT_MS). */
export interface StoreTimeouts {
  /** Opening a connection. */
  connectMs: number;
  /** A statement some caller waits on (a request's reads and writes, its access-log entry). */
  queryMs: number;
  /** A statement of background work nobody waits on (syncs, deliveries), which may be heavier. */
  backgroundQueryMs: number;
}

/**
 * A caller is refused within seconds when the server stops answering, while a sync's batch,
 * which nobody waits on, may take longer before it counts as lost.
 */
export const DEFAULT_POSTGRES_TIMEOUTS: StoreTimeouts = { connectMs: 5000, queryMs: 5000, backgroundQueryMs: 30_000 };
