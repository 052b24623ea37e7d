import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/platform/store/open-store.ts';
import { storeVariants } from '../support/stores.ts';

/** The same statement every time, as the access log's append is: the store may prepare it once. */
const INSERT = `INSERT INTO "statement_probe" ("id", "at", "tags", "doc", "note")
  VALUES ($1::int8, $2::timestamptz, $3::text[], $4::jsonb, $5::text)`;

for (const variant of storeVariants()) {
  describe.runIf(variant.available)(`a statement run straight on ${variant.name}`, () => {
    let store: Store;
    let execute: NonNullable<Store['executeStatement']>;

    beforeAll(async () => {
      store = await variant.open();
      execute = store.executeStatement!;
      await store.prisma.$executeRawUnsafe(`CREATE TABLE "statement_probe" (
        "id" int8 PRIMARY KEY, "at" timestamptz, "tags" text[], "doc" jsonb, "note" text)`);
    });
    afterAll(() => variant.dispose());

    const stored = async (id: number) =>
      (
        await store.prisma.$queryRawUnsafe<{ at: Date; tags: string[]; doc: unknown; note: string | null }[]>(
          `SELECT "at", "tags", "doc", "note" FROM "statement_probe" WHERE "id" = $1`,
          id,
        )
      )[0];

    it('resolves to the rows it changed, each time it runs', async () => {
      expect(await execute(INSERT, ['1', new Date(0), [], '{}', null])).toBe(1);
      expect(await execute(INSERT, ['2', new Date(0), [], '{}', null])).toBe(1);
      expect(await execute(`DELETE FROM "statement_probe" WHERE "id" >= $1::int8`, ['1'])).toBe(2);
    });

    it('stores every kind of value as given, awkward text included', async () => {
      const at = new Date('2024-06-01T09:30:00.250+08:00');
      const awkward = ['"q" \\ \n\t', "it's $1", '{"a":1}', 'null', '', '\u0001\u2028'];
      await execute(INSERT, ['10', at, awkward, JSON.stringify({ 'Subject.x': 'g-1' }), awkward[0]]);
      await execute(INSERT, ['11', at, awkward, JSON.stringify({ 'Subject.x': 'g-1' }), awkward[0]]);
      const row = await stored(11);
      expect(row).toEqual({ at, tags: awkward, doc: { 'Subject.x': 'g-1' }, note: awkward[0] });
      expect(await stored(10)).toEqual(row);
    });

    it('rejects a statement that fails, keeps nothing of it, and runs the next one as before', async () => {
      await execute(INSERT, ['20', new Date(0), [], '{}', 'first']);
      await expect(execute(INSERT, ['20', new Date(0), [], '{}', 'again'])).rejects.toThrow(/duplicate key/);
      await expect(execute(INSERT, ['21', new Date(0), [], 'not json', null])).rejects.toThrow(/json/i);
      expect(await execute(INSERT, ['22', new Date(0), [], '{}', 'after'])).toBe(1);
      expect((await stored(20))?.note).toBe('first');
      expect(await stored(21)).toBeUndefined();
      expect((await stored(22))?.note).toBe('after');
    });

    it('runs after the database forgot every prepared statement (DISCARD ALL)', async () => {
      await execute(INSERT, ['30', new Date(0), [], '{}', null]);
      // On PostgreSQL the straight statements have connections of their own, which this does not reach.
      await store.prisma.$executeRawUnsafe('DISCARD ALL');
      expect(await execute(INSERT, ['31', new Date(0), [], '{}', null])).toBe(1);
      expect(await stored(31)).toBeDefined();
    });

    it('never runs inside a transaction that is open meanwhile, so a rollback takes none of its rows', async () => {
      let straight: Promise<number> | undefined;
      await store.prisma
        .$transaction(async (tx) => {
          await tx.$executeRawUnsafe(`INSERT INTO "statement_probe" ("id") VALUES (40)`);
          straight = execute(INSERT, ['41', new Date(0), [], '{}', 'outside']);
          // Give the straight statement every chance to run now, inside this transaction.
          await new Promise((resolve) => setTimeout(resolve, 50));
          throw new Error('roll back');
        })
        .catch(() => undefined);
      expect(await straight).toBe(1);
      expect(await stored(40)).toBeUndefined();
      expect((await stored(41))?.note).toBe('outside');
    });
  });
}

describe('a statement run straight on a closed store', () => {
  it('rejects', async () => {
    const [pglite] = storeVariants();
    const store = await pglite!.open();
    await store.close();
    await expect(store.executeStatement!(INSERT, ['1', new Date(0), [], '{}', null])).rejects.toThrow(/closed/);
    await pglite!.dispose();
  });
});
