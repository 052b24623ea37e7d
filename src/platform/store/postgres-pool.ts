import pg from 'pg';

/**
 * A `pg.Pool` each connection of which is listened on for its whole life, from the moment it opens.
 * Every pool of the gateway's is opened here (lint refuses `new pg.Pool` and a `PrismaPg` given a
 * config elsewhere in src/).
 *
 * pg-pool listens on a connection only while it is idle; one handed out is its borrower's to
 * listen on, and PrismaPg starts listening on a transaction's connection only after an `await`.
 * A server that terminates a backend as soon as it is ready (a `pg_terminate_backend` sweep, a
 * fast shutdown or failover while the pool reconnects) sends ReadyForQuery and the FATAL 57P01
 * together; pg reads both at once, hands the connection out on the first and emits the second as
 * an 'error' event before the borrower listens, and an 'error' nobody hears ends the process.
 *
 * So each connection gets a listener as it opens (the pool's 'connect' event, emitted before it
 * is handed out), and the pool one for the idle connections it drops. Nothing is hidden by them:
 * a broken connection fails its borrower's next statement (the store unavailable: 503, then the
 * store's health probes it back), and the pool closes it when it comes back and opens a fresh one
 * for the next statement.
 */
export function openPostgresPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('error', heardElsewhere);
  pool.on('connect', (connection) => connection.on('error', heardElsewhere));
  return pool;
}

/** The failure reaches whoever uses the connection next; the event itself needs no handling. */
function heardElsewhere(): void {}
