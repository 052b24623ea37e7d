import { PGlite } from '@electric-sql/pglite';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { withQuerySpans } from './traced-driver-adapter.ts';

/**
 * The PGlite driver adapter, with two fixes the schema engine needs:
 * - its `executeScript` does not await the script, so a failing migration would pass silently
 *   (and surface later as an unhandled rejection); here the script is awaited and errors thrown;
 * - its shadow database (used to diff migrations) is a fresh in-memory PGlite that it never
 *   closes; here it is closed when the engine disposes of it.
 */
export function pgliteAdapterFactory(db: PGlite): SqlMigrationAwareDriverAdapterFactory {
  const inner = new PrismaPGlite(db);
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => withQuerySpans(awaitingScripts(await inner.connect(), db)),
    connectToShadowDb: async () => {
      const shadow = new PGlite({ dataDir: 'memory://' });
      const adapter = awaitingScripts(await new PrismaPGlite(shadow).connect(), shadow);
      return Object.assign(adapter, { dispose: () => shadow.close() });
    },
  };
}

function awaitingScripts(adapter: SqlDriverAdapter, db: PGlite): SqlDriverAdapter {
  return Object.assign(adapter, {
    executeScript: async (script: string): Promise<void> => {
      await db.exec(script);
    },
  });
}
