import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** How often the drain looks whether the connections it waits for are gone. */
const POLL_MS = 50;

export interface HttpDrain {
  /** True from the moment draining began: readiness answers 503 and every response closes its connection. */
  draining(): boolean;
  /**
   * Empties the server without resetting anyone, within `budgetMs`:
   * 1. from now on every response says `Connection: close` (responses not yet begun included),
   *    so each keep-alive connection closes after its current answer;
   * 2. idle keep-alive connections are left to their client (or the server's keep-alive timeout)
   *    rather than cut — cutting one races a request the client may be sending on it;
   * 3. then the listener closes and requests already received are answered;
   * 4. whatever is still open when the budget runs out is closed.
   */
  drain(budgetMs: number): Promise<void>;
}

/** Tracks a server's connections and responses from the start, so it can be drained on shutdown. */
export function createHttpDrain(server: Server): HttpDrain {
  const sockets = new Set<Socket>();
  const responses = new Set<ServerResponse>();
  let draining = false;

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // Registered before the application's listener, so a request arriving while draining is marked before it is handled.
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    responses.add(res);
    res.once('close', () => responses.delete(res));
    if (draining) closeAfter(res);
  });

  return {
    draining: () => draining,
    async drain(budgetMs) {
      const deadline = Date.now() + budgetMs;
      draining = true;
      for (const res of responses) closeAfter(res);
      // Idle keep-alive connections close by the keep-alive timeout at the latest; half the budget bounds the wait.
      const idleDeadline = Math.min(Date.now() + server.keepAliveTimeout + 1000, Date.now() + budgetMs / 2);
      await until(() => sockets.size === 0, idleDeadline);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await until(() => responses.size === 0, deadline);
      server.closeAllConnections();
      await closed;
    },
  };
}

function closeAfter(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('Connection', 'close');
}

async function until(condition: () => boolean, deadline: number): Promise<void> {
  while (!condition() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))));
  }
}
