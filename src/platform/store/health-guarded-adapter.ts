import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQueryable } from '@prisma/driver-adapter-utils';
import type { StoreHealth } from './store-health.ts';

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

function guarded(adapter: SqlDriverAdapter, health: StoreHealth): SqlDriverAdapter {
  routeThrough(adapter, (run) => health.start(run));
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = (isolationLevel) =>
    health.start(async () => routeThrough(await startTransaction(isolationLevel), (run) => health.watch(run)));
  return adapter;
}

function routeThrough<Q extends SqlQueryable>(queryable: Q, through: <T>(run: () => Promise<T>) => Promise<T>): Q {
  const queryRaw = queryable.queryRaw.bind(queryable);
  const executeRaw = queryable.executeRaw.bind(queryable);
  queryable.queryRaw = (query) => through(() => queryRaw(query));
  queryable.executeRaw = (query) => through(() => executeRaw(query));
  return queryable;
}
