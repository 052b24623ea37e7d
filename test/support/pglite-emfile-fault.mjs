/**
 * Loaded with `node --import` into a gateway process a test starts (test/gateway/
 * embedded-store-file-limit.test.ts): while the file `PGLITE_EMFILE_FAULT_FILE` names exists, every
 * file the process opens or creates fails as it does once the process has used up its file
 * descriptors (EMFILE): refused before anything is created, as the kernel refuses `open(2)`.
 * Descriptors already open keep working. PGlite's file system (Emscripten's NODEFS) opens and
 * creates files through `fs.openSync`, looked up at each call (`fs.writeFileSync`, with which it
 * creates a file, calls it too), so replacing it here is enough.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const trigger = process.env['PGLITE_EMFILE_FAULT_FILE'];

if (trigger) {
  const openSync = fs.openSync;
  fs.openSync = function openSyncWithoutDescriptors(path, ...rest) {
    if (fs.existsSync(trigger))
      throw Object.assign(new Error(`EMFILE: too many open files, open '${String(path)}'`), {
        code: 'EMFILE',
        errno: -24,
        syscall: 'open',
        path: String(path),
      });
    return openSync.call(this, path, ...rest);
  };
  // `import { openSync } from 'node:fs'` too.
  syncBuiltinESMExports();
}
