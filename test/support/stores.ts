import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from '../../src/platform/store/open-store.ts';
import type { Store } from '../../src/platform/store/open-store.ts';

/**
 * CI sets it; otherwise the global setup (test-servers.ts) sets it when PostgreSQL answers at its
 * default local address. Only when neither is so are the PostgreSQL variants skipped, and the
 * run ends by naming each skipped test.
 */
export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'];

/**
 * A kind of database the store runs on. `open()` gives a store on a fresh, migrated database of
 * its own; `reopen()` opens another store on that same database (to test persistence or two
 * gateway processes); `dispose()` closes every store it opened and deletes the database.
 */
export interface StoreVariant {
  name: 'PGlite' | 'PostgreSQL';
  /** False when the variant cannot run here (no PostgreSQL answered); use with describe.runIf. */
  available: boolean;
  open(): Promise<Store>;
  reopen(): Promise<Store>;
  dispose(): Promise<void>;
}

/**
 * Both variants, each with its own database, so a test file can run every case on both:
 *
 *   for (const variant of storeVariants()) {
 *     describe.runIf(variant.available)(`on ${variant.name}`, () => { ... });
 *   }
 */
export function storeVariants(): StoreVariant[] {
  return [pgliteVariant(), postgresVariant(TEST_DATABASE_URL)];
}

/**
 * PGlite in a temporary directory, so reopening finds the same data. PGlite allows one open
 * instance per directory: close a store before reopening.
 */
export function pgliteVariant(): StoreVariant {
  let dataDir: Promise<string> | undefined;
  const opened: Store[] = [];
  const open = async () => {
    dataDir ??= mkdtemp(join(tmpdir(), 'gw-pglite-'));
    const store = await openStore({ dataDir: await dataDir });
    opened.push(store);
    return store;
  };
  return {
    name: 'PGlite',
    available: true,
    open,
    reopen: open,
    dispose: async () => {
      await closeAll(opened);
      if (dataDir) await rm(await dataDir, { recursive: true, force: true });
    },
  };
}

/** A database of its own, `gw_test_<random>`, created on the server TEST_DATABASE_URL names. */
export function postgresVariant(adminUrl: string | undefined): StoreVariant {
  const database = `gw_test_${randomBytes(6).toString('hex')}`;
  let created: Promise<string> | undefined;
  const opened: Store[] = [];
  const create = async (url: string) => {
    await admin(url, `CREATE DATABASE "${database}"`);
    const databaseUrl = new URL(url);
    databaseUrl.pathname = `/${database}`;
    return databaseUrl.toString();
  };
  const open = async () => {
    if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
    created ??= create(adminUrl);
    const store = await openStore({ databaseUrl: await created });
    opened.push(store);
    return store;
  };
  return {
    name: 'PostgreSQL',
    available: adminUrl !== undefined,
    open,
    reopen: open,
    dispose: async () => {
      await closeAll(opened);
      if (adminUrl && created) await admin(adminUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    },
  };
}

async function closeAll(stores: Store[]): Promise<void> {
  await Promise.all(stores.splice(0).map((store) => store.close()));
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The URL of a variant's fresh, migrated PostgreSQL database, for a gateway to run on. */
export async function migratedDatabaseUrl(variant: StoreVariant): Promise<string> {
  const opened = await variant.open();
  const [database] = await opened.prisma.$queryRaw<{ name: string }[]>`SELECT current_database() AS name`;
  const url = new URL(TEST_DATABASE_URL!);
  url.pathname = `/${database!.name}`;
  return url.toString();
}
