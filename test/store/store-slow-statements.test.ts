import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/platform/store/open-store.ts';
import { isStoreUnavailable } from '../../src/platform/store/store-unavailable.ts';
import { postgresVariant, TEST_DATABASE_URL } from '../support/stores.ts';
import { proxiedDatabase, timed } from '../support/proxied-database.ts';
import type { TcpProxy } from '../support/tcp-proxy.ts';

const TIMEOUTS = { connectMs: 1_000, queryMs: 1_000, backgroundQueryMs: 3_000, migrationMs: 30_000 };

describe.runIf(TEST_DATABASE_URL !== undefined)('the PostgreSQL store past its statement bound', () => {
  const variant = postgresVariant(TEST_DATABASE_URL);
  let proxy: TcpProxy;
  let throughProxy: string;
  let store: Store;
  let healthy: Store;
  let direct: Store;
  const changes: boolean[] = [];

  beforeAll(async () => {
    let plain: string;
    ({ direct, proxy, throughProxy, plain } = await proxiedDatabase(variant, TEST_DATABASE_URL!));
    store = await openStore({ databaseUrl: throughProxy, timeouts: TIMEOUTS });
    healthy = await openStore({
      databaseUrl: plain,
      timeouts: TIMEOUTS,
      onHealthChange: ({ up }) => changes.push(up),
    });
  }, 60_000);
  afterAll(async () => {
    await proxy?.allow();
    await store?.close();
    await healthy?.close();
    await proxy?.close();
    await variant.dispose();
  });

  it('refuses no other caller when one statement outlives its bound on a server that answers', async () => {
    await healthy.prisma.$queryRaw`SELECT 1`;
    // A heavy but legitimate (or attacker-chosen) statement outlives the request bound.
    const slow = await timed(() => healthy.prisma.$queryRaw`SELECT pg_sleep(1.5)`);
    expect(isStoreUnavailable(slow.error), String(slow.error)).toBe(true);
    // The server gave it up too: it does not go on running there after its caller's 503.
    const running = await direct.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(1.5)%' AND state = 'active'`;
    expect(Number(running[0]!.n)).toBe(0);
    // The server itself answers at once; an unrelated caller's trivial statement should run.
    const other = await timed(() => healthy.prisma.$queryRaw`SELECT 1`);
    const log = await timed(() => healthy.executeStatement!('SELECT 1', []));
    expect(other.error, String(other.error)).toBeNull();
    expect(log.error, String(log.error)).toBeNull();
    expect(changes).toEqual([]);
  }, 30_000);

  it('fails a transaction cut short by a hang within one bound, not a second one for its ROLLBACK', async () => {
    await store.prisma.$queryRaw`SELECT 1`;
    const result = await timed(() =>
      store.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT 1`;
        proxy.hang();
        await tx.$executeRaw`SELECT 2`;
      }),
    );
    expect(isStoreUnavailable(result.error), String(result.error)).toBe(true);
    await proxy.allow();
    expect(result.ms).toBeLessThan(TIMEOUTS.queryMs + 500);
  }, 30_000);
});
