import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { sendJson, startTestServer, type TestServer } from './test-server.ts';

const child = fileURLToPath(new URL('./fixtures/calls-without-descriptors.ts', import.meta.url));

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Runs the fixture under a descriptor limit low enough to exhaust in a moment. */
async function callWhileOutOfDescriptors(url: string) {
  const { stdout } = await promisify(execFile)(
    'bash',
    ['-c', `ulimit -n 256 && exec "${process.execPath}" --import tsx "${child}" "${url}"`],
    { cwd: process.cwd(), timeout: 60_000 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { held: number; starved: string[]; afterwards: string };
}

describe('a gateway short of its own file descriptors', () => {
  it.each([
    ['an address', (url: string) => url],
    // Resolving a name fails first, and not with EMFILE (ENOTFOUND when /etc/hosts cannot be opened, EBUSY under gVisor).
    ['a host name', (url: string) => url.replace('127.0.0.1', 'localhost')],
  ])(
    'does not blame the agency at %s: the circuit stays closed and the next call, with descriptors back, is answered',
    async (_, at) => {
      server = await startTestServer((_, response) => sendJson(response, 200, { code: 0, msg: 'ok', data: [] }));
      const outcome = await callWhileOutOfDescriptors(at(server.url));
      expect(outcome.held).toBeGreaterThan(100);
      // Four failed calls against a breaker that opens after two consecutive failures.
      expect(outcome.starved).toEqual(Array(4).fill('UPSTREAM_UNAVAILABLE:gateway_out_of_resources'));
      expect(outcome.afterwards).toBe('answered');
      expect(server.requests).toHaveLength(1);
    },
  );
});
