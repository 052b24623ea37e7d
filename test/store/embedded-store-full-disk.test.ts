import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../src/platform/store/open-store.ts';
import { StoreStartFailure } from '../../src/platform/store/migration-failures.ts';

/**
 * PGlite reaches its folder through `fs.writeSync`, looked up at each call: failing it for files
 * under one folder is that folder's disk full (ENOSPC), for this process only.
 */
function diskFullUnder(folder: string): void {
  const writeSync = fs.writeSync.bind(fs);
  vi.spyOn(fs, 'writeSync').mockImplementation((fd: number, ...rest: unknown[]) => {
    let path = '';
    try {
      path = fs.readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      // not a file of ours
    }
    if (path.startsWith(folder))
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });
    return (writeSync as (...args: unknown[]) => number)(fd, ...rest);
  });
}

describe.runIf(process.platform === 'linux')('opening the embedded store on a full disk', () => {
  let dataDir: string | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'fails the start naming the folder and that its disk is full, not "[object Object]"',
    { timeout: 60_000 },
    async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'gw-full-disk-'));
      diskFullUnder(dataDir);
      const failure = await openStore({ dataDir: join(dataDir, 'pglite') }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(StoreStartFailure);
      expect((failure as Error).message).toContain(join(dataDir, 'pglite'));
      expect((failure as Error).message).toMatch(/no space left/);
    },
  );
});
