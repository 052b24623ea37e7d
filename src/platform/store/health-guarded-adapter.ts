import type {
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQueryable,
  Transaction,
} from '@prisma/driver-adapter-utils';
import type { StoreHealth } from './store-health.ts';
import { isStoreUnavailable } from './store-unavailable.ts';

/**
 * A driver adapter whose statements go through the store's health: a statement or transaction
 * started while the store is down is refused at once, and every statement that fails because the
 * store cannot be reached marks it down (see StoreHealth).
 */
export function healthGuardedAdapterFactory(
  inner: SqlDriverAdapterFactory,
  health: StoreHealth,
): SqlDriverAdapterFactory {
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => guarded(await inner.connect(), health),
  };
}

/**
 * For the background client, whose work is not refused while the store is down (it waits its own
 * longer bound and retries on its schedule): only its transactions cut short are discarded.
 */
export function cutShortDiscardingAdapterFactory(inner: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  const unguarded = <T>(run: () => Promise<T>) => run();
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => {
      const adapter = await inner.connect();
      const startTransaction = adapter.startTransaction.bind(adapter);
      adapter.startTransaction = async (isolationLevel) =>
        discardedWhenCutShort(await startTransaction(isolationLevel), unguarded);
      return adapter;
    },
  };
}

function guarded(adapter: SqlDriverAdapter, health: StoreHealth): SqlDriverAdapter {
  routeThrough(adapter, (run) => health.start(run));
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = (isolationLevel) =>
    health.start(async () => discardedWhenCutShort(await startTransaction(isolationLevel), (run) => health.watch(run)));
  return adapter;
}

/**
 * A statement that timed out is still running on its connection, and the ROLLBACK sent after it
 * waits behind it and times out too, so the transaction stays open there. PrismaPg's rollback
 * would hand that connection back to its pool as it is; once the server resumes, the next
 * statements lent it would run inside that transaction and be lost with it (reproduced in
 * test/store/store-hang-refusals.test.ts). Such a connection is released with the error instead,
 * which makes the pool close it, and the server roll the transaction back. (`client` is
 * PrismaPg's own field, not its interface: without it the test above fails.)
 */
function discardedWhenCutShort(
  transaction: Transaction,
  through: <T>(run: () => Promise<T>) => Promise<T>,
): Transaction {
  let cutShort: Error | null = null;
  routeThrough(transaction, async (run) => {
    // Its connection is to be discarded: nothing more is sent on it, the ROLLBACK included, which
    // would only wait behind the hung statement for a second bound.
    if (cutShort) throw cutShort;
    try {
      return await through(run);
    } catch (error) {
      if (isStoreUnavailable(error)) cutShort ??= error instanceof Error ? error : new Error(String(error));
      throw error;
    }
  });
  const rollback = transaction.rollback.bind(transaction);
  const connection = (transaction as Partial<{ client: { release(error?: Error): void } }>).client;
  transaction.rollback = async () => {
    if (cutShort && connection) connection.release(cutShort);
    else await rollback();
  };
  return transaction;
}

function routeThrough<Q extends SqlQueryable>(queryable: Q, through: <T>(run: () => Promise<T>) => Promise<T>): Q {
  const queryRaw = queryable.queryRaw.bind(queryable);
  const executeRaw = queryable.executeRaw.bind(queryable);
  queryable.queryRaw = (query) => through(() => queryRaw(query));
  queryable.executeRaw = (query) => through(() => executeRaw(query));
  return queryable;
}
