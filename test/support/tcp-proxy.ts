import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy of the test's own in front of a real server (PostgreSQL), to simulate an outage
 * without touching the server others use: `refuse()` stops listening and cuts every open
 * connection, so new ones are refused (ECONNREFUSED); `hang()` keeps every connection open and
 * accepts new ones but passes no byte either way (a frozen server, a dropped route);
 * `allow()` cuts what hung and forwards again on the same port; `thaw()` instead lets what hung
 * go on where it stopped, bytes sent meanwhile included (a frozen server that resumes).
 * `loseCommitAnswerAfter(marker)` cuts, once, the connection whose transaction sent `marker` at
 * the moment the server answers its COMMIT: the server has committed, the client never hears so.
 * `loseCommitAfter(marker)` cuts it instead as the client sends its COMMIT: the server never gets
 * it and rolls the transaction back.
 * `terminateAfterStartup(every)` ends every connection opened from then on (`every` 1), or every
 * second one (2)…, as the server does a backend terminated the moment it became ready
 * (`pg_terminate_backend`, a fast shutdown): its ReadyForQuery and the FATAL 57P01 that follows in
 * one segment, then the end of the stream; 0 stops.
 */
export interface TcpProxy {
  port: number;
  refuse(): Promise<void>;
  hang(): void;
  allow(): Promise<void>;
  thaw(): void;
  close(): Promise<void>;
  /** Resolves once a connection was cut with its COMMIT answered by the server but not passed on. */
  loseCommitAnswerAfter(marker: string): Promise<void>;
  /** Resolves once a connection was cut with its COMMIT sent by the client but not passed on. */
  loseCommitAfter(marker: string): Promise<void>;
  /** Each `every`-th new connection (0: none) is terminated by the server as soon as it is ready (FATAL 57P01). */
  terminateAfterStartup(every: number): void;
}

/** A CommandComplete message's tag for a committed transaction, as the server sends it. */
const COMMIT_COMPLETE = Buffer.from('COMMIT\0');
/** The client's COMMIT statement: the same bytes, in a Query message. */
const COMMIT_SENT = COMMIT_COMPLETE;
/** ReadyForQuery, idle: the last message of a connection's startup. */
const READY_FOR_QUERY = Buffer.from([0x5a, 0, 0, 0, 5, 0x49]);

/** The ErrorResponse a backend sends when it is terminated: FATAL, 57P01, before it closes the connection. */
function terminatedByAdministrator(): Buffer {
  const fields = ['SFATAL', 'VFATAL', 'C57P01', 'Mterminating connection due to administrator command'];
  const body = Buffer.concat([...fields.map((field) => Buffer.from(`${field}\0`)), Buffer.from([0])]);
  const head = Buffer.alloc(5);
  head.write('E');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  /** Each forwarded connection's two ends, to pipe them again on `thaw()`. */
  const forwarded = new Set<[Socket, Socket]>();
  let server: Server | null = null;
  let port = 0;
  let hanging = false;
  let commitCut: { marker: Buffer; side: 'request' | 'answer'; done: () => void } | null = null;
  let terminateEvery = 0;
  let opened = 0;

  const listen = async () => {
    const next = createServer((client) => {
      if (hanging) {
        // Accepted, never answered: what a client sees of a server that stopped.
        sockets.add(client);
        client.on('close', () => sockets.delete(client));
        client.on('error', () => undefined);
        client.pause();
        return;
      }
      const upstream = createConnection(target);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      // Registered before the pipes, so a cut COMMIT answer is never written to the client.
      let sawMarker = false;
      const cut = () => {
        const { done } = commitCut!;
        commitCut = null;
        client.destroy();
        upstream.destroy();
        done();
      };
      client.prependListener('data', (chunk: Buffer) => {
        if (!commitCut) return;
        if (chunk.includes(commitCut.marker)) sawMarker = true;
        if (commitCut.side === 'request' && sawMarker && chunk.includes(COMMIT_SENT)) cut();
      });
      upstream.prependListener('data', (chunk: Buffer) => {
        if (commitCut?.side === 'answer' && sawMarker && chunk.includes(COMMIT_COMPLETE)) cut();
      });
      opened += 1;
      if (terminateEvery > 0 && opened % terminateEvery === 0) {
        client.pipe(upstream);
        client.on('close', () => upstream.destroy());
        upstream.on('data', (chunk: Buffer) => {
          if (!chunk.subarray(-READY_FOR_QUERY.length).equals(READY_FOR_QUERY)) return void client.write(chunk);
          client.end(Buffer.concat([chunk, terminatedByAdministrator()]));
          upstream.destroy();
        });
        return;
      }
      client.pipe(upstream).pipe(client);
      const pair: [Socket, Socket] = [client, upstream];
      forwarded.add(pair);
      client.on('close', () => {
        forwarded.delete(pair);
        upstream.destroy();
      });
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve());
    });
    const address = next.address();
    if (address && typeof address === 'object') port = address.port;
    server = next;
  };

  const refuse = async () => {
    const closing = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };

  const hang = () => {
    hanging = true;
    for (const socket of sockets) {
      socket.unpipe();
      socket.pause();
    }
  };

  const thaw = () => {
    hanging = false;
    for (const [client, upstream] of forwarded) client.pipe(upstream).pipe(client);
    // Connections accepted while hanging never reached the server: a resumed server never saw them either.
    for (const socket of sockets) if (![...forwarded].some((pair) => pair.includes(socket))) socket.destroy();
  };

  const allow = async () => {
    if (hanging) {
      hanging = false;
      for (const socket of sockets) socket.destroy();
    }
    if (!server) await listen();
  };

  await listen();
  return {
    get port() {
      return port;
    },
    refuse,
    hang,
    allow,
    thaw,
    close: refuse,
    loseCommitAnswerAfter(marker) {
      return new Promise<void>((done) => {
        commitCut = { marker: Buffer.from(marker), side: 'answer', done };
      });
    },
    loseCommitAfter(marker) {
      return new Promise<void>((done) => {
        commitCut = { marker: Buffer.from(marker), side: 'request', done };
      });
    },
    terminateAfterStartup(every) {
      terminateEvery = every;
      opened = 0;
    },
  };
}
