import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStore, type Store } from '../../src/platform/store/open-store.ts';
import { isStoreUnavailable } from '../../src/platform/store/store-unavailable.ts';
import { postgresVariant, TEST_DATABASE_URL } from '../support/stores.ts';
import { proxiedDatabase, timed } from '../support/proxied-database.ts';
import type { TcpProxy } from '../support/tcp-proxy.ts';

const TIMEOUTS = { connectMs: 1_000, queryMs: 1_000, backgroundQueryMs: 3_000, migrationMs: 30_000 };

/** The store's own statements, through a proxy that can stop passing bytes (a hung server). */
describe.runIf(TEST_DATABASE_URL !== undefined)('the PostgreSQL store when the server stops answering', () => {
  const variant = postgresVariant(TEST_DATABASE_URL);
  let proxy: TcpProxy;
  let throughProxy: string;
  let store: Store;
  /** The same database, not through the proxy: what the server really holds. */
  let direct: Store;

  beforeAll(async () => {
    ({ direct, proxy, throughProxy } = await proxiedDatabase(variant, TEST_DATABASE_URL!));
    store = await openStore({ databaseUrl: throughProxy, timeouts: TIMEOUTS });
  }, 60_000);
  afterAll(async () => {
    await proxy?.allow();
    await store?.close();
    await proxy?.close();
    await variant.dispose();
  });

  it('fails a caller’s statement within its bound, refuses the next ones at once, and takes them again once it answers', async () => {
    await store.prisma.$queryRaw`SELECT 1`;
    proxy.hang();

    const first = await timed(() => store.prisma.$queryRaw`SELECT 1`);
    expect(isStoreUnavailable(first.error), String(first.error)).toBe(true);
    expect(first.ms).toBeLessThan(TIMEOUTS.queryMs + 500);
    // The probe run on that failure hangs too, and is given up on within a second: then the store is down.
    await new Promise((resolve) => setTimeout(resolve, TIMEOUTS.queryMs + 500));

    for (const next of [
      () => store.prisma.$queryRaw`SELECT 1`,
      () => store.prisma.$transaction(async (tx) => tx.$executeRaw`SELECT 1`),
      () => store.executeStatement!('SELECT 1', []),
      () => store.ping(),
    ]) {
      const refused = await timed(next);
      expect(isStoreUnavailable(refused.error), String(refused.error)).toBe(true);
      // At once: well under the second a statement would wait for the hung server (a loaded CI may pause 100 ms).
      expect(refused.ms).toBeLessThan(TIMEOUTS.queryMs / 2);
    }

    await proxy.allow();
    await vi.waitFor(() => store.prisma.$queryRaw`SELECT 1`, { timeout: 5_000, interval: 100 });
    await expect(store.executeStatement!('SELECT 1', [])).resolves.toBe(1);
  }, 30_000);

  for (const [work, client] of [
    ['work a caller waits on', () => store.prisma],
    ['background work', () => store.background],
  ] as const) {
    it(`never lends out again a connection whose transaction was cut short by a hang, once the server resumes (${work})`, async () => {
      const table = `thawed_${work === 'background work' ? 'background' : 'request'}`;
      await direct.prisma.$executeRawUnsafe(`CREATE TABLE ${table} (n int)`);
      const inserted = (n: number) => client().$executeRawUnsafe(`INSERT INTO ${table} VALUES (${n})`);
      await inserted(0);
      const cutShort = client().$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`INSERT INTO ${table} VALUES (1)`);
        proxy.hang();
        await tx.$executeRawUnsafe(`INSERT INTO ${table} VALUES (2)`);
      });
      await expect(cutShort).rejects.toSatisfy(isStoreUnavailable);

      // The server resumes on the same connections: the second INSERT runs, and the ROLLBACK, given up on, never does.
      proxy.thaw();
      await vi.waitFor(() => inserted(3), { timeout: 5_000, interval: 100 });
      // As many at once as the pool has connections, so one left inside that transaction would be used.
      await Promise.all(Array.from({ length: 10 }, (_, k) => inserted(10 + k)));
      const rows = await direct.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT n FROM ${table} ORDER BY n`);
      expect(rows.map((row) => row.n)).toEqual([0, 3, ...Array.from({ length: 10 }, (_, k) => 10 + k)]);
    }, 30_000);
  }

  it('lets background work wait its own, longer bound', async () => {
    await store.background.$queryRaw`SELECT 1`;
    proxy.hang();
    const waited = await timed(() => store.background.$queryRaw`SELECT 1`);
    expect(isStoreUnavailable(waited.error), String(waited.error)).toBe(true);
    expect(waited.ms).toBeGreaterThan(TIMEOUTS.backgroundQueryMs - 100);
    expect(waited.ms).toBeLessThan(TIMEOUTS.backgroundQueryMs + 500);
    await proxy.allow();
    await vi.waitFor(() => store.background.$queryRaw`SELECT 1`, { timeout: 5_000, interval: 100 });
  }, 30_000);
});
