import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { NO_FILTER, PRISMA_DIR, readMigrationList, readPrismaSchema } from './migration-files.ts';
import { withSchemaEngine } from './schema-engine.ts';

/**
 * Applies the committed migrations in `prisma/migrations` that the database has not seen yet,
 * recording them in `_prisma_migrations` as `prisma migrate deploy` would. Idempotent.
 * Returns the names of the migrations it applied.
 */
export async function applyMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  prismaDir: string = PRISMA_DIR,
): Promise<string[]> {
  const [schema, migrationsList] = await Promise.all([readPrismaSchema(prismaDir), readMigrationList(prismaDir)]);
  const output = await withSchemaEngine(adapterFactory, schema, (engine) =>
    engine.applyMigrations({ migrationsList, filters: NO_FILTER }),
  );
  return output.appliedMigrationNames;
}

/**
 * The SQL that would take a database built from the committed migrations to what schema.prisma
 * declares: the body of the next migration, or an empty string when they already agree.
 * `adapterFactory` must offer a shadow database; the migrations are replayed there.
 */
export async function pendingSchemaChange(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  prismaDir: string = PRISMA_DIR,
): Promise<string> {
  const [schema, migrationsList] = await Promise.all([readPrismaSchema(prismaDir), readMigrationList(prismaDir)]);
  const result = await withSchemaEngine(adapterFactory, schema, (engine) =>
    engine.diff({
      from: { tag: 'migrations', ...migrationsList },
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    }),
  );
  return isEmptyScript(result.stdout ?? '') ? '' : (result.stdout ?? '');
}

/** The engine answers an empty diff with a comment rather than nothing. */
function isEmptyScript(sql: string): boolean {
  return sql
    .split('\n')
    .map((line) => line.trim())
    .every((line) => line === '' || line.startsWith('--'));
}

/**
 * The SQL that would take the connected database to what schema.prisma declares; empty when they
 * agree. Works through the PGlite adapter; Prisma's PostgreSQL adapter cannot yet read the
 * catalog's `"char"` columns the engine describes the schema with.
 */
export async function schemaDrift(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  prismaDir: string = PRISMA_DIR,
): Promise<string> {
  const schema = await readPrismaSchema(prismaDir);
  const result = await withSchemaEngine(adapterFactory, schema, (engine) =>
    engine.diff({
      from: { tag: 'schemaDatasource', files: [schema], configDir: prismaDir },
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    }),
  );
  return isEmptyScript(result.stdout ?? '') ? '' : (result.stdout ?? '');
}
