import { once } from 'node:events';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { persistedKeyPair } from '../../src/auth/persisted-key-pair.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { makeFolder, makeFolderSync } from '../../src/platform/make-folder.ts';
import { spawnStart } from '../support/start-script.ts';

/**
 * Node 20's recursive mkdir spins for ever on `/proc/nope` (procfs answers ENOENT for it and EEXIST
 * for `/proc`, and Node retries the pair): `DATA_DIR=/proc/nope npm start` printed nothing and kept
 * a core busy. A folder a setting names is made one level at a time and refused at once.
 */
describe('making a folder a setting names', () => {
  it('stops the start at once on DATA_DIR=/proc/nope, naming the setting, exit 1, no stack', async () => {
    const child = spawnStart({ PORT: '0', DATA_DIR: '/proc/nope', LOG_LEVEL: 'silent' });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    const overrun = setTimeout(() => child.kill('SIGKILL'), 15_000);
    try {
      const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
      expect({ code, signal }, stderr).toEqual({ code: 1, signal: null });
      expect(stderr).toContain(
        'gateway did not start: Invalid configuration:\n  DATA_DIR="/proc/nope": must name a writable folder: cannot create it (ENOENT',
      );
      expect(stderr).not.toMatch(/\n\s+at |Node\.js v\d/);
    } finally {
      clearTimeout(overrun);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 30_000);

  it('refuses a key folder under /proc/nope at once (the demo issuer, the webhook signing key)', async () => {
    await expect(persistedKeyPair('/proc/nope/demo-issuer')).rejects.toMatchObject({ code: 'ENOENT' });
  }, 5_000);

  it('throws the system refusal of the first level it cannot make, sync or async', async () => {
    expect(() => makeFolderSync('/proc/nope/deeper', 0o700)).toThrow(/ENOENT: .*mkdir '\/proc\/nope'/);
    await expect(makeFolder('/proc/nope/deeper', 0o700)).rejects.toThrow(/ENOENT: .*mkdir '\/proc\/nope'/);
    const aFile = join(mkdtempSync(join(tmpdir(), 'make-folder-')), 'a-file');
    writeFileSync(aFile, '');
    expect(() => makeFolderSync(join(aFile, 'below'), 0o700)).toThrow(/ENOTDIR: .*'[^']*a-file'/);
  });

  it('makes every missing level with the mode asked for, and takes a folder already there', async () => {
    const root = mkdtempSync(join(tmpdir(), 'make-folder-'));
    makeFolderSync(join(root, 'a', 'b'), 0o700);
    await makeFolder(join(root, 'a', 'b', 'c'), 0o700);
    makeFolderSync(join(root, 'a', 'b', 'c'), 0o700);
    for (const level of ['a', 'a/b', 'a/b/c']) expect(statSync(join(root, level)).mode & 0o777).toBe(0o700);
  });

  it('leaves nothing on disk for DATA_DIR=memory://', () => {
    expect(loadConfig({ DATA_DIR: 'memory://' }).dataDir).toBe('memory://');
    expect(statSync('memory:', { throwIfNoEntry: false })).toBeUndefined();
  });
});
