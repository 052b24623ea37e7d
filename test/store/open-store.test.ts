import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/platform/store/open-store.ts';

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
