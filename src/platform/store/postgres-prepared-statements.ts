import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { MOST_PREPARED_STATEMENTS, type ExecuteStatement, type QueryRows } from './execute-statement.ts';

/**
 * SQLSTATEs of a name the server and `pg` disagree on: invalid_sql_statement_name (Bind named a
 * statement the server does not have) and duplicate_prepared_statement (Parse of a name a server
 * connection already holds: behind a transaction-mode pooler, another client's).
 */
const NAME_NOT_AS_COUNTED = new Set(['26000', '42P05']);

/**
 * `ExecuteStatement` on a `pg.Pool` with each statement text a named prepared statement, so the
 * server parses and plans it once per connection rather than on every append (`pg` prepares a
 * name on each connection the first time it runs there, and a connection the pool replaces
 * starts with none). A statement the server has lost while `pg` still counts it prepared
 * (`DISCARD ALL`, a pooler between), or one a pooler's server connection already holds, fails
 * before anything of it ran; it is then given a new
 * name, which every connection prepares afresh, and run once more.
 */
export function preparedStatementsOnPool(pool: pg.Pool): ExecuteStatement {
  const run = preparedOnPool(pool);
  return async (sql, values) => (await run(sql, values)).rowCount ?? 0;
}

/** `QueryRows` on a `pg.Pool`, each text prepared as `preparedStatementsOnPool` prepares it. */
export function preparedQueriesOnPool(pool: pg.Pool): QueryRows {
  const run = preparedOnPool(pool);
  return async (sql, values) => (await run(sql, values)).rows as ReadonlyArray<Record<string, unknown>>;
}

function preparedOnPool(pool: pg.Pool): (sql: string, values: readonly unknown[]) => Promise<pg.QueryResult> {
  const names = new Map<string, string>();
  // Unique to this pool, so two gateways whose statements meet on one server connection (a
  // pooler between) never take each other's for their own.
  const prefix = `execute_statement_${randomUUID().slice(0, 8)}`;
  let named = 0;

  const nameOf = (sql: string): string | undefined => {
    const known = names.get(sql);
    if (known || names.size >= MOST_PREPARED_STATEMENTS) return known;
    named += 1;
    const name = `${prefix}_${named}`;
    names.set(sql, name);
    return name;
  };

  const run = (sql: string, values: readonly unknown[]) =>
    pool.query({ name: nameOf(sql), text: sql, values: [...values] });

  return async (sql, values) => {
    try {
      return await run(sql, values);
    } catch (error) {
      if (!NAME_NOT_AS_COUNTED.has((error as { code?: string }).code ?? '')) throw error;
      names.delete(sql);
      return run(sql, values);
    }
  };
}
