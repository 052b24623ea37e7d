import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';

/**
 * CI sets it; otherwise the global setup (test-servers.ts) sets it when MariaDB answers at its
 * default local address. Only when neither is so are the 前置库 tests skipped, and the run
 * ends by naming each skipped test.
 */
export const TEST_MARIADB_URL = process.env['TEST_MARIADB_URL'];

export interface ExchangeDb {
  /** `mysql://…/exchangedb_test_<random>` on the TEST_MARIADB_URL server. */
  url: string;
  host: string;
  port: number;
  /** The same database reached through another host and port (a proxy of the test's own). */
  urlVia(host: string, port: number): string;
  /** Runs one statement on it, for tests that write rows of their own. */
  query(sql: string, values?: unknown[]): Promise<unknown>;
  drop(): Promise<void>;
}

/** A database of its own, created empty; `drop()` deletes it. */
export async function freshExchangeDb(serverUrl: string = TEST_MARIADB_URL!): Promise<ExchangeDb> {
  const name = `exchangedb_test_${randomBytes(6).toString('hex')}`;
  const server = new URL(serverUrl);
  const admin = await mysql.createConnection({ uri: serverUrl });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  await admin.changeUser({ database: name });
  const urlVia = (host: string, port: number) => {
    const url = new URL(serverUrl);
    url.hostname = host;
    url.port = String(port);
    url.pathname = `/${name}`;
    return url.toString();
  };
  return {
    url: urlVia(server.hostname, Number(server.port || 3306)),
    host: server.hostname,
    port: Number(server.port || 3306),
    urlVia,
    query: async (sql, values) => (await admin.query(sql, values))[0],
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}
