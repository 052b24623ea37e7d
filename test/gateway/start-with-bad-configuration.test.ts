import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { spawnStart } from '../support/start-script.ts';

/**
 * `npm start` with a setting it refuses says so as every other failed start does: on stderr, after
 * `gateway did not start:`, every problem named, exit 1 — not as an uncaught exception with a stack.
 */
describe('starting the gateway process with a setting it refuses', () => {
  it('exits 1 naming each bad variable, without a stack trace', async () => {
    const child = spawnStart({
      PORT: '0',
      DATA_DIR: 'memory://',
      LOG_LEVEL: 'silent',
      MODULES_DISABLED: 'events,nonsense',
      SERVED_JURISDICTION: '3303',
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    const overrun = setTimeout(() => child.kill('SIGKILL'), 20_000);
    try {
      const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
      expect({ code, signal }, stderr).toEqual({ code: 1, signal: null });
      expect(stderr).toMatch(/^gateway did not start: Invalid configuration:\n/);
      expect(stderr).toContain('  MODULES_DISABLED');
      expect(stderr).toContain('  SERVED_JURISDICTION');
      expect(stderr).not.toMatch(/\n\s+at |Node\.js v\d/);
    } finally {
      clearTimeout(overrun);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 30_000);
});
