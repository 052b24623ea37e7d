import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.ts';
import { startGateway } from '../../src/gateway.ts';
import { startTestGateway } from '../support/gateway.ts';

describe('starting and stopping the gateway', () => {
  it('lets a request in flight finish when it is asked to stop', async () => {
    const gw = await startTestGateway();
    try {
      await gw.simulators.control('supervision').setFaults({ latencyMs: 600 });
      const uscc = gw.world.enterprises[0]!.uscc;
      const inFlight = gw.post<{ subject: { inspections: unknown[] } }>(
        `query ($u: USCC!) { subject(uscc: $u) { inspections { id } } }`,
        { u: uscc },
      );
      await new Promise((resolve) => setTimeout(resolve, 150));
      const closing = gw.gateway.close();
      const response = await inFlight;
      await closing;
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      expect(Array.isArray(response.body.data?.subject.inspections)).toBe(true);
      await expect(fetch(`${gw.url}/healthz`)).rejects.toThrow();
    } finally {
      await gw.simulators.close();
    }
  });

  it('fails with the reason, not a crash, when its port is taken', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as AddressInfo;
    try {
      const config = loadConfig({
        PORT: String(port),
        DATA_DIR: 'memory://',
        LOG_LEVEL: 'silent',
        // Unreachable agencies: the gateway must still get as far as listening.
        APPROVAL_URL: 'http://127.0.0.1:9',
        SUPERVISION_URL: 'http://127.0.0.1:9',
        ENFORCEMENT_URL: 'http://127.0.0.1:9',
        CREDIT_URL: 'http://127.0.0.1:9',
        UPSTREAM_RETRIES: '0',
      });
      await expect(startGateway(config)).rejects.toThrow(/EADDRINUSE/);
    } finally {
      squatter.close();
    }
  });
});
