import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { answerClientErrors } from '../../src/http/client-errors.ts';
import type { AccessLogInput } from '../../src/modules/audit/access-log.ts';
import { type AccessLogSink, AccessLogWriter } from '../../src/modules/audit/access-log-writer.ts';
import { exchangeRaw } from '../support/raw-socket.ts';

/**
 * The `clientError` handler on a bare HTTP server, with the access log's real writer over a sink
 * the test holds: what the handler does while an entry is still being written, when there is no
 * access log, and on a socket whose response is already under way.
 */
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A sink whose writes wait until the test opens it; it keeps every entry it was given. */
function heldSink() {
  const entries: AccessLogInput[] = [];
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const sink: AccessLogSink = {
    async write(batch) {
      entries.push(...batch);
      await opened;
    },
    probe: async () => undefined,
  };
  return { sink, entries, open };
}

async function startServer(
  options: { accessLog?: AccessLogWriter; maxAwaitingEntry?: number },
  handler: (res: ServerResponse) => void = (res) => res.end('ok'),
  timeouts: { headersTimeout?: number; requestTimeout?: number; connectionsCheckingInterval?: number } = {},
): Promise<string> {
  const server = createServer(timeouts, (_req, res) => handler(res));
  answerClientErrors(server, { logger: pino({ level: 'silent' }), ...options });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 5_000) throw new Error('waited 5 s in vain');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the clientError handler', () => {
  it('answers in the gateway’s format when there is no access log to write', async () => {
    const url = await startServer({});
    const answer = await exchangeRaw(url, `GET / HTTP/1.1\r\nX-Big: ${'y'.repeat(17 * 1024)}\r\n\r\n`);
    expect(answer.status).toBe(431);
    expect(JSON.parse(answer.body)).toMatchObject({
      errors: [{ extensions: { code: 'HEADERS_TOO_LARGE', reason: 'header_overflow' } }],
    });
    expect(answer.text).not.toContain('yyyy');
  });

  it('answers only once the entry is written, and cuts a connection over the limit of those waiting without an answer', async () => {
    const { sink, entries, open } = heldSink();
    const url = await startServer({ accessLog: new AccessLogWriter(sink), maxAwaitingEntry: 1 });
    let firstAnswered = false;
    const first = exchangeRaw(url, 'NOT HTTP\r\n\r\n').finally(() => (firstAnswered = true));
    await until(() => entries.length === 1);

    const cut = await exchangeRaw(url, 'ALSO NOT HTTP\r\n\r\n');
    expect(cut.text).toBe('');
    expect(firstAnswered).toBe(false);
    expect(entries).toHaveLength(1);

    open();
    expect((await first).status).toBe(400);
    expect(entries[0]).toMatchObject({ reason: 'malformed_http', callerSubject: '', outcome: 'ERROR' });
    expect((await exchangeRaw(url, 'NOT HTTP EITHER\r\n\r\n')).status).toBe(400);
    expect(entries).toHaveLength(2);
  });

  it('answers a request whose headers come too slowly 408 and records it as request_timeout', async () => {
    const { sink, entries, open } = heldSink();
    open();
    const url = await startServer({ accessLog: new AccessLogWriter(sink) }, undefined, {
      headersTimeout: 100,
      requestTimeout: 200,
      connectionsCheckingInterval: 50,
    });
    const answer = await exchangeRaw(url, 'GET / HTTP/1.1\r\nHost: x\r\n');
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body)).toMatchObject({
      errors: [{ extensions: { code: 'REQUEST_TIMEOUT', reason: 'request_timeout' } }],
    });
    expect(entries).toMatchObject([{ reason: 'request_timeout' }]);
  });

  it('leaves a socket whose response is under way to Node: its bare 400, no entry', async () => {
    const { sink, entries, open } = heldSink();
    open();
    let held: ServerResponse | undefined;
    const url = await startServer({ accessLog: new AccessLogWriter(sink) }, (res) => (held = res));
    const answer = await exchangeRaw(url, 'GET / HTTP/1.1\r\nHost: x\r\n\r\nGARBAGE\r\n\r\n');
    expect(held).toBeDefined();
    expect(answer.text).toBe('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    expect(entries).toEqual([]);
  });
});
