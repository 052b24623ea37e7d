/**
 * Loaded with `node --import` into a gateway process a test starts (test/gateway/
 * embedded-store-disk-fault.test.ts): while the file `PGLITE_WAL_FAULT_FILE` names exists, every
 * write to a file in a `pg_wal` folder fails as on a disk gone read-only (EROFS), the way the
 * kernel answers once a file system has been remounted read-only after an error. PGlite's file
 * system reaches the disk through `fs.writeSync`, looked up at each call, so replacing it here is
 * enough; the folder of each write is read from /proc (Linux).
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const trigger = process.env['PGLITE_WAL_FAULT_FILE'];

function intoWal(fd) {
  try {
    return fs.readlinkSync(`/proc/self/fd/${fd}`).includes('/pg_wal/');
  } catch {
    return false;
  }
}

if (trigger) {
  const writeSync = fs.writeSync;
  fs.writeSync = function faultyWriteSync(fd, ...rest) {
    if (typeof fd === 'number' && fs.existsSync(trigger) && intoWal(fd))
      throw Object.assign(new Error('EROFS: read-only file system, write'), {
        code: 'EROFS',
        errno: -30,
        syscall: 'write',
      });
    return writeSync.call(this, fd, ...rest);
  };
  // `import { writeSync } from 'node:fs'` too.
  syncBuiltinESMExports();
}
