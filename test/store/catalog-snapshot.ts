import type { PrismaClient } from '../../src/generated/prisma/client.ts';

/** Tables, columns and indexes of the public schema, to compare two databases' shapes. */
export async function catalogSnapshot(prisma: PrismaClient): Promise<string[]> {
  const columns = await prisma.$queryRaw<{ line: string }[]>`
    SELECT concat_ws(' ', table_name, column_name, data_type, udt_name, is_nullable, column_default) AS line
    FROM information_schema.columns WHERE table_schema = 'public'`;
  const indexes = await prisma.$queryRaw<{ line: string }[]>`
    SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public'`;
  return [...columns, ...indexes].map((row) => row.line).sort();
}
