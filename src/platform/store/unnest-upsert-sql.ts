import { Prisma } from '../../generated/prisma/client.ts';

/** How a column's text travels and is cast in SQL. Arrays travel as JSON text. */
export type ColumnType = 'text' | 'boolean' | 'date' | 'timestamptz' | 'text[]';

export type ColumnValue = string | boolean | readonly string[] | null;

export interface UpsertTable {
  /** Table name, as in schema.prisma's @@map. */
  table: string;
  key: string;
  /** Column names (SQL) and their types, key included. */
  columns: Readonly<Record<string, ColumnType>>;
  /** A row replaces the stored one only when this column is not older (out-of-order pages). */
  newerBy: string;
}

const CAST: Readonly<Record<ColumnType, (ref: string) => string>> = {
  text: (ref) => ref,
  boolean: (ref) => `${ref}::boolean`,
  date: (ref) => `${ref}::date`,
  timestamptz: (ref) => `${ref}::timestamptz`,
  'text[]': (ref) => `ARRAY(SELECT jsonb_array_elements_text(${ref}::jsonb))`,
};

/**
 * One INSERT … SELECT FROM unnest(…) ON CONFLICT statement for a batch of rows (each key at most
 * once): every column goes in as one text[] parameter, which both PostgreSQL drivers pass alike,
 * so a page of a thousand records is one round trip. Table and column names come from code only.
 */
export function unnestUpsertSql(
  spec: UpsertTable,
  rows: ReadonlyArray<Readonly<Record<string, ColumnValue>>>,
): Prisma.Sql {
  const names = Object.keys(spec.columns);
  const aliases = names.map((_, index) => `c${index}`);
  const parameters = names.map((name) => rows.map((row) => asText(row[name] ?? null)));
  const selected = names.map((name, index) => CAST[spec.columns[name]!](`e.${aliases[index]}`)).join(', ');
  const updates = names
    .filter((name) => name !== spec.key)
    .map((name) => `"${name}" = EXCLUDED."${name}"`)
    .join(', ');
  const unnestArgs = Prisma.join(parameters.map((values) => Prisma.sql`${values}::text[]`));
  return Prisma.sql`
    INSERT INTO ${Prisma.raw(`"${spec.table}" AS t (${names.map((name) => `"${name}"`).join(', ')})`)}
    SELECT ${Prisma.raw(selected)}
    FROM unnest(${unnestArgs}) AS ${Prisma.raw(`e(${aliases.join(', ')})`)}
    ON CONFLICT ${Prisma.raw(`("${spec.key}") DO UPDATE SET ${updates} WHERE t."${spec.newerBy}" <= EXCLUDED."${spec.newerBy}"`)}`;
}

function asText(value: ColumnValue): string | null {
  if (value === null) return null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
