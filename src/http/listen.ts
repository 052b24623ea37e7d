import type { Server } from 'node:http';

/** Resolves once `server` listens on `port` of `host`; rejects when it cannot (the port taken, say). */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
