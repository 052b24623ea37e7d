import { createPool, type Pool } from 'mysql2/promise';

/** The exchange database URL without its password, for logs and the start-up banner. */
export function redactDatabaseUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/**
 * Checks a `mysql://` or `mariadb://` URL names a host and a database, so a typo fails at start
 * with what is missing rather than at the first query.
 */
export function checkExchangeDbUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('exchange database URL is not a URL (expected mysql://user:password@host:3306/database)');
  }
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
    throw new Error(`exchange database URL must start with mysql:// or mariadb://, not ${parsed.protocol}//`);
  }
  if (!parsed.hostname) throw new Error('exchange database URL names no host');
  if (parsed.pathname.replace(/^\//, '') === '') throw new Error('exchange database URL names no database');
  return parsed;
}

export interface ExchangePoolLimits {
  /** Connections at most; the transport's bulkhead allows as many calls at once, so none waits for one. */
  connectionLimit: number;
  /** Per connection attempt. */
  connectTimeoutMs: number;
}

/**
 * A mysql2 pool: connections opened on demand up to the limit, idle ones closed after a minute
 * (a 前置库 is usually shared with other consumers), dead ones replaced on next use. Values
 * come back as the API would send them: DECIMAL as numbers (万元 amounts), DATETIME as the
 * server's text (never shifted by the gateway's time zone).
 */
export function createExchangePool(url: string, limits: ExchangePoolLimits): Pool {
  const parsed = checkExchangeDbUrl(url);
  return createPool({
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
    charset: 'utf8mb4',
    connectionLimit: limits.connectionLimit,
    maxIdle: Math.min(4, limits.connectionLimit),
    idleTimeout: 60_000,
    // The bulkhead in front bounds waiting; the pool's own queue is only a backstop.
    queueLimit: 0,
    connectTimeout: limits.connectTimeoutMs,
    enableKeepAlive: true,
    decimalNumbers: true,
    dateStrings: true,
    supportBigNumbers: true,
    // Prepared statements are cached per connection; a few kinds of lookup at a few key counts each.
    maxPreparedStatements: 256,
  });
}
