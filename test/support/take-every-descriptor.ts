import { closeSync, openSync } from 'node:fs';

/**
 * Opens /dev/null until the process may open nothing more (run it under a low `ulimit -n`), so
 * whatever the process tries next finds no descriptor; `giveBack` closes them all again.
 */
export function takeEveryDescriptor(): { held: number; giveBack(): void } {
  const fds: number[] = [];
  for (;;) {
    try {
      fds.push(openSync('/dev/null', 'r'));
    } catch {
      break;
    }
  }
  return { held: fds.length, giveBack: () => fds.splice(0).forEach((fd) => closeSync(fd)) };
}
