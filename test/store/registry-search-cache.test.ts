import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SubjectRegistry } from '../../src/modules/registry/subject-registry.ts';
import type { InProcessListener, ListenInProcess, Store } from '../../src/platform/store/open-store.ts';
import { isStoreUnavailable } from '../../src/platform/store/store-unavailable.ts';
import { pgliteVariant, postgresVariant, storeVariants, TEST_DATABASE_URL } from '../support/stores.ts';
import { approvalEntry, usccOf } from './registry-entries.ts';

const everyone = { first: 50 };
const usccsOf = async (registry: SubjectRegistry) =>
  (await registry.search({}, everyone, { count: false })).items.map((subject) => subject.uscc);

// Each case runs with the version read per search through Prisma, where the store announces it in
// process (PGlite) with the version followed from the trigger's notifications, and where the store
// can read straight on its driver (PostgreSQL) with the version read that way, as the gateway does.
const modes = [
  ...storeVariants().map((variant) => ({ variant, mode: 'reading' as const })),
  { variant: pgliteVariant(), mode: 'following' as const },
  { variant: postgresVariant(TEST_DATABASE_URL), mode: 'reading straight' as const },
];

for (const { variant, mode } of modes) {
  describe.runIf(variant.available)(`the registry's kept search pages on ${variant.name}, ${mode} the version`, () => {
    let store: Store;
    const stops: Array<() => Promise<void>> = [];
    const registryOn = async (db: Store) => {
      const registry = new SubjectRegistry(db.prisma);
      if (mode === 'following') stops.push(await registry.followVersion(db.listenInProcess!));
      if (mode === 'reading straight') registry.readVersionWith(db.queryRows!);
      return registry;
    };

    beforeAll(async () => {
      store = await variant.open();
    });
    afterAll(async () => {
      for (const stop of stops) await stop();
      await variant.dispose();
    });

    it('gives a repeated search the page it kept while nothing changed', async () => {
      const registry = await registryOn(store);
      await registry.upsertMany([approvalEntry(1)]);
      const first = await registry.search({}, everyone);
      expect(await registry.search({}, everyone)).toBe(first);
      expect(await registry.search({}, everyone, { count: false })).not.toBe(first);
    });

    it('sees what another registry on the same database wrote', async () => {
      const reader = await registryOn(store);
      const writer = await registryOn(store);
      const before = await usccsOf(reader);
      await writer.upsertMany([approvalEntry(2)]);
      expect(await usccsOf(reader)).toEqual([...before, usccOf(2)].sort());
    });

    it('sees subjects changed or removed by statements outside the registry', async () => {
      const registry = await registryOn(store);
      await registry.upsertMany([approvalEntry(3)]);
      expect(await usccsOf(registry)).toContain(usccOf(3));
      await store.prisma.subject.updateMany({ where: { uscc: usccOf(3) }, data: { name: '改名' } });
      expect((await registry.search({ nameContains: '改名' }, everyone)).items.map((s) => s.uscc)).toEqual([usccOf(3)]);
      await store.prisma.subject.deleteMany();
      expect(await usccsOf(registry)).toEqual([]);
    });

    it('hands out pages no request can change for the next', async () => {
      const registry = await registryOn(store);
      await registry.upsertMany([approvalEntry(4)]);
      const page = await registry.search({}, everyone);
      expect(() => page.items.push(page.items[0]!)).toThrow(TypeError);
      expect(() => Object.assign(page.items[0]!, { name: '别人' })).toThrow(TypeError);
    });
  });
}

describe.runIf(TEST_DATABASE_URL !== undefined)('two gateways on one PostgreSQL', () => {
  const variant = postgresVariant(TEST_DATABASE_URL);
  afterAll(() => variant.dispose());

  it('each see at once what the other stored', async () => {
    // A NOTIFY reaches another gateway some time after the commit: on PostgreSQL each search reads the version.
    expect((await variant.open()).listenInProcess).toBeUndefined();
    const first = new SubjectRegistry((await variant.open()).prisma);
    const second = new SubjectRegistry((await variant.reopen()).prisma);
    expect(await usccsOf(first)).toEqual([]);
    expect(await usccsOf(second)).toEqual([]);
    await first.upsertMany([approvalEntry(5)]);
    expect(await usccsOf(second)).toEqual([usccOf(5)]);
    await second.upsertMany([approvalEntry(6)]);
    expect(await usccsOf(first)).toEqual([usccOf(5), usccOf(6)].sort());
  });

  it('both store the same subjects at once, in opposite orders, without deadlocking', async () => {
    const first = new SubjectRegistry((await variant.reopen()).prisma);
    const second = new SubjectRegistry((await variant.reopen()).prisma);
    const entries = Array.from({ length: 40 }, (_, i) => approvalEntry(100 + i));
    for (let round = 0; round < 5; round += 1) {
      await Promise.all([first.upsertMany(entries), second.upsertMany([...entries].reverse())]);
    }
    expect(await usccsOf(first)).toHaveLength(42);
  });
});

