import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStore, type Store } from '../../src/platform/store/open-store.ts';
import { isStoreUnavailable } from '../../src/platform/store/store-unavailable.ts';
import { postgresVariant, TEST_DATABASE_URL } from '../support/stores.ts';
import { proxiedDatabase, timed } from '../support/proxied-database.ts';
import type { TcpProxy } from '../support/tcp-proxy.ts';

/**
 * A server that terminates a backend the moment it became ready (a `pg_terminate_backend` sweep,
 * a fast shutdown or failover while a pool reconnects) sends its ReadyForQuery and the FATAL
 * 57P01 together. pg reads both in one go: a connection a pool has just handed out, before its
 * borrower could listen, emits the FATAL as an 'error' event, and one nobody hears ends the process.
 */
describe.runIf(TEST_DATABASE_URL !== undefined)(
  'the PostgreSQL store when each backend is terminated as soon as it is ready',
  () => {
    const variant = postgresVariant(TEST_DATABASE_URL);
    let proxy: TcpProxy;
    let store: Store;
    const uncaught: unknown[] = [];
    const collect = (error: unknown) => uncaught.push(error);

    beforeAll(async () => {
      process.on('uncaughtExceptionMonitor', collect);
      const { proxy: opened, throughProxy } = await proxiedDatabase(variant, TEST_DATABASE_URL!);
      proxy = opened;
      store = await openStore({ databaseUrl: throughProxy });
    }, 60_000);
    afterEach(() => {
      proxy.terminateAfterStartup(0);
      uncaught.length = 0;
    });
    afterAll(async () => {
      process.off('uncaughtExceptionMonitor', collect);
      await store?.close();
      await proxy?.close();
      await variant.dispose();
    });

    /** Every pooled connection cut, so the next piece of work opens a new one. */
    async function dropEveryConnection(): Promise<void> {
      await proxy.refuse();
      await proxy.allow();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const kinds: Array<[string, () => Promise<unknown>]> = [
      ['a transaction a caller waits on', () => store.prisma.$transaction(async (tx) => tx.$executeRaw`SELECT 1`)],
      ['a background transaction', () => store.background.$transaction(async (tx) => tx.$executeRaw`SELECT 1`)],
      ['a statement a caller waits on', () => store.prisma.$queryRaw`SELECT 1`],
      ['a background statement', () => store.background.$queryRaw`SELECT 1`],
      ['an access-log append', () => store.executeStatement!('SELECT 1', [])],
      ['a read straight on the requests’ pool', () => store.queryRows!('SELECT 1', [])],
    ];

    for (const [work, run] of kinds) {
      it(`fails ${work} as the store unavailable, never as an uncaught error, and runs it again once backends last`, async () => {
        // The store a previous case found down answers again once its probe has seen it back.
        await vi.waitFor(run, { timeout: 5_000, interval: 100 });
        proxy.terminateAfterStartup(1);
        await dropEveryConnection();

        const cut = await timed(run);
        expect(isStoreUnavailable(cut.error), String(cut.error)).toBe(true);
        // The stream's end follows the FATAL: give both time to reach every listener.
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(uncaught.map(String)).toEqual([]);

        proxy.terminateAfterStartup(0);
        await vi.waitFor(run, { timeout: 5_000, interval: 100 });
        expect(uncaught.map(String)).toEqual([]);
      }, 30_000);
    }
  },
);
