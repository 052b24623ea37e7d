import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../../src/gateway.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { spawnStart } from '../support/start-script.ts';

/**
 * The commonest failed start on a newcomer's machine: `npm start` while an earlier gateway (or
 * anything else) still holds PORT. It says so as every other failed start does, in one line naming
 * the setting, not as Node's EADDRINUSE with a stack.
 */
describe('starting the gateway process on a port another process holds', () => {
  let squatter: Server;
  let port: number;
  beforeAll(async () => {
    squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    port = (squatter.address() as AddressInfo).port;
  });
  afterAll(() => squatter?.close());

  const unreachableAgencies = {
    APPROVAL_URL: 'http://127.0.0.1:9',
    SUPERVISION_URL: 'http://127.0.0.1:9',
    ENFORCEMENT_URL: 'http://127.0.0.1:9',
    CREDIT_URL: 'http://127.0.0.1:9',
    UPSTREAM_RETRIES: '0',
  };

  it('exits 1 saying the address is in use and which setting chose it, without a stack trace', async () => {
    const child = spawnStart({
      PORT: String(port),
      DATA_DIR: 'memory://',
      LOG_LEVEL: 'silent',
      // No simulators to start, and the gateway still gets as far as listening.
      ...unreachableAgencies,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    const overrun = setTimeout(() => child.kill('SIGKILL'), 40_000);
    try {
      const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
      expect({ code, signal }, stderr).toEqual({ code: 1, signal: null });
      expect(stderr).toBe(
        `gateway did not start: 127.0.0.1:${port} is already in use by another process (EADDRINUSE): ` +
          'stop it (an earlier gateway?) or set PORT to a free port\n',
      );
    } finally {
      clearTimeout(overrun);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 60_000);

  it('names MANAGEMENT_PORT when it is the operator port that is taken', async () => {
    const config = loadConfig({
      PORT: '0',
      MANAGEMENT_PORT: String(port),
      DATA_DIR: 'memory://',
      LOG_LEVEL: 'silent',
      ...unreachableAgencies,
    });
    await expect(startGateway(config)).rejects.toThrow(
      `127.0.0.1:${port} is already in use by another process (EADDRINUSE): ` +
        'stop it (an earlier gateway?) or set MANAGEMENT_PORT to a free port',
    );
  });
});
