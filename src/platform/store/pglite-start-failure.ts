import { StoreStartFailure } from './migration-failures.ts';

/**
 * PGlite's file system is Emscripten's, which reports a failed disk operation as an `ErrnoError`
 * carrying only a WASI errno number (no message: printed, it reads "[object Object]"). These are
 * the ones a data folder's disk gives, in the words of the C library.
 */
const WASI_ERRNO: Readonly<Record<number, string>> = {
  2: 'permission denied (EACCES)',
  19: 'disk quota exceeded (EDQUOT)',
  29: 'input/output error (EIO)',
  44: 'no such file or directory (ENOENT)',
  51: 'no space left on device (ENOSPC)',
  63: 'operation not permitted (EPERM)',
  69: 'read-only file system (EROFS)',
};

/**
 * The embedded store could not be opened in its folder: a start failure that names the folder and
 * what its disk said, so an operator can act without a stack. Other errors pass unchanged.
 */
export function embeddedStoreStartFailure(dataDir: string, error: unknown): unknown {
  if (error === null || typeof error !== 'object' || (error as { name?: unknown }).name !== 'ErrnoError') return error;
  const errno = (error as { errno?: unknown }).errno;
  const said = typeof errno === 'number' ? (WASI_ERRNO[errno] ?? `file-system error ${errno}`) : 'a file-system error';
  return new StoreStartFailure(`the embedded store at ${dataDir} could not be opened: ${said}`, { cause: error });
}
