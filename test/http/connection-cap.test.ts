import { connect, type Socket } from 'node:net';
import { Client } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchangeRaw } from '../support/raw-socket.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

const CAP = 4;

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ env: { HTTP_MAX_CONNECTIONS: String(CAP) } });
});
afterAll(async () => {
  await gw?.close();
});

/** A connection that sends nothing, as a flooding client's do; resolves once the handshake is done. */
function idleConnection(): Promise<Socket> {
  const { hostname, port } = new URL(gw.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * A connection left open after one answered request, as a client keeping it alive does; null when
 * the gateway closed it unanswered instead. An answered one is surely counted by the gateway.
 */
async function keptAliveConnection(): Promise<Socket | null> {
  const socket = await idleConnection();
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.endsWith('{"status":"ok"}')) resolve(socket);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(null));
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  });
}

const HEALTHZ = 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';

/** A new client's /healthz, tried again until it is answered (the gateway sees a closed flood go a moment later). */
async function answeredOnceTheFloodIsGone() {
  for (let attempt = 1; ; attempt += 1) {
    const exchange = await exchangeRaw(gw.url, HEALTHZ);
    if (exchange.status !== null || attempt === 100) return exchange;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function post(client: Client, path: string, body: unknown) {
  const response = await client.request({
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
}

async function get(client: Client, path: string) {
  const response = await client.request({ method: 'GET', path });
  return { status: response.statusCode, body: await response.body.text() };
}

describe('a flood of connections (HTTP_MAX_CONNECTIONS)', () => {
  it('closes the connection past the cap unanswered, while a client already connected is served, agencies included', async () => {
    const client = new Client(gw.url, { keepAliveTimeout: 60_000 });
    const flood: Socket[] = [];
    try {
      expect((await get(client, '/healthz')).status).toBe(200);
      // The client's kept-alive connection and three idle ones fill the cap; the kernel hands them
      // to the gateway in the order they were made, so the next one arrives with the cap full.
      for (let open = 1; open < CAP; open += 1) flood.push(await idleConnection());

      const extra = await exchangeRaw(gw.url, HEALTHZ);
      expect(extra.status).toBeNull();
      expect(extra.text).toBe('');

      // The connection already open is answered, and the gateway still reaches the agencies.
      const answer = await post(client, '/graphql', {
        query: '{ subject(uscc: "91330381MA2G2YEE23") { name permits { permitNo } credit { grade } } }',
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        data: {
          subject: {
            name: '瑞安市隆瑞服饰有限公司',
            permits: [{ permitNo: '浙审330381-2023-000275' }],
            credit: { grade: 'A' },
          },
        },
      });
      expect((await get(client, '/metrics')).body).toMatch(/^gateway_http_connections_refused_total 1$/m);
    } finally {
      for (const socket of flood) socket.destroy();
      await client.close();
    }
  });

  it('serves new clients again once the flood has closed its connections', async () => {
    // Kept-alive connections until one is refused: those of the test before may not all be gone yet.
    const flood: Socket[] = [];
    for (let socket = await keptAliveConnection(); socket !== null; socket = await keptAliveConnection()) {
      flood.push(socket);
      expect(flood.length).toBeLessThanOrEqual(CAP);
    }
    for (const socket of flood) socket.destroy();

    const exchange = await answeredOnceTheFloodIsGone();
    expect(exchange.status).toBe(200);
    expect(exchange.body).toBe('{"status":"ok"}');
  });
});
