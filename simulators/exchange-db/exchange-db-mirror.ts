import { createConnection, createPool, type Pool, type RowDataPacket } from 'mysql2/promise';
import type { ChangeListener, MutableResource, Rendered } from '../server/resource-store.ts';
import { SIMULATOR_TABLE_COMMENT, columnName, createTableSql, type ExchangeTable } from './credit-tables.ts';

/** The rows of one table the mirror starts from: each world record, rendered, with its update time. */
export interface InitialRows {
  table: ExchangeTable;
  rows: Iterable<{ rendered: Rendered; updatedAt: number }>;
}

/** A simulated system's 前置库: filled at start, then following every change of its resources. */
export interface ExchangeDbMirror {
  /** Resolves once every change so far is written; rejects if the latest could not be. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

const INSERT_CHUNK = 1000;
const DATABASE_NAME = /^[A-Za-z0-9_]{1,64}$/;

/** China time, as the platform's own clock writes `updated_at`: `2024-01-15 10:00:00.000`. */
export function chinaDateTime(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().replace('T', ' ').replace('Z', '');
}

function valueAt(rendered: Rendered, path: string): unknown {
  let value: unknown = rendered;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return null;
    value = (value as Record<string, unknown>)[part];
  }
  return value ?? null;
}

function rowOf(table: ExchangeTable, rendered: Rendered, updatedAt: number): unknown[] {
  return [...table.columns.map((column) => valueAt(rendered, column.path)), chinaDateTime(updatedAt)];
}

function columnList(table: ExchangeTable): string {
  return [...table.columns.map((column) => `\`${columnName(column.path)}\``), '`updated_at`'].join(', ');
}

/**
 * Creates the database and tables when missing (idempotent), replaces their rows with the
 * world's in one transaction, and from then on upserts every record the resources change, in
 * order. Refuses a database whose tables it did not create: it may be a real exchange database.
 */
export async function openExchangeDbMirror(
  url: string,
  initial: readonly InitialRows[],
  resources: readonly MutableResource[],
): Promise<ExchangeDbMirror> {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!DATABASE_NAME.test(database)) throw new Error(`exchange database name '${database}' must be [A-Za-z0-9_]`);
  const server = {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    charset: 'utf8mb4',
  };
  const admin = await createConnection(server);
  try {
    await admin.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4`);
  } finally {
    await admin.end();
  }
  const pool = createPool({ ...server, database, connectionLimit: 2 });
  try {
    await refuseForeignTables(pool, database, initial);
    for (const { table } of initial) await pool.query(createTableSql(table));
    await fill(pool, initial);
  } catch (error) {
    await pool.end();
    throw error;
  }

  let latest: Promise<void> = Promise.resolve();
  for (const { table } of initial) {
    const resource = resources.find((candidate) => candidate.name === table.resource);
    if (!resource) throw new Error(`no simulated resource '${table.resource}' for table ${table.name}`);
    const upsert =
      `INSERT INTO \`${table.name}\` (${columnList(table)}) VALUES (?) ON DUPLICATE KEY UPDATE ` +
      [...table.columns.slice(1).map((c) => columnName(c.path)), 'updated_at']
        .map((column) => `\`${column}\` = VALUES(\`${column}\`)`)
        .join(', ');
    const follow: ChangeListener = (rendered, updatedAt) => {
      const row = rowOf(table, rendered, updatedAt);
      // In order, one after another; a failed write does not stop the ones after it.
      latest = latest
        .catch(() => undefined)
        .then(async () => {
          await pool.query(upsert, [row]);
        });
    };
    resource.onChange(follow);
  }
  return {
    settled: () => latest,
    close: async () => {
      await latest.catch(() => undefined);
      await pool.end();
    },
  };
}

async function refuseForeignTables(pool: Pool, database: string, initial: readonly InitialRows[]): Promise<void> {
  const names = initial.map(({ table }) => table.name);
  const [found] = await pool.query<RowDataPacket[]>(
    'SELECT TABLE_NAME AS name, TABLE_COMMENT AS comment FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?)',
    [database, names],
  );
  const foreign = found.filter((row) => row['comment'] !== SIMULATOR_TABLE_COMMENT).map((row) => String(row['name']));
  if (foreign.length > 0) {
    throw new Error(
      `refusing to fill exchange database '${database}': ${foreign.join(', ')} exist and were not created by the simulators`,
    );
  }
}

/** Replaces every row in one transaction, so a reader sees the old contents or the new, never half. */
async function fill(pool: Pool, initial: readonly InitialRows[]): Promise<void> {
  const connection = await pool.getConnection();
  try {
    await connection.beginTransaction();
    for (const { table, rows } of initial) {
      await connection.query(`DELETE FROM \`${table.name}\``);
      let chunk: unknown[][] = [];
      const flush = async () => {
        if (chunk.length > 0)
          await connection.query(`INSERT INTO \`${table.name}\` (${columnList(table)}) VALUES ?`, [chunk]);
        chunk = [];
      };
      for (const { rendered, updatedAt } of rows) {
        chunk.push(rowOf(table, rendered, updatedAt));
        if (chunk.length >= INSERT_CHUNK) await flush();
      }
      await flush();
    }
    await connection.commit();
  } catch (error) {
    await connection.rollback().catch(() => undefined);
    throw error;
  } finally {
    connection.release();
  }
}
