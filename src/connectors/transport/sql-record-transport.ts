import type { Pool, RowDataPacket } from 'mysql2/promise';
import { decodeKeysetCursor, encodeKeysetCursor, type KeysetPosition } from './keyset-cursor.ts';
import type { RawRecord, RecordTransport } from './record-transport.ts';
import { ResilientCalls, type ResilienceOptions } from '../http/resilient-calls.ts';
import { sqlFailureToUpstreamError } from './sql-failures.ts';
import { createExchangePool } from './sql-pool.ts';
import { checkResources, type CheckedResource, type SqlResourceTable } from './sql-resources.ts';
import { rowToRecord } from './sql-rows.ts';

export interface SqlTransportOptions extends ResilienceOptions {
  /** `mysql://user:password@host:3306/database` (or `mariadb://`). */
  url: string;
  /** Each resource's table, columns and update-time column. */
  resources: Readonly<Record<string, SqlResourceTable>>;
}

/** Keys in one IN list at most; larger lookups are split (values are parameters, never text). */
const MAX_KEYS_PER_STATEMENT = 500;
/** Internal aliases; field-path aliases are dotted identifiers, so these cannot collide. */
const FEED_UPDATED = '__feed_updated';
const FEED_ID = '__feed_id';

/**
 * An agency system read from its 前置库 exchange database (MariaDB/MySQL, through mysql2).
 * Every statement is prepared, with values as parameters; table and column names come only from
 * configuration and are checked at construction. Each call runs under the same timeout, retry,
 * breaker and bulkhead as the HTTP agencies, so an outage reads "credit unavailable", not a 500.
 */
export class SqlRecordTransport implements RecordTransport {
  readonly cursorOrigin = 'exchange-db';
  private readonly pool: Pool;
  private readonly calls: ResilientCalls;
  private readonly resources: Map<string, CheckedResource>;

  constructor(options: SqlTransportOptions) {
    this.resources = checkResources(options.resources);
    this.calls = new ResilientCalls(options, sqlFailureToUpstreamError);
    this.pool = createExchangePool(options.url, {
      connectionLimit: this.calls.maxConcurrent,
      connectTimeoutMs: this.calls.timeoutMs,
    });
  }

  async fetchBy(resource: string, field: string, values: readonly string[]): Promise<RawRecord[]> {
    const table = this.resource(resource);
    const column = table.columnOf.get(field);
    if (!column) throw new Error(`${resource} has no field '${field}' to look records up by`);
    const unique = [...new Set(values)];
    const found: RawRecord[] = [];
    for (let start = 0; start < unique.length; start += MAX_KEYS_PER_STATEMENT) {
      const keys = unique.slice(start, start + MAX_KEYS_PER_STATEMENT);
      const sql =
        `SELECT ${table.selectList} FROM ${table.table} ` +
        `WHERE ${column} IN (${keys.map(() => '?').join(', ')}) ORDER BY ${table.idColumn}`;
      const rows = await this.query(`${resource}.batch.${field}`, sql, keys, keys.length);
      for (const row of rows) found.push(rowToRecord(row, table.fieldPaths));
    }
    return found;
  }

  async list(resource: string, offset: number, limit: number): Promise<{ total: number; items: RawRecord[] }> {
    const table = this.resource(resource);
    const [counted, rows] = await Promise.all([
      this.query(`${resource}.count`, `SELECT COUNT(*) AS total FROM ${table.table}`, []),
      this.query(
        `${resource}.list`,
        `SELECT ${table.selectList} FROM ${table.table} ORDER BY ${table.idColumn} LIMIT ? OFFSET ?`,
        [count(limit), count(offset)],
      ),
    ]);
    return { total: Number(counted[0]?.['total'] ?? 0), items: rows.map((row) => rowToRecord(row, table.fieldPaths)) };
  }

  /**
   * Keyset paging over (update time, id): rows strictly after the cursor's pair, in that order.
   * Written as `u > ? OR (u = ? AND id > ?)` under `u >= ?` rather than the row comparison
   * `(u, id) > (?, ?)`, which means the same but which MariaDB cannot serve from the
   * (u, id) index as a range. One row more than asked tells whether there are more. A row
   * without an update time (or id) is half-written: it has no place in the feed yet, and is read
   * once the platform sets it (a cursor on it could never be passed back).
   */
  async changes(
    resource: string,
    cursor: string | null,
    limit: number,
  ): Promise<{ items: RawRecord[]; nextCursor: string | null; hasMore: boolean }> {
    const table = this.resource(resource);
    const after = this.position(cursor);
    const select =
      `SELECT ${table.selectList}, ${table.updatedColumn} AS ${FEED_UPDATED}, ${table.idColumn} AS ${FEED_ID} ` +
      `FROM ${table.table}`;
    const order = `ORDER BY ${table.updatedColumn}, ${table.idColumn} LIMIT ?`;
    const { updatedColumn: u, idColumn: id } = table;
    const rows = after
      ? await this.query(`${resource}.changes`, `${select} WHERE ${u} >= ? AND (${u} > ? OR ${id} > ?) ${order}`, [
          after.updatedAt,
          after.updatedAt,
          after.id,
          count(limit + 1),
        ])
      : await this.query(`${resource}.changes`, `${select} WHERE ${u} IS NOT NULL AND ${id} IS NOT NULL ${order}`, [
          count(limit + 1),
        ]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => rowToRecord(row, table.fieldPaths)),
      nextCursor: last
        ? encodeKeysetCursor({ updatedAt: String(last[FEED_UPDATED]), id: String(last[FEED_ID]) })
        : cursor,
      hasMore: rows.length > limit,
    };
  }

  /** One round trip that also proves every configured table is there and readable. */
  async ping(): Promise<void> {
    const probes = [...this.resources.values()].map((table) => `(SELECT 1 FROM ${table.table} LIMIT 1)`);
    await this.query('ping', `SELECT 1 AS ok, ${probes.join(', ')}`, []);
  }

  /** Closes the pool; calls after this fail. */
  async close(): Promise<void> {
    await this.pool.end();
  }

  /** A cursor this transport did not write is an upstream answer the gateway cannot use, named as such. */
  private position(cursor: string | null): KeysetPosition | null {
    try {
      return decodeKeysetCursor(cursor);
    } catch (failure) {
      throw sqlFailureToUpstreamError(failure, { system: this.calls.system, timeoutMs: this.calls.timeoutMs });
    }
  }

  private resource(name: string): CheckedResource {
    const table = this.resources.get(name);
    if (!table) throw new Error(`no exchange-database table is configured for resource '${name}'`);
    return table;
  }

  private query(
    operation: string,
    sql: string,
    params: ReadonlyArray<string | number>,
    batchKeys?: number,
  ): Promise<RowDataPacket[]> {
    // Every call is a read, so every one may be tried again.
    return this.calls.run({ operation, idempotent: true, batchKeys }, async () => {
      // mysql2's own timeout also gives up the connection, so a hung query never returns to the pool.
      const [rows] = await this.pool.execute<RowDataPacket[]>({ sql, timeout: this.calls.timeoutMs }, params);
      return rows;
    });
  }
}

/** LIMIT/OFFSET travel as parameters too; as text, which MySQL 8's prepared statements also accept. */
function count(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`not a row count: ${value}`);
  return String(value);
}
