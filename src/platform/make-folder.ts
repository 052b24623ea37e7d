import { mkdirSync, statSync, type Stats } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * Folder creation with its missing parents, in at most one `mkdir` per missing level. Node 20's
 * `mkdir(…, { recursive: true })` (sync, callback and promise alike) never returns on a path such
 * as `/proc/nope`: procfs answers `mkdir("/proc/nope")` with ENOENT and `mkdir("/proc")` with EEXIST,
 * and Node retries the pair for ever, with no output and a busy CPU. Here the existing ancestor is
 * found by `stat` first, then each missing level is made once, top down: a refusal is thrown as
 * the system gave it (ENOENT, ENOTDIR, EACCES, EROFS…), at once. ESLint refuses `recursive: true`
 * in src/, scripts/ and bench/, so every folder a setting or a script names goes through here.
 */

/** The folders to make, top down, for `folder` to exist; throws ENOTDIR when a file is in the way. */
function missingLevels(folder: string): string[] {
  const missing: string[] = [];
  let level = resolve(folder);
  for (;;) {
    const found = statOrNothing(level);
    if (found?.isDirectory()) return missing;
    if (found) throw notAFolder(level);
    missing.unshift(level);
    const parent = dirname(level);
    if (parent === level) return missing;
    level = parent;
  }
}

/** What is at `path`, or nothing; a file further up (ENOTDIR) is found when the walk gets to it. */
function statOrNothing(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function notAFolder(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${path}'`), { code: 'ENOTDIR', path });
}

/** Another process may make a level between our `stat` and our `mkdir`: a folder there will do. */
function isFolderNow(path: string, error: unknown): boolean {
  return (
    (error as NodeJS.ErrnoException).code === 'EEXIST' &&
    statSync(path, { throwIfNoEntry: false })?.isDirectory() === true
  );
}

/** Makes `folder` and its missing parents, each with `mode`; throws the first refusal at once. */
export function makeFolderSync(folder: string, mode: number): void {
  for (const level of missingLevels(folder)) {
    try {
      mkdirSync(level, { mode });
    } catch (error) {
      if (!isFolderNow(level, error)) throw error;
    }
  }
}

/** `makeFolderSync` for async code: the same levels, each `mkdir` awaited. */
export async function makeFolder(folder: string, mode: number): Promise<void> {
  for (const level of missingLevels(folder)) {
    try {
      await mkdir(level, { mode });
    } catch (error) {
      if (!isFolderNow(level, error)) throw error;
    }
  }
}