describe.runIf(TEST_DATABASE_URL !== undefined)('a registry reading the version straight on PostgreSQL', () => {
  const variant = postgresVariant(TEST_DATABASE_URL);
  afterAll(() => variant.dispose());

  it("reads it without Prisma and still sees another gateway's change at once", async () => {
    const store = await variant.open();
    const registry = new SubjectRegistry(store.prisma);
    registry.readVersionWith(store.queryRows!);
    const other = new SubjectRegistry((await variant.reopen()).prisma);
    const first = await registry.search({}, everyone);
    const throughPrisma = vi.spyOn(store.prisma, '$queryRaw');
    expect(await registry.search({}, everyone)).toBe(first);
    await other.upsertMany([approvalEntry(30)]);
    expect((await registry.search({}, everyone)).items.map((subject) => subject.uscc)).toEqual([usccOf(30)]);
    expect(throughPrisma).not.toHaveBeenCalled();
  });

  it('refuses a search as a store outage once the store is closed, rather than answer from a kept page', async () => {
    const store = await variant.reopen();
    const registry = new SubjectRegistry(store.prisma);
    registry.readVersionWith(store.queryRows!);
    await registry.search({}, everyone);
    await store.close();
    const failure = await registry.search({}, everyone).catch((error: unknown) => error);
    expect(isStoreUnavailable(failure)).toBe(true);
  });
});

describe('a registry whose store cannot be read', () => {
  const [pglite] = storeVariants();
  afterAll(() => pglite!.dispose());

  it('fails its search rather than answer from a kept page', async () => {
    const store = await pglite!.open();
    const registry = new SubjectRegistry(store.prisma);
    await registry.upsertMany([approvalEntry(7)]);
    await registry.search({}, everyone);
    await store.close();
    await expect(registry.search({}, everyone)).rejects.toThrow();
  });
});

describe('a registry following the version on PGlite', () => {
  const variant = pgliteVariant();
  let store: Store;
  beforeAll(async () => {
    store = await variant.open();
  });
  afterAll(() => variant.dispose());

  it('answers a kept search without reading the store, and sees a change at once', async () => {
    const registry = new SubjectRegistry(store.prisma);
    const stop = await registry.followVersion(store.listenInProcess!);
    await registry.upsertMany([approvalEntry(20)]);
    const first = await registry.search({}, everyone);
    const reads = vi.spyOn(store.prisma, '$queryRaw');
    const findMany = vi.spyOn(store.prisma.subject, 'findMany');
    expect(await registry.search({}, everyone)).toBe(first);
    expect(reads).not.toHaveBeenCalled();
    expect(findMany).not.toHaveBeenCalled();
    await store.prisma.subject.updateMany({ where: { uscc: usccOf(20) }, data: { name: '新名' } });
    expect((await registry.search({}, everyone)).items.map((s) => s.name)).toEqual(['新名']);
    reads.mockRestore();
    findMany.mockRestore();
    await stop();
  });

  it('reads the version again once its listener drops, and sees what changed meanwhile', async () => {
    // The store's own listener, except that the test can drop it: nothing more is delivered and it is not live.
    let dropped = false;
    const droppable: ListenInProcess = async (channel, onPayload) => {
      const inner: InProcessListener = await store.listenInProcess!(channel, (payload) => {
        if (!dropped) onPayload(payload);
      });
      return { live: () => !dropped && inner.live(), stop: () => inner.stop() };
    };
    const registry = new SubjectRegistry(store.prisma);
    const stop = await registry.followVersion(droppable);
    await registry.upsertMany([approvalEntry(21)]);
    expect((await registry.search({ nameContains: '企业21' }, everyone)).items).toHaveLength(1);
    dropped = true;
    await store.prisma.subject.deleteMany({ where: { uscc: usccOf(21) } });
    expect((await registry.search({ nameContains: '企业21' }, everyone)).items).toEqual([]);
    await stop();
  });

  it('fails its search once the store is closed rather than answer from a kept page', async () => {
    const other = pgliteVariant();
    const closing = await other.open();
    const registry = new SubjectRegistry(closing.prisma);
    const stop = await registry.followVersion(closing.listenInProcess!);
    await registry.upsertMany([approvalEntry(22)]);
    await registry.search({}, everyone);
    await closing.close();
    await expect(registry.search({}, everyone)).rejects.toThrow();
    await stop();
    await other.dispose();
  });
});
