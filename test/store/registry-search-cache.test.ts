import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubjectRegistry } from '../../src/modules/registry/subject-registry.ts';
import type { Store } from '../../src/platform/store/open-store.ts';
import { postgresVariant, storeVariants, TEST_DATABASE_URL } from '../support/stores.ts';
import { approvalEntry, usccOf } from './registry-entries.ts';

const everyone = { first: 50 };
const usccsOf = async (registry: SubjectRegistry) =>
  (await registry.search({}, everyone, { count: false })).items.map((subject) => subject.uscc);

for (const variant of storeVariants()) {
  describe.runIf(variant.available)(`the registry's kept search pages on ${variant.name}`, () => {
    let store: Store;

    beforeAll(async () => {
      store = await variant.open();
    });
    afterAll(() => variant.dispose());

    it('gives a repeated search the page it kept while nothing changed', async () => {
      const registry = new SubjectRegistry(store.prisma);
      await registry.upsertMany([approvalEntry(1)]);
      const first = await registry.search({}, everyone);
      expect(await registry.search({}, everyone)).toBe(first);
      expect(await registry.search({}, everyone, { count: false })).not.toBe(first);
    });

    it('sees what another registry on the same database wrote', async () => {
      const reader = new SubjectRegistry(store.prisma);
      const writer = new SubjectRegistry(store.prisma);
      const before = await usccsOf(reader);
      await writer.upsertMany([approvalEntry(2)]);
      expect(await usccsOf(reader)).toEqual([...before, usccOf(2)].sort());
    });

    it('sees subjects changed or removed by statements outside the registry', async () => {
      const registry = new SubjectRegistry(store.prisma);
      await registry.upsertMany([approvalEntry(3)]);
      expect(await usccsOf(registry)).toContain(usccOf(3));
      await store.prisma.subject.updateMany({ where: { uscc: usccOf(3) }, data: { name: '改名' } });
      expect((await registry.search({ nameContains: '改名' }, everyone)).items.map((s) => s.uscc)).toEqual([usccOf(3)]);
      await store.prisma.subject.deleteMany();
      expect(await usccsOf(registry)).toEqual([]);
    });

    it('hands out pages no request can change for the next', async () => {
      const registry = new SubjectRegistry(store.prisma);
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
