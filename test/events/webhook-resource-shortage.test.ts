import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./fixtures/webhook-without-descriptors.ts', import.meta.url));

/** A receiver that acknowledges every POST and counts them. */
let receiver: Server;
let receiverUrl: string;
let received = 0;
beforeAll(async () => {
  receiver = createServer((request, response) => {
    received += 1;
    request.resume();
    response.writeHead(204).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise((resolve) => receiver.close(resolve)));

interface DeliveryState {
  status: string;
  attempts: number;
  lastError: { code: string; reason: string | null; message: string } | null;
}

/** Runs the fixture under a descriptor limit low enough to exhaust in a moment. */
async function deliverWhileOutOfDescriptors(url: string) {
  const { stdout } = await promisify(execFile)(
    'bash',
    ['-c', `ulimit -n 256 && exec "${process.execPath}" --import tsx "${child}" "${url}"`],
    { cwd: process.cwd(), timeout: 60_000 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    held: number;
    whileShort: DeliveryState & { deferrals: number };
    afterwards: DeliveryState;
  };
}

describe('a webhook sent while the gateway is short of its own file descriptors', () => {
  it.each([
    ['an address', () => receiverUrl],
    // Resolving a name fails first, and not with EMFILE (ENOTFOUND when /etc/hosts cannot be opened, EBUSY under gVisor).
    ['a host name', () => receiverUrl.replace('127.0.0.1', 'localhost')],
  ])(
    'to %s is put off without spending its attempts, saying why, and delivered once descriptors are back, as one attempt',
    async (_, url) => {
      received = 0;
      const outcome = await deliverWhileOutOfDescriptors(url());

      expect(outcome.held).toBeGreaterThan(100);
      // Ten tries, against a budget of two attempts: none was counted, none dead-lettered it.
      expect(outcome.whileShort).toMatchObject({
        status: 'PENDING',
        lastError: { code: 'UPSTREAM_UNAVAILABLE', reason: 'gateway_out_of_resources' },
      });
      expect(outcome.whileShort.deferrals).toBeGreaterThanOrEqual(10);
      // Read between tries (0) or during one (1, counted when claimed and given back after).
      expect(outcome.whileShort.attempts).toBeLessThanOrEqual(1);
      expect(outcome.afterwards).toMatchObject({ status: 'DELIVERED', attempts: 1 });
      expect(received).toBe(1);
    },
    60_000,
  );
});
