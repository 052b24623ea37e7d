import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Router } from 'express';
import type { Logger } from '../platform/logger.ts';
import { bodyErrorHandler } from './body-errors.ts';
import { listen } from './listen.ts';
import { REQUEST_TIME_LIMITS } from './request-time-limits.ts';
import { unknownPath } from './unmatched-requests.ts';

/**
 * Connections the operator's port holds at once: probes and a scraper or two need a handful. The
 * cap keeps a flood of this port, should it be reachable, from taking the descriptors the callers'
 * port and the gateway's own calls need.
 */
export const MANAGEMENT_MAX_CONNECTIONS = 64;

export interface ManagementServer {
  /** `http://host:port` of the operator's endpoints. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the operator's endpoints (/healthz, /readyz, /metrics) on a port of their own
 * (MANAGEMENT_PORT). On the callers' port a flood that holds HTTP_MAX_CONNECTIONS closes every
 * newcomer on arrival, liveness probes included, and an orchestrator would then restart a gateway
 * that is serving its connected clients well. Here the probes keep their own connections, and
 * /metrics, which names every operation and agency, need not be reachable by callers at all.
 */
export async function startManagementServer(options: {
  routers: readonly Router[];
  port: number;
  host: string;
  logger: Logger;
}): Promise<ManagementServer> {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  for (const router of options.routers) app.use(router);
  app.use(unknownPath('this port serves GET /healthz, /readyz and /metrics.'));
  app.use(bodyErrorHandler());

  const server = createServer({ ...REQUEST_TIME_LIMITS }, app);
  server.maxConnections = MANAGEMENT_MAX_CONNECTIONS;
  await listen(server, options.port, options.host, { port: 'MANAGEMENT_PORT', host: 'MANAGEMENT_HOST' });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${port}`;
  options.logger.info({ url }, 'operator endpoints listening (/healthz, /readyz, /metrics)');
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Probes and scrapers keep their connections alive; nothing on them is worth waiting for.
        server.closeAllConnections();
      }),
  };
}
