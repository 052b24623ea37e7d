import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../generated/prisma/client.ts';
import type { ExecuteStatement, QueryRows } from './execute-statement.ts';
import { applyMigrations } from './migrate.ts';
import { lockPgliteFolder } from './pglite-folder-lock.ts';
import { makePrivateFolder } from './private-folder.ts';
import { guardPglite, type PglitePanicGuard } from './pglite-panic-guard.ts';
import { applyPostgresMigrations } from './postgres-migration.ts';
import { startWaitLine, waitingForDatabase } from './start-wait.ts';
import { openPostgresPool } from './postgres-pool.ts';
import { preparedQueriesOnPool, preparedStatementsOnPool } from './postgres-prepared-statements.ts';
import { cutShortDiscardingAdapterFactory, healthGuardedAdapterFactory } from './health-guarded-adapter.ts';
import { embeddedStoreStartFailure } from './pglite-start-failure.ts';
import { StoreHealth, type StoreHealthOptions } from './store-health.ts';
import { DEFAULT_POSTGRES_TIMEOUTS, serverBound, type StoreTimeouts } from './store-timeouts.ts';
import { ACCESS_LOG_POOL_SIZE, applicationName, DEFAULT_POSTGRES_POOLS, type StorePools } from './store-pools.ts';

export type StoreKind = 'pglite' | 'postgres';

export interface StoreOptions {
  /** A PostgreSQL URL; without one the store is an embedded PGlite database. */
  databaseUrl?: string;
  /** Where PGlite keeps its files (default `./data/pglite`); `memory://` keeps nothing. */
  dataDir?: string;
  /** PostgreSQL only: connection, per-statement and migration timeouts (DEFAULT_POSTGRES_TIMEOUTS). */
  timeouts?: StoreTimeouts;
  /** PostgreSQL only: how many connections each kind of work may hold (DEFAULT_POSTGRES_POOLS). */
  pools?: StorePools;
  /** Told when the store is found down (on PGlite: after a PANIC or a failure on its files) and when it answers again. */
  onHealthChange?: StoreHealthOptions['onChange'];
  /**
   * PostgreSQL only: told each time the start waits for a database that refused or dropped it
   * (`timeouts.startWaitMs`), with a line saying why and for how long; the gateway logs it. Unset,
   * the waits are not told.
   */
  onStartWait?: (said: string, retryInMs: number) => void;
}

export interface Store {
  /**
   * For work a caller waits on. On PostgreSQL each statement is bounded by the short
   * `timeouts.queryMs`, and once one finds the server not answering, new ones are refused at once
   * until it answers again (StoreHealth): a hung server costs one request the bound, not each.
   */
  prisma: PrismaClient;
  /**
   * For background work nobody waits on (the registry and loop index syncs, webhook and transfer
   * delivery): statements bounded by the longer `timeouts.backgroundQueryMs`, on a pool of their
   * own so a backfill never takes the connections requests need. On PGlite the same client.
   */
  background: PrismaClient;
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
   * PostgreSQL only: runs one read straight on the requests' pool, without Prisma, each text
   * prepared once per connection, and refused or confirmed as an outage as Prisma's statements
   * are. For a read every request makes, such as the registry's version: through Prisma one read
   * took 0.41–0.57 ms, straight 0.13–0.21 (bench/notes/quiet-run.md).
   */
  queryRows?: QueryRows;
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
    ? openPostgres(
        options.databaseUrl,
        options.timeouts ?? DEFAULT_POSTGRES_TIMEOUTS,
        options.pools ?? DEFAULT_POSTGRES_POOLS,
        options.onHealthChange,
        options.onStartWait,
      )
    : openPglite(options.dataDir ?? DEFAULT_PGLITE_DIR, options.onHealthChange);
}

