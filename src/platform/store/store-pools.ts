/**
 * How many PostgreSQL connections a gateway opens, per kind of work (DATABASE_*POOL_SIZE). Each
 * instance opens up to the sum of these and the access log's own two, so several instances behind
 * one server must fit its `max_connections` together (100 by default; PgBouncer beside it when not).
 */
export interface StorePools {
  /** Statements a caller waits on: a request's reads and writes. */
  requests: number;
  /** Background work nobody waits on: the registry and loop index syncs (three feeds at once), deliveries. */
  background: number;
}

export const DEFAULT_POSTGRES_POOLS: StorePools = { requests: 10, background: 6 };

/** The access log's appends, on connections of their own so a busy request pool never delays an answer's entry. */
export const ACCESS_LOG_POOL_SIZE = 2;

/**
 * The `application_name` each pool's sessions carry, so an operator reading `pg_stat_activity`
 * sees which gateway pool holds a connection, and which statement ran long.
 */
export function applicationName(pool: 'requests' | 'access-log' | 'background' | 'migrations'): string {
  return `shenguanzhixin-gateway/${pool}`;
}
