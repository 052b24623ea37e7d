import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/platform/store/open-store.ts';
import { preparedStatementsOn } from '../../src/platform/store/pglite-prepared-statements.ts';
import { preparedStatementsOnPool } from '../../src/platform/store/postgres-prepared-statements.ts';
import { postgresVariant, storeVariants, TEST_DATABASE_URL } from '../support/stores.ts';

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
      // On PGlite every statement shares the one connection; on PostgreSQL the straight statements
      // have a pool of their own, whose most recently used connection runs the next one.
      if (store.kind === 'pglite') await store.prisma.$executeRawUnsafe('DISCARD ALL');
      else await execute('DISCARD ALL', []);
      expect(await execute(INSERT, ['31', new Date(0), [], '{}', null])).toBe(1);
      expect(await execute(INSERT, ['32', new Date(0), [], '{}', null])).toBe(1);
      expect(await stored(32)).toBeDefined();
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

describe.runIf(TEST_DATABASE_URL !== undefined)('a statement run straight on PostgreSQL', () => {
  const variant = postgresVariant(TEST_DATABASE_URL);
  afterAll(() => variant.dispose());

  it('runs again once the server has dropped its connections (a restart), after at most one failure each', async () => {
    const store = await variant.open();
    const execute = store.executeStatement!;
    await store.prisma.$executeRawUnsafe(`CREATE TABLE "statement_probe" ("id" int8 PRIMARY KEY)`);
    const insert = `INSERT INTO "statement_probe" ("id") VALUES ($1::int8)`;
    await Promise.all([execute(insert, ['1']), execute(insert, ['2'])]);
    await store.prisma.$executeRawUnsafe(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    const outcomes = [];
    for (const id of ['3', '4', '5', '6']) outcomes.push(await execute(insert, [id]).catch(() => 'failed'));
    expect(outcomes.slice(-2)).toEqual([1, 1]);
    const [row] = await store.prisma.$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT count(*) AS n FROM "statement_probe" WHERE "id" >= 5`,
    );
    expect(Number(row?.n)).toBe(2);
  });
});

describe.runIf(TEST_DATABASE_URL !== undefined)('a statement whose name a server connection already holds', () => {
  it('is prepared under a new name and runs, as behind a pooler that hands out shared connections', async () => {
    const pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
    try {
      const execute = preparedStatementsOnPool(pool);
      expect(await execute('SELECT $1::int AS one', [1])).toBe(1);
      const { rows } = await pool.query<{ name: string }>('SELECT name FROM pg_prepared_statements');
      expect(rows).toHaveLength(1);
      // The name this pool would give its next statement, taken first as another client's would be.
      const taken = rows[0]!.name.replace(/_1$/, '_2');
      await pool.query(`PREPARE "${taken}" AS SELECT 2`);
      expect(await execute('SELECT $1::int AS two', [2])).toBe(1);
    } finally {
      await pool.end();
    }
  });
});

describe('statements run straight on PGlite', () => {
  const settledWithin = <T>(promise: Promise<T>, ms: number) =>
    Promise.race([
      promise.then(
        (value) => ({ value }),
        (error: unknown) => ({ error: String(error) }),
      ),
      new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), ms)),
    ]);

  it('runs texts past the prepared ones through PGlite, and the database goes on answering', async () => {
    const db = await PGlite.create();
    try {
      await db.exec(`CREATE TABLE "probe" ("id" int8 PRIMARY KEY)`);
      const execute = preparedStatementsOn(db);
      for (let text = 0; text < 12; text += 1)
        expect(await execute(`INSERT INTO "probe" ("id") VALUES ($1::int8 + ${text * 100})`, ['1'])).toBe(1);
      expect(await settledWithin(db.query('SELECT 1 AS "one"'), 5000)).toMatchObject({ value: { rows: [{ one: 1 }] } });
    } finally {
      await db.close();
    }
  });

  it('refuses a statement whose turn comes while the database is closing, and writes nothing of it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'execute-statement-'));
    try {
      const db = await PGlite.create({ dataDir });
      await db.exec(`CREATE TABLE "probe" ("id" int8 PRIMARY KEY)`);
      const execute = preparedStatementsOn(db);
      await execute(`INSERT INTO "probe" ("id") VALUES ($1::int8)`, ['1']);
      const closing = db.close();
      const outcome = await settledWithin(execute(`INSERT INTO "probe" ("id") VALUES ($1::int8)`, ['2']), 5000);
      await closing;
      expect(outcome).toEqual({ error: expect.stringMatching(/closing|closed/) });
      const reopened = await PGlite.create({ dataDir });
      expect((await reopened.query(`SELECT "id" FROM "probe" ORDER BY "id"`)).rows).toEqual([{ id: 1 }]);
      await reopened.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a statement run straight on a closed store', () => {
  it('rejects', async () => {
    const [pglite] = storeVariants();
    const store = await pglite!.open();
    await store.close();
    await expect(store.executeStatement!(INSERT, ['1', new Date(0), [], '{}', null])).rejects.toThrow(/closed/);
    await pglite!.dispose();
  });
});
