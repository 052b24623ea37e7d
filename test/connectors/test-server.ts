import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  body: unknown;
}

export interface TestServer {
  url: string;
  /** Every request the server has received, in arrival order. */
  requests: ReceivedRequest[];
  /** The most requests the server had open at one time. */
  maxInFlight: () => number;
  /** TCP connections the server accepted (fewer than requests when the client keeps them alive). */
  connections: () => number;
  /** Requests whose client went away before the server answered (an aborted request). */
  abandoned: () => number;
  close: () => Promise<void>;
}

export type TestHandler = (
  request: ReceivedRequest,
  response: ServerResponse,
  raw: IncomingMessage,
) => void | Promise<void>;

/** A real HTTP server on a free port, so the connectors are tested through real sockets. */
export async function startTestServer(handler: TestHandler): Promise<TestServer> {
  const requests: ReceivedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let connections = 0;
  let abandoned = 0;
  const server = createServer((raw, response) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const done = () => {
      inFlight--;
      if (!response.writableFinished) abandoned++;
    };
    response.on('close', done);
    const chunks: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => chunks.push(chunk));
    raw.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const request = {
        method: raw.method ?? 'GET',
        url: raw.url ?? '/',
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
      };
      requests.push(request);
      void handler(request, response, raw);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    maxInFlight: () => maxInFlight,
    connections: () => connections,
    abandoned: () => abandoned,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** A port nothing listens on: bound once, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
