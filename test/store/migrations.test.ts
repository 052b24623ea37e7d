import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, pendingSchemaChange, schemaDrift } from '../../src/platform/store/migrate.ts';
import { readMigrationList } from '../../src/platform/store/migration-files.ts';
import { pgliteAdapterFactory } from '../../src/platform/store/pglite-adapter.ts';
import type { Store } from '../../src/platform/store/open-store.ts';
import { postgresVariant, storeVariants, TEST_DATABASE_URL } from '../support/stores.ts';
import { catalogSnapshot } from './catalog-snapshot.ts';

async function committedMigrationNames(): Promise<string[]> {
  return (await readMigrationList()).migrationDirectories.map((dir) => dir.path);
}

async function appliedMigrations(store: Store) {
  return store.prisma.$queryRaw<{ migration_name: string; finished: boolean }[]>`
    SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name`;
}

describe('the committed migrations', () => {
  it('build exactly what schema.prisma declares (run `npm run db:migration:new -- <name>` if not)', async () => {
    const db = new PGlite({ dataDir: 'memory://' });
    try {
      expect(await pendingSchemaChange(pgliteAdapterFactory(db))).toBe('');
    } finally {
      await db.close();
    }
  });

  it('have no semicolon inside a comment, where the schema engine would split the statement', async () => {
    const { migrationDirectories } = await readMigrationList();
    const offending = migrationDirectories.flatMap((directory) =>
      directory.migrationFile.content.value
        .split('\n')
        .filter((line) => /--.*;/.test(line))
        .map((line) => `${directory.path}: ${line.trim()}`),
    );
    expect(offending).toEqual([]);
  });
});

for (const variant of storeVariants()) {
  describe.runIf(variant.available)(`migrations on ${variant.name}`, () => {
    afterAll(() => variant.dispose());

    it('apply from an empty database, each recorded once as finished', async () => {
      const store = await variant.open();
      const names = await committedMigrationNames();
      expect(names.length).toBeGreaterThan(0);
      expect(await appliedMigrations(store)).toEqual(names.map((name) => ({ migration_name: name, finished: true })));
      await store.close();
    });

    it('are not applied again when the store is reopened', async () => {
      const store = await variant.reopen();
      const names = await committedMigrationNames();
      expect(await appliedMigrations(store)).toEqual(names.map((name) => ({ migration_name: name, finished: true })));
      await store.ping();
      await store.close();
    });
  });
}

describe('the migrated schema', () => {
  it('on PGlite has no drift from schema.prisma', async () => {
    const db = new PGlite({ dataDir: 'memory://' });
    try {
      const adapter = pgliteAdapterFactory(db);
      await applyMigrations(adapter);
      expect(await schemaDrift(adapter)).toBe('');
    } finally {
      await db.close();
    }
  });

  describe.runIf(TEST_DATABASE_URL !== undefined)('on PostgreSQL', () => {
    const variants = storeVariants();
    afterAll(() => Promise.all(variants.map((variant) => variant.dispose())));

    it('has the same tables, columns and indexes as on PGlite', async () => {
      const [onPglite, onPostgres] = await Promise.all(variants.map((variant) => variant.open()));
      expect(await catalogSnapshot(onPostgres!.prisma)).toEqual(await catalogSnapshot(onPglite!.prisma));
    });
  });

  describe.runIf(TEST_DATABASE_URL !== undefined)('when two gateway processes start at once', () => {
    const variant = postgresVariant(TEST_DATABASE_URL);
    afterAll(() => variant.dispose());

    it('is migrated once and both processes come up', async () => {
      // The first open creates the empty database; the others race to migrate it.
      const stores = await Promise.all([variant.open(), variant.open(), variant.open()]);
      const names = await committedMigrationNames();
      for (const store of stores) await store.ping();
      expect(await appliedMigrations(stores[0]!)).toEqual(
        names.map((name) => ({ migration_name: name, finished: true })),
      );
    });
  });
});
