import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type ControlTarget, controlRoute } from './control-routes.ts';
import { NO_FAULTS, delayFor } from './faults.ts';
import { readJsonBody, sendJson } from './http-io.ts';
import { RawJson, toJson } from './raw-json.ts';
import { SimError } from './sim-error.ts';
import type { SimRequest, SimulatedSystem } from './simulated-system.ts';
import { SimStats } from './stats.ts';

const CONTROL_PREFIX = '/__sim/';

export interface RunningServer {
  url: string;
  target: ControlTarget;
  close(): Promise<void>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorStatus(error: unknown): { status: number; message: string } {
  if (error instanceof SimError) return { status: error.status, message: error.message };
  return { status: 500, message: error instanceof Error ? error.message : String(error) };
}

async function toRequest(req: IncomingMessage, stats: SimStats): Promise<SimRequest> {
  const url = new URL(req.url ?? '/', 'http://simulator');
  const method = req.method ?? 'GET';
  return {
    method,
    path: url.pathname,
    query: url.searchParams,
    body: method === 'GET' ? undefined : await readJsonBody(req),
    countBatch: (keys) => stats.countBatch(keys),
  };
}

/**
 * Serves one simulated system over node:http. Control requests (/__sim/) always work; every
 * other request first meets the fault settings: down destroys the socket (a dead host),
 * timeouts never answer, errors answer 500 in the system's envelope, latency delays.
 */
export async function serveSystem(
  simulated: SimulatedSystem,
  manifest: RawJson,
  options: { host: string; port: number; creditCheckManifest?: RawJson },
): Promise<RunningServer> {
  const creditCheckManifest = options.creditCheckManifest ?? new RawJson('null');
  const target: ControlTarget = {
    simulated,
    stats: new SimStats(),
    faults: { ...NO_FAULTS },
    manifest,
    creditCheckManifest,
  };
  const sockets = new Set<Socket>();
  const envelope = simulated.envelope;

  async function control(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const answer: unknown = await controlRoute(target, await toRequest(req, target.stats));
      sendJson(res, 200, toJson(answer));
    } catch (error) {
      const { status, message } = errorStatus(error);
      sendJson(res, status, toJson(envelope.error(message, status)));
    }
    if (target.faults.down) {
      for (const socket of sockets) if (socket !== req.socket) socket.destroy();
    }
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const faults = target.faults;
    if (faults.down) {
      req.socket.destroy();
      return;
    }
    target.stats.countRequest(req.method ?? 'GET', new URL(req.url ?? '/', 'http://simulator').pathname);
    if (faults.timeoutRate > 0 && Math.random() < faults.timeoutRate) return;
    const delay = delayFor(faults);
    if (delay > 0) await sleep(delay);
    if (faults.errorRate > 0 && Math.random() < faults.errorRate) {
      sendJson(res, 500, toJson(envelope.error('simulated upstream failure', 500)));
      return;
    }
    try {
      const request = await toRequest(req, target.stats);
      const data = simulated.route(request);
      if (data === undefined) throw new SimError(404, `no endpoint ${request.method} ${request.path}`);
      sendJson(res, 200, toJson(envelope.ok(data)));
    } catch (error) {
      const { status, message } = errorStatus(error);
      sendJson(res, status, toJson(envelope.error(message, status)));
    }
  }

  const server: Server = createServer((req, res) => {
    const handler = (req.url ?? '').startsWith(CONTROL_PREFIX) ? control : serve;
    void handler(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    target,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
