import { writeSync } from 'node:fs';
import { pino } from 'pino';

/** The chunks sonic-boom 4 holds in memory: its private queue, read only at exit. */
interface SonicBoomQueue {
  fd: number;
  _bufs: Array<string | Buffer>;
  _len: number;
  _writing: boolean;
  _writingBuf: string | Buffer;
}

/** How often a write the pipe is too full to take (EAGAIN) is tried again at exit, 10 ms apart. */
const EXIT_WRITE_ATTEMPTS = 50;

/**
 * stdout as pino has it by default — asynchronous (sonic-boom, one thread-pool write at a time,
 * lines queued behind it; bench/notes/logline.md) and written out synchronously at exit — with
 * an exit flush that ends. sonic-boom 4's own `flushSync` tries a failed write again forever
 * unless it failed for want of room, so when the log's reader had gone (a shipper restarted,
 * `npm start | head`) and lines were still queued at exit, the process never exited: SIGTERM
 * drained and stopped everything, then hung in the flush, its overrun timer included, until
 * SIGKILL. Here a write that fails otherwise gives the queue up.
 */
export function stdoutDestination(): ReturnType<typeof pino.destination> {
  const destination = pino.destination({ dest: 1, sync: false });
  destination.flushSync = () => writeQueueOnce(destination as unknown as SonicBoomQueue);
  return destination;
}

function writeQueueOnce(queue: SonicBoomQueue): void {
  // A chunk already with the thread pool is its own; one set aside after a partial write is not.
  if (!queue._writing && queue._writingBuf.length > 0) {
    queue._bufs.unshift(queue._writingBuf);
    queue._writingBuf = '';
  }
  const chunks = queue._bufs.splice(0);
  queue._len = 0;
  for (const chunk of chunks) if (!writeWhole(queue.fd, typeof chunk === 'string' ? Buffer.from(chunk) : chunk)) return;
}

/** Writes `bytes` to `fd`; false when the reader has gone or will not take them. */
function writeWhole(fd: number, bytes: Buffer): boolean {
  let offset = 0;
  let attempts = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'EAGAIN' && code !== 'EBUSY') || ++attempts >= EXIT_WRITE_ATTEMPTS) return false;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
  return true;
}
