/** One parameterised statement (`$1`, `$2`, …) and its values; resolves to the number of rows it changed. */
export type ExecuteStatement = (sql: string, values: readonly unknown[]) => Promise<number>;
