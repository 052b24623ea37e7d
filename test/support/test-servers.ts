import { createConnection } from 'node:net';
import mysql from 'mysql2/promise';
import pg from 'pg';

/** Where the PostgreSQL, Redis and MariaDB tests look when no URL is given: the servers' default local addresses. */
export const DEFAULT_TEST_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/test';
export const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379';
/** The MariaDB server the 前置库 (exchange database) tests create their own databases on. */
export const DEFAULT_TEST_MARIADB_URL = 'mysql://root@127.0.0.1:3306/test';

/** Set by the global setup for the skipped-tests reporter: why a server's tests could not run. */
export const MISSING_SERVERS_VARIABLE = 'GW_TEST_MISSING_SERVERS';

const PROBE_TIMEOUT_MS = 2_000;

/**
 * Vitest global setup. `npm test` must not skip the PostgreSQL, Redis and MariaDB tests just because no
 * URL was exported: when a server answers at its default local address, its URL is set for the
 * test workers (forked after this runs, so they inherit it). A URL set explicitly is kept as it
 * is, answering or not: then a dead server fails its tests instead of skipping them.
 */
export async function setup(): Promise<void> {
  const missing: string[] = [];
  const servers = [
    { variable: 'TEST_DATABASE_URL', name: 'PostgreSQL', url: DEFAULT_TEST_DATABASE_URL, probe: postgresAnswers },
    { variable: 'TEST_REDIS_URL', name: 'Redis', url: DEFAULT_TEST_REDIS_URL, probe: redisAnswers },
    { variable: 'TEST_MARIADB_URL', name: 'MariaDB', url: DEFAULT_TEST_MARIADB_URL, probe: mariadbAnswers },
  ];
  for (const server of servers) {
    if (process.env[server.variable]) continue;
    const problem = await server.probe(server.url);
    if (problem === null) {
      process.env[server.variable] = server.url;
      continue;
    }
    missing.push(`${server.name} (${server.variable} unset, and ${server.url} does not answer: ${problem})`);
  }
  if (missing.length === 0) {
    delete process.env[MISSING_SERVERS_VARIABLE];
    return;
  }
  process.env[MISSING_SERVERS_VARIABLE] = missing.join('\n');
  console.warn(
    `\n!!! Tests needing these servers will be SKIPPED:\n${missing.map((line) => `!!!   ${line}`).join('\n')}\n`,
  );
}

/** Null when PostgreSQL answers a query at `url`, else what went wrong. */
async function postgresAnswers(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return describe(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Null when MariaDB (or MySQL) answers a query at `url`, else what went wrong. */
async function mariadbAnswers(url: string): Promise<string | null> {
  let connection: mysql.Connection | undefined;
  try {
    connection = await mysql.createConnection({ uri: url, connectTimeout: PROBE_TIMEOUT_MS });
    await connection.query('SELECT 1');
    return null;
  } catch (error) {
    return describe(error);
  } finally {
    await connection?.end().catch(() => undefined);
  }
}

/** Null when Redis answers PING at `url`, else what went wrong. */
function redisAnswers(url: string): Promise<string | null> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    const finish = (problem: string | null) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => finish(`no answer within ${PROBE_TIMEOUT_MS} ms`));
    socket.on('error', (error) => finish(describe(error)));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) =>
      finish(
        data.toString().startsWith('+PONG') ? null : `unexpected answer ${JSON.stringify(data.toString().trim())}`,
      ),
    );
  });
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as Error & { code?: string }).code;
  return code ? `${code} ${error.message}` : error.message;
}
