import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/platform/store/open-store.ts';
import { postgresVariant, TEST_DATABASE_URL } from '../support/stores.ts';

const scratch = mkdtempSync(join(tmpdir(), 'gw-open-store-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the embedded store', () => {
  it('creates its data folder, parents included, on a fresh machine', async () => {
    const dataDir = join(scratch, 'data', 'pglite');
    const store = await openStore({ dataDir });
    try {
      await store.ping();
      expect(existsSync(dataDir)).toBe(true);
      // 16 MB of shared buffers, not the 128 MB PGlite's own postgresql.conf asks (bench/RESULTS-memory.md).
      const [setting] = await store.prisma.$queryRaw<Array<{ shared_buffers: string }>>`SHOW shared_buffers`;
      expect(setting?.shared_buffers).toBe('16MB');
    } finally {
      await store.close();
    }
  });
});

describe.runIf(TEST_DATABASE_URL !== undefined)('the PostgreSQL store', () => {
  const variant = postgresVariant(TEST_DATABASE_URL);
  afterAll(() => variant.dispose());

  it('closes twice without throwing, as a shutdown path and a test fixture both may', async () => {
    const store = await variant.open();
    await store.ping();
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
  });
});
