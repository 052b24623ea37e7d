import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators } from '../../simulators/index.ts';
import { quietGatewayEnv, readyGateway } from '../support/gateway-process.ts';
import { spawnStart } from '../support/start-script.ts';

/**
 * The gateway logs one JSON line per request to stdout, which a log shipper reads through a pipe.
 * When that reader dies (a shipper restarted, `npm start | head`), every write fails with EPIPE,
 * and the gateway must still stop on SIGTERM. It did not: at exit pino flushes the lines still
 * queued synchronously, and sonic-boom's flush tries a failed write again forever, so only
 * SIGKILL could end the process, its overrun timer included.
 */
describe('a gateway whose log reader has gone', () => {
  let sims: Awaited<ReturnType<typeof startSimulators>>;
  let folder: string;

  beforeAll(async () => {
    sims = await startSimulators({ scale: 1, seed: 42 });
    folder = await mkdtemp(join(tmpdir(), 'gw-log-reader-'));
  }, 60_000);
  afterAll(async () => {
    await sims?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('still stops on SIGTERM within its grace, exit 0', { timeout: 90_000 }, async () => {
    const child = spawnStart({ ...quietGatewayEnv(sims.urls, join(folder, 'data')), SHUTDOWN_GRACE_MS: '12000' });
    try {
      const gateway = await readyGateway(child);
      child.stdout.destroy();
      const stoppedAt = Date.now();
      child.kill('SIGTERM');
      const exit = await Promise.race([
        gateway.exited,
        new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 20_000)),
      ]);
      expect(exit, gateway.output().slice(-2000)).toEqual([0, null]);
      expect(Date.now() - stoppedAt).toBeLessThan(12_000);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
