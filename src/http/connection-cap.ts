import type { Server } from 'node:http';
import { Counter, type Registry } from 'prom-client';
import type { Logger } from '../platform/logger.ts';

/** A refused connection is counted on /metrics always, but said in the log at most this often. */
const REPORT_EVERY_MS = 60_000;

/**
 * Caps the server's concurrent client connections, so that a flood of idle or trickling sockets
 * cannot take every descriptor the process may open. Without the cap such a flood left the
 * gateway unable to accept anyone, `/healthz` included, and — since every descriptor was taken
 * — its own agency calls failed with EMFILE (circuits opened to agencies that were up) and the
 * embedded store could fail to create a file and refuse the access log's writes until a restart.
 *
 * Past the cap Node accepts the new connection and closes it at once, before reading a byte
 * (no HTTP answer: there is no request yet); connections already open are served as before and
 * the reserve stays free for the gateway's own sockets and files. Every refusal counts on
 * `gateway_http_connections_refused_total`; the log says it once a minute at most, so a flood
 * cannot flood the log too.
 */
export function capConnections(
  server: Server,
  options: { maxConnections: number; logger: Logger; registry: Registry },
): void {
  server.maxConnections = options.maxConnections;
  const refused = new Counter({
    name: 'gateway_http_connections_refused_total',
    help: 'Client connections closed on arrival because HTTP_MAX_CONNECTIONS were already open.',
    registers: [options.registry],
  });
  let refusedSinceReport = 0;
  let reportedAt = -Infinity;
  server.on('drop', () => {
    refused.inc();
    refusedSinceReport += 1;
    const now = Date.now();
    if (now - reportedAt < REPORT_EVERY_MS) return;
    options.logger.warn(
      { maxConnections: options.maxConnections, refused: refusedSinceReport },
      'connection cap reached: new connections are closed on arrival (HTTP_MAX_CONNECTIONS)',
    );
    reportedAt = now;
    refusedSinceReport = 0;
  });
}
