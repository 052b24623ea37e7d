import { describe, expect, it } from 'vitest';
import { Prisma } from '../../src/generated/prisma/client.ts';
import { usualStatement, type ChainedRow, type Column } from '../../src/modules/audit/access-log.ts';

/*
 * The usual append's statement text is composed once per form and reused; these are the
 * constructions every append used to run, which the text and values must still equal.
 */
const LOCK_KEY = 2_024_112_201;

function referenceRows(columns: readonly Column[], rows: readonly ChainedRow[]): Prisma.Sql {
  const byColumn = rows.map((row) =>
    columns.map((column) => {
      const value = row[column.field];
      return typeof value === 'bigint' ? value.toString() : (value ?? null);
    }),
  );
  const textOrJson = (column: Column, value: unknown) =>
    column.cast === 'jsonb' || column.cast === 'json' ? JSON.stringify(value) : value;
  const columnList = Prisma.raw(columns.map((column) => `"${column.name}"`).join(', '));
  if (byColumn.length === 1)
    return Prisma.sql`VALUES (${Prisma.join(
      columns.map((column, i) => Prisma.sql`${textOrJson(column, byColumn[0]![i])}::${Prisma.raw(column.cast)}`),
    )})`;
  const json = JSON.stringify(
    byColumn.map((values) => Object.fromEntries(columns.map((column, i) => [column.name, values[i]]))),
  );
  return Prisma.sql`SELECT ${columnList} FROM jsonb_populate_recordset(NULL::"access_log", ${json}::jsonb)`;
}

function referenceStatement(columns: readonly Column[], rows: readonly ChainedRow[], oneConnection: boolean) {
  const columnList = Prisma.raw(columns.map((column) => `"${column.name}"`).join(', '));
  return oneConnection
    ? Prisma.sql`INSERT INTO "access_log" (${columnList}) ${referenceRows(columns, rows)}`
    : Prisma.sql`INSERT INTO "access_log" (${columnList})
    SELECT * FROM (${referenceRows(columns, rows)}) AS batch
    WHERE (SELECT pg_try_advisory_xact_lock(${Prisma.raw(String(LOCK_KEY))}))`;
}

const COLUMNS: readonly Column[] = [
  { name: 'seq', field: 'seq', cast: 'int8' },
  { name: 'at', field: 'at', cast: 'timestamptz' },
  { name: 'duration_ms', field: 'durationMs', cast: 'int4' },
  { name: 'caller_subject', field: 'callerSubject', cast: 'text' },
  { name: 'roles', field: 'roles', cast: 'text[]' },
  { name: 'conditional_grants', field: 'conditionalGrants', cast: 'jsonb' },
  { name: 'trace_id', field: 'traceId', cast: 'text' },
  { name: 'hash_version', field: 'hashVersion', cast: 'int4' },
  { name: 'prev_hash', field: 'prevHash', cast: 'text' },
  { name: 'hash', field: 'hash', cast: 'text' },
];

function row(seq: number, overrides: Partial<ChainedRow> = {}): ChainedRow {
  return {
    seq: BigInt(seq),
    at: new Date(1_733_000_000_000 + seq),
    durationMs: seq,
    callerSubject: `officer-${seq} "引号" \\ \u2028`,
    roles: ['township-officer', `role-${seq}`],
    conditionalGrants: seq % 2 === 0 ? {} : { 'Enterprise.legalRepresentative': `grant-${seq}` },
    traceId: seq % 3 === 0 ? 'f'.repeat(32) : null,
    hashVersion: 2,
    prevHash: String(seq - 1).padStart(64, '0'),
    hash: String(seq).padStart(64, '0'),
    ...overrides,
  };
}

describe("the usual append's statement", () => {
  for (const oneConnection of [true, false])
    for (const count of [1, 2, 16]) {
      const lock = oneConnection ? 'without the lock' : 'taking the lock';
      it(`has the text and values Prisma composed, for ${count} row(s) ${lock}, append after append`, () => {
        for (let first = 1; first <= 3 * count; first += count) {
          const rows = Array.from({ length: count }, (_, i) => row(first + i));
          const reference = referenceStatement(COLUMNS, rows, oneConnection);
          const statement = usualStatement(COLUMNS, rows, oneConnection);
          expect(statement.text).toBe(reference.text);
          expect(statement.values).toStrictEqual(reference.values);
        }
      });
    }

  it('keeps the texts of different columns apart', () => {
    const fewer = COLUMNS.filter((column) => column.field !== 'traceId');
    const { traceId: _traceId, ...withoutTraceId } = row(1);
    usualStatement(COLUMNS, [row(1)], true);
    expect(usualStatement(fewer, [withoutTraceId as ChainedRow], true).text).toBe(
      referenceStatement(fewer, [withoutTraceId as ChainedRow], true).text,
    );
  });

  it('writes a batch with columns named like array indices as the objects did, index names first', () => {
    const columns: readonly Column[] = [...COLUMNS, { name: '9', field: '9', cast: 'text' }];
    const rows = [row(1, { '9': 'nine' }), row(2, { '9': null })];
    const statement = usualStatement(columns, rows, true);
    expect(statement.values).toStrictEqual(referenceStatement(columns, rows, true).values);
    expect(String(statement.values[0])).toMatch(/^\[\{"9":"nine","seq":"1"/);
  });

  it('still refuses a row with a field no column takes, or a column no field fills', () => {
    expect(() => usualStatement(COLUMNS, [row(1, { extra: 'x' })], true)).toThrow('no column for extra');
    const { traceId: _traceId, ...withoutTraceId } = row(1);
    expect(() => usualStatement(COLUMNS, [withoutTraceId as ChainedRow], true)).toThrow('has no value');
  });
});
