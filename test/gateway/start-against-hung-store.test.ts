import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnStart } from '../support/start-script.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

const CONNECT_BOUND_MS = 1_000;
/** Node's start, loading the gateway's modules and tracing, then the bound, then the exit. */
const PROCESS_SLACK_MS = 8_000;

/**
 * `npm start` against a PostgreSQL that accepts connections but never answers (a frozen server, a
 * network black hole): no server is needed, since the proxy never forwards a byte.
 */
describe('starting the gateway process against a PostgreSQL server that never answers', () => {
  let proxy: TcpProxy;
  beforeAll(async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    proxy.hang();
  });
  afterAll(() => proxy?.close());

  it('exits 1 within the connect bound, saying in one line what did not answer', async () => {
    const child = spawnStart({
      PORT: '0',
      DATA_DIR: 'memory://',
      AUTH_REQUIRED: 'false',
      LOG_LEVEL: 'silent',
      DATABASE_URL: `postgresql://gateway:never-printed@127.0.0.1:${proxy.port}/registry`,
      DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_BOUND_MS),
      // One try: waiting for a database that is not there yet is test/store/start-waits-for-database.test.ts.
      DATABASE_START_WAIT_MS: '0',
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    const started = performance.now();
    const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
    const overrun = setTimeout(() => child.kill('SIGKILL'), CONNECT_BOUND_MS + PROCESS_SLACK_MS);
    try {
      const [code, signal] = await exited;
      expect({ code, signal }, stderr).toEqual({ code: 1, signal: null });
      expect(performance.now() - started).toBeLessThan(CONNECT_BOUND_MS + PROCESS_SLACK_MS);
      expect(stderr).toBe(
        `gateway did not start: PostgreSQL at 127.0.0.1:${proxy.port}/registry did not answer within 1000 ms ` +
          '(DATABASE_CONNECT_TIMEOUT_MS) while opening the store for migrations\n',
      );
    } finally {
      clearTimeout(overrun);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 30_000);
});
