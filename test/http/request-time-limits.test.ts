import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_TIME_LIMITS } from '../../src/http/request-time-limits.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { connect } from 'node:net';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
});
afterAll(async () => {
  await gw?.close();
});

/**
 * Sends `head` at once, then one byte of `trickle` every second, as a slowloris client does;
 * resolves with what came back and after how long the gateway closed the connection.
 */
function trickle(head: string, trickled: string, giveUpMs: number): Promise<{ text: string; closedAfterMs: number }> {
  const { hostname, port } = new URL(gw.url);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let text = '';
    let sent = 0;
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(head));
    const drip = setInterval(() => {
      if (sent < trickled.length && !socket.destroyed) socket.write(trickled[sent++]!);
    }, 1000);
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the gateway kept a trickling connection open past ${giveUpMs} ms`));
    }, giveUpMs);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(drip);
      clearTimeout(giveUp);
      resolve({ text, closedAfterMs: Date.now() - started });
    });
  });
}

describe.concurrent('a client that sends its request slowly (slowloris)', () => {
  const slack = REQUEST_TIME_LIMITS.connectionsCheckingInterval + 3000;

  it('has its body cut off once the request has taken 30 s, not Node’s five minutes', async () => {
    expect(REQUEST_TIME_LIMITS.requestTimeout).toBeLessThanOrEqual(30_000);
    const head =
      'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{"query":';
    const { text, closedAfterMs } = await trickle(head, ' '.repeat(3990), REQUEST_TIME_LIMITS.requestTimeout + slack);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIME_LIMITS.requestTimeout - 1000);
  }, 60_000);

  it('has its headers refused 408 REQUEST_TIMEOUT once they have taken 15 s, not Node’s sixty', async () => {
    expect(REQUEST_TIME_LIMITS.headersTimeout).toBeLessThanOrEqual(15_000);
    const { text } = await trickle(
      'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ',
      'a'.repeat(200),
      REQUEST_TIME_LIMITS.headersTimeout + slack,
    );
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text).toContain('REQUEST_TIMEOUT');
  }, 60_000);
});
