import { connect } from 'node:net';

/** What came back over one TCP connection, until the server closed it. */
export interface RawExchange {
  /** Null when nothing, or nothing like an HTTP status line, came back. */
  status: number | null;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
  /** Every byte received, as text. */
  text: string;
  /** The server reset the connection instead of closing it. */
  reset: boolean;
}

/**
 * Opens a fresh TCP connection to the server at `url`, writes `bytes` as they are (no HTTP client
 * to tidy them), and reads everything the server sends until it closes the connection.
 */
export function exchangeRaw(url: string, bytes: string | Buffer, timeoutMs = 10_000): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let reset = false;
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(bytes));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open past ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') reset = true;
      else reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseExchange(Buffer.concat(chunks).toString('utf8'), reset));
    });
  });
}

function parseExchange(text: string, reset: boolean): RawExchange {
  const split = text.indexOf('\r\n\r\n');
  const head = split === -1 ? text : text.slice(0, split);
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const status = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1];
  const headers = Object.fromEntries(
    headerLines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  return {
    status: status ? Number(status) : null,
    headers,
    body: split === -1 ? '' : text.slice(split + 4),
    text,
    reset,
  };
}
