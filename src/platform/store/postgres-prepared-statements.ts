import type pg from 'pg';
import type { ExecuteStatement } from './open-store.ts';

/** As on PGlite: the access log's append has two statement texts; more are run unprepared. */
const MOST_PREPARED = 8;

/** SQLSTATE invalid_sql_statement_name: Bind named a statement the server does not have. */
const UNDEFINED_PREPARED_STATEMENT = '26000';

/**
 * `ExecuteStatement` on a `pg.Pool` with each statement text a named prepared statement, so the
 * server parses and plans it once per connection rather than on every append (`pg` prepares a
 * name on each connection the first time it runs there, and a connection the pool replaces
 * starts with none). A statement the server has lost while `pg` still counts it prepared
 * (`DISCARD ALL`, a pooler between) fails before anything of it ran; it is then given a new
 * name, which every connection prepares afresh, and run once more.
 */
export function preparedStatementsOnPool(pool: pg.Pool): ExecuteStatement {
  const names = new Map<string, string>();
  let named = 0;

  const nameOf = (sql: string): string | undefined => {
    const known = names.get(sql);
    if (known || names.size >= MOST_PREPARED) return known;
    named += 1;
    const name = `execute_statement_${named}`;
    names.set(sql, name);
    return name;
  };

  const run = async (sql: string, values: readonly unknown[]): Promise<number> =>
    (await pool.query({ name: nameOf(sql), text: sql, values: [...values] })).rowCount ?? 0;

  return async (sql, values) => {
    try {
      return await run(sql, values);
    } catch (error) {
      if ((error as { code?: unknown }).code !== UNDEFINED_PREPARED_STATEMENT) throw error;
      names.delete(sql);
      return run(sql, values);
    }
  };
}
