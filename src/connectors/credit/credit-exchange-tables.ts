import type { SqlResourceTable } from '../transport/sql-resources.ts';

/**
 * The credit platform's 前置库 layout: one flat table per resource, one column per field of the
 * API's format (nested fields joined with `_`: `sxmd.zt` in `sxmd_zt`), plus `updated_at`, when
 * the platform last wrote the row, which the change feed follows. Values are kept as the
 * 双公示 standard writes them (YYYY/MM/DD text, 万元 decimals, Chinese labels), so the API's
 * mapping (credit-format.ts) reads them unchanged.
 */
export const CREDIT_EXCHANGE_TABLES: Readonly<Record<'subject' | 'record', SqlResourceTable>> = {
  subject: {
    table: 'xy_subject',
    idColumn: 'tyshxydm',
    updatedColumn: 'updated_at',
    fields: columnsOf(['tyshxydm', 'ztmc', 'xydj', 'pjrq', 'sxmd.zt', 'sxmd.lrrq', 'sxmd.lryy', 'gxsj']),
  },
  record: {
    table: 'xy_record',
    idColumn: 'jlbh',
    updatedColumn: 'updated_at',
    fields: columnsOf([
      'jlbh',
      'jllx',
      'tyshxydm',
      'cf_wsh',
      'cf_fkje',
      'xzjg',
      'gsrq',
      'gsjzrq',
      'gszt',
      'cn.cnlx',
      'cn.cnnr',
      'cn.lyzt',
      'cn.xkbh',
      'gxsj',
    ]),
  },
};

function columnsOf(paths: readonly string[]): Record<string, string> {
  return Object.fromEntries(paths.map((path) => [path, path.replaceAll('.', '_')]));
}
