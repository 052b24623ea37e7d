import { closeSync, openSync } from 'node:fs';
import { devNull } from 'node:os';

/**
 * Whether this process cannot open a file descriptor now (EMFILE: its own limit; ENFILE: the
 * system's). Asked after a network failure whose code does not say: out of descriptors, a
 * connection fails with EMFILE, but resolving a name fails first and as the resolver pleases
 * (glibc, unable to open /etc/hosts, answers ENOTFOUND; gVisor EBUSY), words that alone would
 * blame the other end. One open and one close, and only on such a failure.
 */
export function outOfDescriptors(): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(devNull, 'r');
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EMFILE' || code === 'ENFILE';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
