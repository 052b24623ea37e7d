import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  EmbeddedStoreStoppedError,
  guardPglite,
  leavesPgliteUnreliable,
  type PglitePanicGuard,
} from '../../src/platform/store/pglite-panic-guard.ts';
import { isStoreUnavailable } from '../../src/platform/store/store-unavailable.ts';

/** Rows asked for, at most, before one needs a file the instance has not created yet (the table's `_fsm` fork). */
const ROWS_UNTIL_A_NEW_FILE = 400;
/** How long, at most, the guard may take to reopen the folder once files can be opened again. */
const REOPEN_BOUND_MS = 20_000;

/** As PGlite answers: a PostgreSQL error with its SQLSTATE and severity. */
function storeError(code: string, message: string, severity = 'ERROR'): Error {
  return Object.assign(new Error(message), { code, severity });
}

/**
 * PGlite opens and creates its files through `fs.openSync`, looked up at each call: failing it is
 * this process out of file descriptors (EMFILE), refused before anything is created.
 */
function outOfFileDescriptors(): void {
  vi.spyOn(fs, 'openSync').mockImplementation((path: fs.PathLike) => {
    throw Object.assign(new Error(`EMFILE: too many open files, open '${String(path)}'`), {
      code: 'EMFILE',
      errno: -24,
      syscall: 'open',
    });
  });
}

describe('which errors of the embedded store (PGlite) stop its instance', () => {
  it.each([
    ['a PANIC', storeError('XX000', 'could not write to file "pg_wal/…": Read-only file system', 'PANIC')],
    [
      'a file it made already there (58P02)',
      storeError('58P02', 'could not create file "base/5/16443_fsm": File exists'),
    ],
    ['a file of its own missing (58P01)', storeError('58P01', 'could not open file "base/5/16443": No such file')],
    ['an I/O error (58030)', storeError('58030', 'could not read block 0 in file "base/5/16443": I/O error')],
    [
      'running out of file descriptors (53000, EMFILE)',
      storeError('53000', 'could not open file "base/5/16443_fsm": No file descriptors available'),
    ],
    [
      'the system running out of open files (53000, ENFILE)',
      storeError('53000', 'could not open file "base/5/16443": Too many open files in system'),
    ],
  ])('%s stops it', (_name, error) => {
    expect(leavesPgliteUnreliable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', storeError('23505', 'duplicate key value violates unique constraint "t_pkey"')],
    ['a syntax error', storeError('42601', 'syntax error at or near "SELEC"')],
    ['a cancelled statement', storeError('57014', 'canceling statement due to statement timeout')],
    ['a full disk, which PGlite survives', storeError('53100', 'could not extend file "base/5/16443": No space left')],
    ['another shortage of resources', storeError('53000', 'too many ranges')],
    ['an error without a SQLSTATE', new Error('PGlite is closed')],
  ])('%s does not', (_name, error) => {
    expect(leavesPgliteUnreliable(error)).toBe(false);
  });
});

describe('the embedded store (PGlite) when its process runs out of file descriptors', () => {
  let dataDir: string | undefined;
  let guard: PglitePanicGuard | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await guard?.close();
    guard = undefined;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  async function openGuarded(): Promise<PglitePanicGuard> {
    dataDir = await mkdtemp(join(tmpdir(), 'gw-pglite-files-'));
    const folder = dataDir;
    const first = await PGlite.create({ dataDir: folder });
    return guardPglite(first, {
      dataDir: folder,
      reopen: () => PGlite.create({ dataDir: folder }),
      initialRetryMs: 10,
      maxRetryMs: 100,
    });
  }

  it(
    'refuses as unavailable once a file could not be created, and reopens the folder by itself once files can be, nothing committed lost',
    { timeout: 60_000 },
    async () => {
      guard = await openGuarded();
      const { db } = guard;
      await db.exec(`CREATE TABLE entries (id serial PRIMARY KEY, body text NOT NULL)`);
      await db.query(`INSERT INTO entries (body) VALUES ('before')`);
      let committed = 1;

      outOfFileDescriptors();
      // Files already open keep working: rows go in until one needs a new file.
      let failure: unknown;
      for (let i = 0; i < ROWS_UNTIL_A_NEW_FILE && !failure; i++) {
        try {
          await db.query(`INSERT INTO entries (body) VALUES (repeat('x', 200))`);
          committed += 1;
        } catch (error) {
          failure = error;
        }
      }
      expect(failure).toBeInstanceOf(EmbeddedStoreStoppedError);
      expect(String((failure as Error).message)).toMatch(/could not create file|No file descriptors available/);
      expect(isStoreUnavailable(failure)).toBe(true);
      await expect(db.query('SELECT 1')).rejects.toBeInstanceOf(EmbeddedStoreStoppedError);

      vi.restoreAllMocks();
      const restored = performance.now();
      while (guard.stopped() && performance.now() - restored < REOPEN_BOUND_MS)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(guard.stopped()).toBeNull();

      await db.query(`INSERT INTO entries (body) VALUES (repeat('y', 200))`);
      committed += 1;
      const [{ count }] = (await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM entries`)).rows as [
        { count: number },
      ];
      expect(count).toBe(committed);
    },
  );

  it('keeps an instance that refused a statement for its own fault', async () => {
    guard = await openGuarded();
    const { db } = guard;
    const first = guard.current();
    await db.exec(`CREATE TABLE entries (id int PRIMARY KEY)`);
    await db.query(`INSERT INTO entries VALUES (1)`);

    await expect(db.query(`INSERT INTO entries VALUES (1)`)).rejects.toMatchObject({ code: '23505' });
    await expect(db.query(`SELEC 1`)).rejects.toMatchObject({ code: '42601' });

    expect(guard.stopped()).toBeNull();
    expect(guard.current()).toBe(first);
    expect((await db.query(`SELECT count(*)::int AS count FROM entries`)).rows).toEqual([{ count: 1 }]);
  });
});
