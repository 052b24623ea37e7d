/** One parameterised statement (`$1`, `$2`, …) and its values; resolves to the number of rows it changed. */
export type ExecuteStatement = (sql: string, values: readonly unknown[]) => Promise<number>;

/** One parameterised read and its values; resolves to the rows it returned, as the driver gives them. */
export type QueryRows = (sql: string, values: readonly unknown[]) => Promise<ReadonlyArray<Record<string, unknown>>>;

/**
 * More statement texts than this are run unprepared: the access log's append has two (a lone
 * entry, a batch), and a prepared statement per distinct text would otherwise grow without end.
 */
export const MOST_PREPARED_STATEMENTS = 8;
