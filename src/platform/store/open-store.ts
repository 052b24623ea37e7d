import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../../generated/prisma/client.ts';
import type { ExecuteStatement } from './execute-statement.ts';
import { applyMigrations } from './migrate.ts';
import { applyPostgresMigrations } from './postgres-migration.ts';
import { preparedStatementsOnPool } from './postgres-prepared-statements.ts';

export type StoreKind = 'pglite' | 'postgres';

export interface StoreOptions {
  /** A PostgreSQL URL; without one the store is an embedded PGlite database. */
  databaseUrl?: string;
  /** Where PGlite keeps its files (default `./data/pglite`); `memory://` keeps nothing. */
  dataDir?: string;
  /** PostgreSQL only: connection and per-query timeouts (defaults 5 s and 30 s). */
  timeouts?: { connectMs: number; queryMs: number };
}

export interface Store {
  prisma: PrismaClient;
  kind: StoreKind;
  /**
   * Runs one statement straight on the database's driver, without Prisma, and resolves to the
   * rows it changed: for the access log's append, which every answer and every refusal waits
   * for. A short statement's CPU in the gateway's process is mostly Prisma's own work (an
   * access-log INSERT: about 0.7 ms through `$executeRaw` on PGlite, 0.26 ms straight; 0.3–0.5 ms
   * on PostgreSQL, 0.12–0.18 straight; bench/RESULTS-fixedcost.notes.md). Each statement text is
   * prepared once and then only bound and executed (bench/notes/applog.md). On PGlite it shares
   * the one connection and runs after any open transaction, like every other statement; on
   * PostgreSQL it has a small pool of its own with the same timeouts.
   */
  executeStatement?: ExecuteStatement;
  /**
   * PGlite only: listens on a channel of the database in this process. A notification reaches
   * `onPayload` before the statement that committed it resolves (PGlite parses it with that
   * statement's answer and queues the call as a microtask ahead of the answer's), so a listener
   * is never behind a write this process has seen complete. PostgreSQL delivers NOTIFY on another
   * connection some time after the commit, so another gateway could still read old rows: it has none.
   */
  listenInProcess?: ListenInProcess;
  /** Resolves when the database answers a trivial query; for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type ListenInProcess = (channel: string, onPayload: (payload: string) => void) => Promise<InProcessListener>;

export interface InProcessListener {
  /** False once stopped or once the database is closing or closed: nothing more will arrive. */
  live(): boolean;
  stop(): Promise<void>;
}

export const DEFAULT_PGLITE_DIR = './data/pglite';

/**
 * Opens the gateway's store with its schema brought up to date. PGlite lets the gateway run with
 * no database server (development, demos, a single-machine deployment); PostgreSQL is for
 * production and for several gateway processes sharing one registry.
 */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.timeouts ?? DEFAULT_POSTGRES_TIMEOUTS)
    : openPglite(options.dataDir ?? DEFAULT_PGLITE_DIR);
}

const DEFAULT_POSTGRES_TIMEOUTS = { connectMs: 5000, queryMs: 30_000 };

async function openPostgres(databaseUrl: string, timeouts: { connectMs: number; queryMs: number }): Promise<Store> {
  await applyPostgresMigrations(databaseUrl);
  // Without these a server that accepts connections but stops answering holds every request
  // (and the access log's writer) forever; with them it is an outage like any other: 503, then recovery.
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    connectionTimeoutMillis: timeouts.connectMs,
    query_timeout: timeouts.queryMs,
    keepAlive: true,
  });
  const prisma = new PrismaClient({ adapter });
  const statements = new pg.Pool({
    connectionString: databaseUrl,
    max: 2,
    connectionTimeoutMillis: timeouts.connectMs,
    query_timeout: timeouts.queryMs,
    keepAlive: true,
  });
  // A connection dropped while idle is replaced on the next statement, which fails if the server is gone.
  statements.on('error', () => undefined);
  return {
    prisma,
    kind: 'postgres',
    executeStatement: preparedStatementsOnPool(statements),
    ping: () => ping(prisma),
    close: async () => {
      await prisma.$disconnect();
      // Ending a pool twice throws; shutdown paths and test fixtures may both close.
      if (!statements.ended) await statements.end();
    },
  };
}

/**
 * PGlite runs Postgres inside this process's WebAssembly memory, which only ever grows. Its
 * bundled postgresql.conf asks for 128 MB of shared buffers; the embedded store is small (the
 * registry, grants, the access log), so 16 MB hold it, and maintenance work (index builds in
 * migrations) gets 16 MB, not 64. The module's own least memory, 128 MB, cannot go lower:
 * `initialMemory` under it fails to link. Figures in bench/RESULTS-memory.md.
 */
const PGLITE_MEMORY = {
  postgresqlconf: ['shared_buffers = 16MB', 'maintenance_work_mem = 16MB', 'temp_buffers = 2MB'],
};

async function openPglite(dataDir: string): Promise<Store> {
  // PGlite makes only the last folder of the path; a fresh clone has no ./data yet.
  if (!dataDir.includes('://')) mkdirSync(dataDir, { recursive: true });
  // Loaded only here: a gateway on PostgreSQL never holds PGlite's code.
  const [{ PGlite: Embedded }, { pgliteAdapterFactory }, { preparedStatementsOn }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('./pglite-adapter.ts'),
    import('./pglite-prepared-statements.ts'),
  ]);
  const db: PGlite = await Embedded.create({ dataDir, ...PGLITE_MEMORY });
  try {
    const adapter = pgliteAdapterFactory(db);
    await applyMigrations(adapter);
    const prisma = new PrismaClient({ adapter });
    return {
      prisma,
      kind: 'pglite',
      executeStatement: preparedStatementsOn(db),
      listenInProcess: (channel, onPayload) => listenOnPglite(db, channel, onPayload),
      ping: () => ping(prisma),
      close: async () => {
        await prisma.$disconnect();
        // Closing twice would throw; shutdown paths and test fixtures may both close.
        if (!db.closed) await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

async function listenOnPglite(
  db: PGlite,
  channel: string,
  onPayload: (payload: string) => void,
): Promise<InProcessListener> {
  const unlisten = await db.listen(channel, onPayload);
  let listening = true;
  return {
    live: () => listening && db.ready,
    stop: async () => {
      if (!listening) return;
      listening = false;
      if (!db.closed) await unlisten();
    },
  };
}

async function ping(prisma: PrismaClient): Promise<void> {
  await prisma.$queryRaw`SELECT 1`;
}
