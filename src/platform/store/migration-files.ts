import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationList, SchemaFilter } from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaFile } from './schema-engine.ts';

/** Where schema.prisma and its migrations live: `prisma/` at the package root. */
export const PRISMA_DIR = fileURLToPath(new URL('../../../prisma/', import.meta.url));

export const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

export async function readPrismaSchema(prismaDir: string = PRISMA_DIR): Promise<SchemaFile> {
  const path = join(prismaDir, 'schema.prisma');
  return { path, content: await readFile(path, 'utf8') };
}

/** Reads `prisma/migrations` in the shape the schema engine wants, oldest migration first. */
export async function readMigrationList(prismaDir: string = PRISMA_DIR): Promise<MigrationList> {
  const baseDir = join(prismaDir, 'migrations');
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: await readFile(join(baseDir, name, 'migration.sql'), 'utf8').then(
          (sql) => ({ tag: 'ok' as const, value: sql }),
          (error: unknown) => ({ tag: 'error' as const, value: String(error) }),
        ),
      },
    })),
  );
  const lockfileContent = await readFile(join(baseDir, 'migration_lock.toml'), 'utf8').catch(() => null);
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: lockfileContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}
