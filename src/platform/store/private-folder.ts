import { chmodSync } from 'node:fs';
import { makeFolderSync } from '../make-folder.ts';

/**
 * Makes `folder` (and any parent missing) and leaves it enterable by its owner only (0700), as
 * PostgreSQL demands of its data directory. PGlite creates its data files readable and writable by
 * everyone (0666) whatever the umask, so the folder's mode is what keeps another user of the
 * machine from reading the access log and transfers or rewriting grants. A folder made before (by
 * an earlier version, 0755) is closed too. Throws when the mode cannot be set (a folder owned by
 * another user): the store must not open where others may write it.
 */
export function makePrivateFolder(folder: string): void {
  try {
    makeFolderSync(folder, 0o700);
  } catch (error) {
    throw new Error(`the embedded store folder ${folder} cannot be made: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    chmodSync(folder, 0o700);
  } catch (error) {
    throw new Error(
      `the embedded store folder ${folder} cannot be made private to this user (mode 0700): ${(error as Error).message}`,
      { cause: error },
    );
  }
}
