/**
 * The credit platform's 前置库 as the platform writes it: one flat table per resource, a column
 * per field of its API format (nested fields joined with `_`), text kept as the 双公示 standard
 * writes it, fines in 万元 as DECIMAL, and `updated_at`, when the platform last wrote the row.
 */
export interface ExchangeColumn {
  /** The field's path in the API's record (`sxmd.zt`). */
  path: string;
  type: string;
}

export interface ExchangeTable {
  /** The simulated resource it mirrors (`/__sim/mutate`'s name). */
  resource: string;
  name: string;
  columns: readonly ExchangeColumn[];
  /** Secondary indexes the gateway's lookups use, by column. */
  indexes: readonly string[];
}

/** Identifiers compare byte-wise, as the simulators' own ordering does. */
const KEY = 'VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin';
const TEXT = 'VARCHAR(500)';
const DATE_TEXT = 'CHAR(10)';

export const CREDIT_TABLES: readonly ExchangeTable[] = [
  {
    resource: 'subject',
    name: 'xy_subject',
    columns: [
      { path: 'tyshxydm', type: `${KEY} NOT NULL PRIMARY KEY` },
      { path: 'ztmc', type: TEXT },
      { path: 'xydj', type: 'VARCHAR(8)' },
      { path: 'pjrq', type: DATE_TEXT },
      { path: 'sxmd.zt', type: 'VARCHAR(16)' },
      { path: 'sxmd.lrrq', type: DATE_TEXT },
      { path: 'sxmd.lryy', type: TEXT },
      { path: 'gxsj', type: 'CHAR(19)' },
    ],
    indexes: [],
  },
  {
    resource: 'record',
    name: 'xy_record',
    columns: [
      { path: 'jlbh', type: `${KEY} NOT NULL PRIMARY KEY` },
      { path: 'jllx', type: 'VARCHAR(16)' },
      { path: 'tyshxydm', type: KEY },
      { path: 'cf_wsh', type: KEY },
      { path: 'cf_fkje', type: 'DECIMAL(20,6)' },
      { path: 'xzjg', type: TEXT },
      { path: 'gsrq', type: DATE_TEXT },
      { path: 'gsjzrq', type: DATE_TEXT },
      { path: 'gszt', type: 'VARCHAR(16)' },
      { path: 'cn.cnlx', type: 'VARCHAR(64)' },
      { path: 'cn.cnnr', type: TEXT },
      { path: 'cn.lyzt', type: 'VARCHAR(16)' },
      { path: 'cn.xkbh', type: KEY },
      { path: 'gxsj', type: 'CHAR(19)' },
    ],
    indexes: ['tyshxydm', 'cf_wsh'],
  },
];

export function columnName(path: string): string {
  return path.replaceAll('.', '_');
}

/** Marks the tables the simulators created, so they never overwrite an exchange database of someone else's. */
export const SIMULATOR_TABLE_COMMENT = 'filled by the shenguanzhixin simulators from their world';

export function createTableSql(table: ExchangeTable): string {
  const columns = table.columns.map((column) => `\`${columnName(column.path)}\` ${column.type}`);
  const id = columnName(table.columns[0]!.path);
  return [
    `CREATE TABLE IF NOT EXISTS \`${table.name}\` (`,
    `  ${[...columns, '`updated_at` DATETIME(3) NOT NULL'].join(',\n  ')},`,
    `  KEY \`${table.name}_feed\` (\`updated_at\`, \`${id}\`)`,
    ...table.indexes.map((column) => `  , KEY \`${table.name}_${column}\` (\`${column}\`)`),
    `) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='${SIMULATOR_TABLE_COMMENT}'`,
  ].join('\n');
}
