import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';

/**
 * A stand-in for the provincial identity platform: serves a key set at `url` (any other path is
 * 404), counts how often it is asked, and can be switched to answer 503 (`down`) or an HTML page
 * (`html`) in place of the keys.
 */
export interface JwksServer {
  url: string;
  requests: () => number;
  publish: (keys: readonly JWK[]) => void;
  answer: (mode: 'keys' | 'down' | 'html') => void;
  close: () => Promise<void>;
}

export async function startJwksServer(keys: readonly JWK[]): Promise<JwksServer> {
  let published = keys;
  let mode: 'keys' | 'down' | 'html' = 'keys';
  let requests = 0;
  const server: Server = createServer((request, response) => {
    requests += 1;
    if (request.url !== '/jwks.json') response.writeHead(404).end();
    else if (mode === 'down') response.writeHead(503).end();
    else if (mode === 'html') response.writeHead(200, { 'content-type': 'text/html' }).end('<html>维护中</html>');
    else response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    requests: () => requests,
    publish: (next) => {
      published = next;
    },
    answer: (next) => {
      mode = next;
    },
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
