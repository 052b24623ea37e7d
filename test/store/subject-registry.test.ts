import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InvalidCursorError } from '../../src/platform/cursor-codec.ts';
import { SubjectRegistry } from '../../src/modules/registry/subject-registry.ts';
import type { SubjectFilter } from '../../src/modules/registry/subject-registry.ts';
import type { Store } from '../../src/platform/store/open-store.ts';
import { storeVariants } from '../support/stores.ts';
import { approvalEntry, creditEntry, usccOf } from './registry-entries.ts';

for (const variant of storeVariants()) {
  describe.runIf(variant.available)(`the subject registry on ${variant.name}`, () => {
    let store: Store;
    let registry: SubjectRegistry;

    beforeAll(async () => {
      store = await variant.open();
      registry = new SubjectRegistry(store.prisma);
    });
    afterAll(() => variant.dispose());
    beforeEach(async () => {
      await store.prisma.subject.deleteMany();
      await store.prisma.syncCursor.deleteMany();
    });

    async function one(n: number) {
      const [subject] = await registry.findByUsccs([usccOf(n)]);
      return subject;
    }

    it('stores a new subject with its county, check result and source', async () => {
      await registry.upsertMany([approvalEntry(1, { legacyRegNo: '330381000012345' })]);
      expect(await one(1)).toMatchObject({
        uscc: usccOf(1),
        usccValid: true,
        legacyRegNo: '330381000012345',
        townshipCode: '330381001',
        countyCode: '330381',
        sources: ['approval'],
        upstreamUpdatedAt: '2024-03-01T09:00:00+08:00',
      });
    });

    it('keeps a USCC that fails its check, marked invalid', async () => {
      const broken = `${usccOf(2).slice(0, 17)}${usccOf(2).endsWith('0') ? '1' : '0'}`;
      await registry.upsertMany([approvalEntry(2, { uscc: broken })]);
      expect(await registry.findByUsccs([broken])).toMatchObject([{ uscc: broken, usccValid: false }]);
    });

    it('lets approval replace what credit reported, and credit only fill gaps', async () => {
      await registry.upsertMany([
        creditEntry(3, {
          name: '信用名',
          townshipCode: null,
          legacyRegNo: '330381000000033',
          updatedAt: '2024-05-01T00:00:00+08:00',
        }),
      ]);
      await registry.upsertMany([
        approvalEntry(3, { name: '审批名', townshipCode: null, updatedAt: '2024-01-01T00:00:00+08:00' }),
      ]);
      expect(await one(3)).toMatchObject({ name: '审批名', legacyRegNo: '330381000000033', townshipCode: null });

      await registry.upsertMany([
        creditEntry(3, { name: '新信用名', townshipCode: '330381102', updatedAt: '2024-06-01T00:00:00+08:00' }),
      ]);
      expect(await one(3)).toMatchObject({
        name: '审批名',
        townshipCode: '330381102',
        countyCode: '330381',
        sources: ['approval', 'credit'],
        upstreamUpdatedAt: '2024-06-01T00:00:00+08:00',
      });
    });

    it('never lets an older report overwrite a newer one', async () => {
      await registry.upsertMany([approvalEntry(4, { name: '新名', updatedAt: '2024-06-01T00:00:00+08:00' })]);
      await registry.upsertMany([approvalEntry(4, { name: '旧名', updatedAt: '2024-02-01T00:00:00+08:00' })]);
      expect(await one(4)).toMatchObject({ name: '新名', upstreamUpdatedAt: '2024-06-01T00:00:00+08:00' });

      await registry.upsertMany([creditEntry(5, { name: '新', updatedAt: '2024-06-01T00:00:00+08:00' })]);
      await registry.upsertMany([creditEntry(5, { name: '旧', updatedAt: '2024-02-01T00:00:00+08:00' })]);
      expect(await one(5)).toMatchObject({ name: '新', upstreamUpdatedAt: '2024-06-01T00:00:00+08:00' });
    });

    it('applies several reports of one subject in one batch in order', async () => {
      await registry.upsertMany([
        approvalEntry(6, { name: '第一', updatedAt: '2024-01-01T00:00:00+08:00' }),
        creditEntry(6, { legacyRegNo: '330381000000066' }),
        approvalEntry(6, { name: '第二', updatedAt: '2024-02-01T00:00:00+08:00' }),
      ]);
      expect(await one(6)).toMatchObject({
        name: '第二',
        legacyRegNo: '330381000000066',
        sources: ['approval', 'credit'],
      });
    });

    it('leaves a legacy number with the subject that holds it rather than failing the batch', async () => {
      await registry.upsertMany([approvalEntry(7, { legacyRegNo: '330381000000077' })]);
      await registry.upsertMany([approvalEntry(8, { legacyRegNo: '330381000000077' }), approvalEntry(9)]);
      expect(await registry.findByLegacyRegNos(['330381000000077'])).toMatchObject([{ uscc: usccOf(7) }]);
      expect(await one(8)).toMatchObject({ legacyRegNo: null });
      expect(await one(9)).toBeDefined();
    });

    it('finds subjects by USCC and by legacy number in one batch each, skipping unknown codes', async () => {
      await registry.upsertMany([
        approvalEntry(10, { legacyRegNo: '330381000000100' }),
        approvalEntry(11, { legacyRegNo: '330381000000111' }),
        approvalEntry(12),
      ]);
      const byUscc = await registry.findByUsccs([usccOf(12), usccOf(10), usccOf(99)]);
      expect(byUscc.map((s) => s.uscc).sort()).toEqual([usccOf(10), usccOf(12)].sort());
      const byLegacy = await registry.findByLegacyRegNos(['330381000000111', '330381000000100', '330381000009999']);
      expect(byLegacy.map((s) => s.uscc).sort()).toEqual([usccOf(10), usccOf(11)].sort());
      expect(await registry.findByUsccs([])).toEqual([]);
    });

    describe('search', () => {
      beforeEach(async () => {
        await registry.upsertMany(
          Array.from({ length: 23 }, (_, i) =>
            approvalEntry(100 + i, {
              name: i % 3 === 0 ? `瑞安 Pump Works ${i}` : `温州纺织${i}`,
              townshipCode: i % 2 === 0 ? '330381001' : '330382105',
              legacyRegNo: i % 4 === 0 ? `3303810000${String(i).padStart(5, '0')}` : null,
            }),
          ),
        );
        await registry.upsertMany([approvalEntry(200, { uscc: 'BROKEN', name: '100% 纯_棉' })]);
      });

      async function everyPage(filter: SubjectFilter, first: number) {
        const seen: string[] = [];
        const totals = new Set<number>();
        let after: string | undefined;
        for (;;) {
          const page = await registry.search(filter, { first, after });
          totals.add(page.totalCount);
          seen.push(...page.items.map((s) => s.uscc));
          if (!page.hasNextPage) return { seen, totals: [...totals] };
          after = page.endCursor ?? undefined;
        }
      }

      it('visits every subject exactly once when paging through all of them', async () => {
        const { seen, totals } = await everyPage({}, 5);
        expect(totals).toEqual([24]);
        expect(seen).toHaveLength(24);
        expect(new Set(seen).size).toBe(24);
        expect(seen).toEqual([...seen].sort());
      });

      it('filters by name case-insensitively, township, county, legacy number and USCC validity', async () => {
        expect((await registry.search({ nameContains: 'pump' }, { first: 50 })).totalCount).toBe(8);
        expect((await registry.search({ townshipCode: '330382105' }, { first: 50 })).totalCount).toBe(11);
        expect((await registry.search({ countyCode: '330381' }, { first: 50 })).totalCount).toBe(13);
        expect((await registry.search({ hasLegacyRegNo: true }, { first: 50 })).totalCount).toBe(6);
        expect((await registry.search({ hasLegacyRegNo: false }, { first: 50 })).totalCount).toBe(18);
        expect((await registry.search({ usccValid: false }, { first: 50 })).items.map((s) => s.uscc)).toEqual([
          'BROKEN',
        ]);
        const combined = await everyPage({ nameContains: '纺织', townshipCode: '330381001' }, 2);
        expect(combined.totals).toEqual([8]);
        expect(new Set(combined.seen).size).toBe(8);
      });

      it('leaves the count out when asked not to, and returns the same page', async () => {
        const counted = await registry.search({ townshipCode: '330382105' }, { first: 5 });
        const uncounted = await registry.search({ townshipCode: '330382105' }, { first: 5 }, { count: false });
        expect(uncounted.totalCount).toBeNull();
        expect({ ...uncounted, totalCount: counted.totalCount }).toEqual(counted);
      });

      it('treats % and _ in a name search as plain characters', async () => {
        expect((await registry.search({ nameContains: '100%' }, { first: 50 })).totalCount).toBe(1);
        expect((await registry.search({ nameContains: '纯_棉' }, { first: 50 })).totalCount).toBe(1);
        expect((await registry.search({ nameContains: '_' }, { first: 50 })).totalCount).toBe(1);
      });

      it('answers an empty page with no cursor when nothing matches', async () => {
        expect(await registry.search({ nameContains: '不存在' }, { first: 5 })).toEqual({
          totalCount: 0,
          items: [],
          endCursor: null,
          hasNextPage: false,
        });
      });

      it('rejects a cursor it did not make', async () => {
        await expect(registry.search({}, { first: 5, after: 'bm90LWEtY3Vyc29y' })).rejects.toBeInstanceOf(
          InvalidCursorError,
        );
      });

      // A cursor is base64url the caller can write: one naming a position no text column can hold
      // (a NUL) once reached the store and came back a 500 (invalid byte sequence for encoding UTF8).
      it('rejects a well-formed cursor whose position holds a NUL, before the store sees it', async () => {
        const forged = Buffer.from(JSON.stringify(['subjects', 1, '9133\u0000'])).toString('base64url');
        await expect(registry.search({}, { first: 5, after: forged })).rejects.toBeInstanceOf(InvalidCursorError);
      });
    });

    it('stores feed cursors and counts the records read', async () => {
      expect(await registry.cursor('approval.subjects')).toBeNull();
      await registry.saveCursor('approval.subjects', 'c1', 10);
      await registry.saveCursor('approval.subjects', 'c2', 5);
      expect(await registry.cursor('approval.subjects')).toMatchObject({ cursor: 'c2', records: 15 });
    });
  });
}

describe('the PGlite registry', () => {
  const [pglite] = storeVariants();
  afterAll(() => pglite!.dispose());

  it('keeps its data when the store is closed and reopened on the same directory', async () => {
    const first = await pglite!.open();
    await new SubjectRegistry(first.prisma).upsertMany([approvalEntry(1)]);
    await first.close();
    const second = await pglite!.reopen();
    expect(await new SubjectRegistry(second.prisma).findByUsccs([usccOf(1)])).toHaveLength(1);
  });
});