async function openPostgres(
  databaseUrl: string,
  timeouts: StoreTimeouts,
  pools: StorePools,
  onHealthChange: StoreHealthOptions['onChange'],
  onStartWait: StoreOptions['onStartWait'],
): Promise<Store> {
  // A database still starting, or failing over, is waited for rather than ending the start.
  await waitingForDatabase(
    () => applyPostgresMigrations(databaseUrl, timeouts),
    timeouts.startWaitMs ?? 0,
    (failure, ms) => onStartWait?.(startWaitLine(failure, ms), ms),
  );
  // Without these a server that accepts connections but stops answering holds every request
  // (and the access log's writer) forever; with them it is an outage like any other: 503, then recovery.
  // A caller's statement may wait no longer for a connection than for its answer.
  const onRequestPath = {
    connectionString: databaseUrl,
    connectionTimeoutMillis: Math.min(timeouts.connectMs, timeouts.queryMs),
    statement_timeout: serverBound(timeouts.queryMs),
    query_timeout: timeouts.queryMs,
    keepAlive: true,
  };
  const requests = openPostgresPool({
    ...onRequestPath,
    max: pools.requests,
    application_name: applicationName('requests'),
  });
  const statements = openPostgresPool({
    ...onRequestPath,
    max: ACCESS_LOG_POOL_SIZE,
    application_name: applicationName('access-log'),
  });
  const backgroundPool = openPostgresPool({
    connectionString: databaseUrl,
    max: pools.background,
    application_name: applicationName('background'),
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: serverBound(timeouts.backgroundQueryMs),
    query_timeout: timeouts.backgroundQueryMs,
    keepAlive: true,
  });
  const health = new StoreHealth({
    // On the access log's pool: a request pool that is merely full (every connection busy, the
    // next caller timing out at checkout) must not be confirmed as an outage by a probe queued behind it.
    probe: async () => {
      await statements.query('SELECT 1');
    },
    onChange: onHealthChange,
  });
  const prisma = new PrismaClient({ adapter: healthGuardedAdapterFactory(new PrismaPg(requests), health) });
  const background = new PrismaClient({ adapter: cutShortDiscardingAdapterFactory(new PrismaPg(backgroundPool)) });
  const appendStatement = preparedStatementsOnPool(statements);
  const requestQuery = preparedQueriesOnPool(requests);
  const close = async () => {
    health.close();
    await Promise.all([prisma.$disconnect(), background.$disconnect()]);
    // Ending a pool twice throws; shutdown paths and test fixtures may both close.
    for (const pool of [requests, statements, backgroundPool]) if (!pool.ended) await pool.end();
  };
  // Start-up work (the first registry sync) runs on the background pool: without this the first
  // request would open the requests' first connection, and a start that cannot reach the server
  // through them would pass unnoticed.
  await ping(prisma).catch(async (error: unknown) => {
    await close();
    throw error;
  });
  return {
    prisma,
    background,
    kind: 'postgres',
    executeStatement: (sql, values) => health.start(() => appendStatement(sql, values)),
    queryRows: (sql, values) => health.start(() => requestQuery(sql, values)),
    ping: () => ping(prisma),
    close,
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

async function openPglite(dataDir: string, onHealthChange: StoreHealthOptions['onChange']): Promise<Store> {
  // PGlite makes only the last folder of the path (a fresh clone has no ./data yet), and leaves it open to everyone.
  if (!dataDir.includes('://')) makePrivateFolder(dataDir);
  // Loaded only here: a gateway on PostgreSQL never holds PGlite's code.
  const [{ PGlite: Embedded }, { pgliteAdapterFactory }, { preparedStatementsOn }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('./pglite-adapter.ts'),
    import('./pglite-prepared-statements.ts'),
  ]);
  // One process per folder: a second would run a copy of the store and overwrite this one's rows.
  const lock = dataDir.includes('://') ? null : lockPgliteFolder(dataDir);
  let first: PGlite;
  try {
    first = await Embedded.create({ dataDir, ...PGLITE_MEMORY });
  } catch (error) {
    lock?.release();
    throw embeddedStoreStartFailure(dataDir, error);
  }
  // After a PANIC or a failure on its files the instance is never used again, and a fresh one is
  // opened once a file can be created and written in its folder.
  const embedded = guardPglite(first, {
    dataDir: dataDir.includes('://') ? null : dataDir,
    reopen: () => Embedded.create({ dataDir, ...PGLITE_MEMORY }),
    onChange: onHealthChange,
  });
  const db = embedded.db;
  try {
    const adapter = pgliteAdapterFactory(db);
    await applyMigrations(adapter);
    const prisma = new PrismaClient({ adapter });
    return {
      prisma,
      // One connection in this process: there is no server to stop answering, nor a pool to share.
      background: prisma,
      kind: 'pglite',
      executeStatement: preparedStatementsOn(db),
      listenInProcess: (channel, onPayload) => listenOnPglite(embedded, channel, onPayload),
      ping: () => ping(prisma),
      close: async () => {
        await prisma.$disconnect();
        // Closing twice would throw; shutdown paths and test fixtures may both close.
        await embedded.close();
        lock?.release();
      },
    };
  } catch (error) {
    await embedded.close();
    lock?.release();
    throw embeddedStoreStartFailure(dataDir, error);
  }
}

async function listenOnPglite(
  embedded: PglitePanicGuard,
  channel: string,
  onPayload: (payload: string) => void,
): Promise<InProcessListener> {
  // The instance listened on: once it has stopped or been replaced, nothing more arrives from it
  // (and it is let go, so that a replaced instance is not kept alive by its listeners).
  let db: PGlite | null = embedded.current();
  let unlisten: (() => Promise<void>) | null = await db.listen(channel, onPayload);
  let listening = true;
  const current = () => {
    if (db && (embedded.current() !== db || embedded.stopped() !== null)) {
      db = null;
      unlisten = null;
    }
    return db;
  };
  return {
    live: () => listening && (current()?.ready ?? false),
    stop: async () => {
      if (!listening) return;
      listening = false;
      const instance = current();
      if (instance && !instance.closed) await unlisten?.();
    },
  };
}

async function ping(prisma: PrismaClient): Promise<void> {
  await prisma.$queryRaw`SELECT 1`;
}
