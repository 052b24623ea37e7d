import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreStartFailure } from '../../src/platform/store/migration-failures.ts';
import { openStore, type Store } from '../../src/platform/store/open-store.ts';
import { holderLine } from '../../src/platform/store/pglite-folder-lock.ts';

const ROOT = join(import.meta.dirname, '..', '..');

let dataDir: string;
let folder: string;
const stores: Store[] = [];
const others: ChildProcess[] = [];
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'gw-pglite-lock-'));
  folder = join(dataDir, 'pglite');
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const other of others.splice(0)) other.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

async function open(): Promise<Store> {
  const store = await openStore({ dataDir: folder });
  stores.push(store);
  return store;
}

/** Another process that runs until killed: stands for a gateway holding the folder. */
async function anotherProcess(): Promise<ChildProcess> {
  const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  others.push(other);
  await once(other, 'spawn');
  return other;
}

async function auditVerify(): Promise<{ code: number; stderr: string }> {
  try {
    await promisify(execFile)('npx', ['tsx', 'scripts/audit-verify.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
    });
    return { code: 0, stderr: '' };
  } catch (error) {
    const failed = error as { code?: number; stderr?: string };
    return { code: failed.code ?? -1, stderr: failed.stderr ?? '' };
  }
}

describe('one process per embedded store folder', () => {
  it('refuses to open a folder another running process holds, naming it', async () => {
    const other = await anotherProcess();
    writeFileSync(`${folder}.lock`, holderLine(other.pid!));
    const opening = openStore({ dataDir: folder });
    await expect(opening).rejects.toBeInstanceOf(StoreStartFailure);
    await expect(opening).rejects.toThrow(`in use by process ${other.pid}`);
  });

  it('refuses a folder whose lock names only the pid of a running process, as an older gateway wrote it', async () => {
    const other = await anotherProcess();
    writeFileSync(`${folder}.lock`, String(other.pid));
    await expect(openStore({ dataDir: folder })).rejects.toThrow(`in use by process ${other.pid}`);
  });

  it('takes over a lock whose pid now belongs to another process, as after a reboot or a container restart', async () => {
    const other = await anotherProcess();
    const [pid, identity] = holderLine(other.pid!).split(' ');
    expect(identity, 'this test needs /proc to tell one process from another').toMatch(/^[\w-]+:\d+$/);
    // The same pid, but started at another time: the crashed gateway's lock, its pid reused.
    const [boot, start] = identity!.split(':');
    writeFileSync(`${folder}.lock`, `${pid} ${boot}:${Number(start) - 1}`);
    const store = await open();
    expect(await store.ping()).toBeUndefined();
  });

  it('takes over the lock of a process that is gone (a crash), and gives it up on close', async () => {
    const other = await anotherProcess();
    writeFileSync(`${folder}.lock`, String(other.pid));
    other.kill();
    await once(other, 'exit');
    const store = await open();
    expect(existsSync(`${folder}.lock`)).toBe(true);
    await store.close();
    stores.splice(stores.indexOf(store), 1);
    expect(existsSync(`${folder}.lock`)).toBe(false);
  });

  it('refuses audit:verify while a gateway holds the folder, where it would have read a stale copy', async () => {
    await open();
    const refused = await auditVerify();
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`in use by process ${process.pid}`);
    for (const store of stores.splice(0)) await store.close();
    expect((await auditVerify()).code).toBe(0);
  }, 120_000);
});
