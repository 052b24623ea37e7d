/** One parameterised statement (`$1`, `$2`, …) and its values; resolves to the number of rows it changed. */
export type ExecuteStatement = (sql: string, values: readonly unknown[]) => Promise<number>;

/**
 * More statement texts than this are run unprepared: the access log's append has two (a lone
 * entry, a batch), and a prepared statement per distinct text would otherwise grow without end.
 */
export const MOST_PREPARED_STATEMENTS = 8;
