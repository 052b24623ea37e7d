import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/platform/store/open-store.ts';

/** PGlite writes its data files readable and writable by everyone (0666, whatever the umask). */
const OTHERS = 0o077;

let dataDir: string;
let folder: string;
const stores: Store[] = [];
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'gw-pglite-private-'));
  folder = join(dataDir, 'pglite');
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function open(): Promise<void> {
  stores.push(await openStore({ dataDir: folder }));
}

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('the embedded store folder is closed to other users of the machine', () => {
  it('makes a new folder that only its owner may enter, as PostgreSQL requires of its data directory', async () => {
    await open();
    expect(modeOf(folder) & OTHERS).toBe(0);
  });

  it('closes a folder an earlier version left open to everyone, whose files anyone could rewrite', async () => {
    mkdirSync(folder, { mode: 0o755 });
    chmodSync(folder, 0o755);
    await open();
    expect(modeOf(folder) & OTHERS).toBe(0);
  });
});
