import { type IncomingMessage, maxHeaderSize, type RequestListener, type Server, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { ErrorCode } from '../errors/index.ts';
import type { AccessLogWriter } from '../modules/audit/access-log-writer.ts';
import { addressedRefusalEntry } from './early-refusals.ts';

/** How many refused connections may wait for their access-log entry at once; past it a flood is cut without an answer. */
const MAX_CONNECTIONS_AWAITING_ENTRY = 256;

/** How long a refused connection is kept after its answer, reading and dropping what the client still sends. */
const LINGER_MS = 2_000;

/** A kind of request Node's HTTP parser refused before there was a request object. */
interface ParserRefusal {
  /** The access log's `reason`, also the answer's `extensions.reason`. */
  reason: string;
  /** The whole HTTP answer, built once: fixed bytes, nothing of what the client sent. */
  answer: Buffer;
}

function parserRefusal(status: string, code: ErrorCode, reason: string, message: string): ParserRefusal {
  const body = JSON.stringify({ errors: [{ message, extensions: { code, reason } }] });
  const answer = Buffer.from(
    `HTTP/1.1 ${status}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
  return { reason, answer };
}

const HEADER_OVERFLOW = parserRefusal(
  '431 Request Header Fields Too Large',
  'HEADERS_TOO_LARGE',
  'header_overflow',
  `The request line and headers are over ${maxHeaderSize} bytes.`,
);
const CHUNK_EXTENSIONS_OVERFLOW = parserRefusal(
  '413 Payload Too Large',
  'MALFORMED_HTTP',
  'chunk_extensions_overflow',
  'The request’s chunk extensions are over the limit.',
);
const REQUEST_TIMEOUT = parserRefusal(
  '408 Request Timeout',
  'REQUEST_TIMEOUT',
  'request_timeout',
  'The request did not arrive in time.',
);
const MALFORMED = parserRefusal(
  '400 Bad Request',
  'MALFORMED_HTTP',
  'malformed_http',
  'The bytes sent are not an HTTP request the gateway can read.',
);

/**
 * Which refusal a `clientError` is, or null for an error of the connection itself (a reset, a
 * broken pipe, the client gone mid-request): that is no request refused, so it is neither
 * answered nor logged. Node names its parser's
 * errors HPE_*, and a request whose headers or body come too slowly ERR_HTTP_REQUEST_TIMEOUT.
 */
export function parserRefusalOf(error: Error): ParserRefusal | null {
  const code: unknown = Reflect.get(error, 'code');
  // The connection ended (closed or reset: Node's parser sees both as an end) in the middle of a request.
  if (code === 'HPE_INVALID_EOF_STATE') return null;
  if (code === 'HPE_HEADER_OVERFLOW') return HEADER_OVERFLOW;
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return CHUNK_EXTENSIONS_OVERFLOW;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return REQUEST_TIMEOUT;
  if (typeof code === 'string' && code.startsWith('HPE_')) return MALFORMED;
  return null;
}

/** Node's own answers, for a socket whose response is already under way (kept exactly as Node sends them). */
const NODE_ANSWERS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n',
  ERR_HTTP_REQUEST_TIMEOUT: 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n',
};
const NODE_BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n';

export interface ClientErrorOptions {
  logger: Logger;
  /** The access log; absent while AUTH_REQUIRED is off, when refusals are answered and not logged. */
  accessLog?: AccessLogWriter | undefined;
  /** Refused connections that may wait for their entry at once (MAX_CONNECTIONS_AWAITING_ENTRY unless a test says). */
  maxAwaitingEntry?: number;
}

/**
 * Answers what Node's HTTP parser refuses before Express sees a request — headers over the
 * limit (431), a request line or header that is not HTTP (400), chunk extensions over the limit
 * (413), a request too slow to arrive (408) — in the gateway's error format with
 * `Connection: close`, and records each in the access log as a refusal with no caller, the
 * client's address and a reason of its own, through the same writer as every other entry. The
 * answer leaves once the entry is committed; when the log cannot be written it leaves all the
 * same: it gives nothing away, and a 503 would only invite the same bytes again.
 *
 * A socket with a response already under way is left to Node's own behaviour, and an error of
 * the connection itself (a reset, a socket no longer writable) just destroys it. Nothing read
 * from the client is kept or echoed; the socket stops reading while its entry is written, and
 * past MAX_CONNECTIONS_AWAITING_ENTRY such sockets a new one is cut at once, so a flood of bad
 * connections holds a bounded number of sockets and entries.
 */
export function answerClientErrors(server: Server, options: ClientErrorOptions): void {
  answerUnmetExpectations(server, options);
  const handled = new WeakSet<Duplex>();
  const maxAwaitingEntry = options.maxAwaitingEntry ?? MAX_CONNECTIONS_AWAITING_ENTRY;
  let awaitingEntry = 0;
  let floodReported = false;
  let outageReported = false;

  server.on('clientError', (error: Error, socket: Duplex) => {
    // Node may report a socket again (its parser, its request timer); the first report owns it.
    if (handled.has(socket)) return;
    handled.add(socket);
    if (responseUnderWay(socket)) {
      answerAsNodeDoes(error, socket);
      return;
    }
    const refusal = parserRefusalOf(error);
    if (!refusal || !socket.writable || !(socket instanceof Socket)) {
      socket.destroy();
      return;
    }
    stopReading(socket);
    const writer = options.accessLog;
    if (!writer) {
      answer(socket, refusal);
      return;
    }
    if (awaitingEntry >= maxAwaitingEntry) {
      if (!floodReported) options.logger.warn({ awaitingEntry }, 'malformed requests flooding in; cutting them');
      floodReported = true;
      socket.destroy();
      return;
    }
    awaitingEntry += 1;
    writer
      .append(addressedRefusalEntry(socket.remoteAddress ?? null, undefined, refusal.reason))
      .then(
        () => {
          outageReported = false;
        },
        () => {
          // The writer reports the outage itself; one line here says these connections were answered regardless.
          if (!outageReported)
            options.logger.error(
              { reason: refusal.reason },
              'refused connection could not be logged; answered all the same',
            );
          outageReported = true;
        },
      )
      .finally(() => {
        awaitingEntry -= 1;
        if (awaitingEntry === 0) floodReported = false;
        answer(socket, refusal);
      })
      // A throw while answering must not become an unhandled rejection, which ends the process.
      .catch(() => socket.destroy());
  });
}

/** A refusal of a request Node has parsed but Express must not see, in the gateway's error format. */
interface RequestRefusal {
  status: number;
  /** The access log's `reason`, also the answer's `extensions.reason`. */
  reason: string;
  /** The whole JSON body, built once. */
  body: string;
}

function requestRefusal(status: number, reason: string, message: string): RequestRefusal {
  const body = JSON.stringify({ errors: [{ message, extensions: { code: 'MALFORMED_HTTP', reason } }] });
  return { status, reason, body };
}

const EXPECTATION_FAILED = requestRefusal(
  417,
  'expectation_failed',
  'The request’s Expect header asks for something other than 100-continue, which the gateway does not offer.',
);
const MISSING_HOST = requestRefusal(400, 'missing_host', 'An HTTP/1.1 request must carry a Host header.');

/**
 * Answers `refusal` with `Connection: close` once its entry (no caller, the client's address, its
 * reason) is written, or all the same when it cannot be: the answer is a refusal either way.
 */
function refuse(req: IncomingMessage, res: ServerResponse, refusal: RequestRefusal, options: ClientErrorOptions): void {
  const finish = () => {
    res.shouldKeepAlive = false;
    res
      .writeHead(refusal.status, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(refusal.body),
        Connection: 'close',
      })
      .end(refusal.body);
  };
  const writer = options.accessLog;
  if (!writer) {
    finish();
    return;
  }
  writer
    .append(addressedRefusalEntry(req.socket.remoteAddress ?? null, undefined, refusal.reason))
    .catch(() => options.logger.error({ reason: refusal.reason }, 'refusal could not be logged; answered all the same'))
    .finally(finish)
    .catch(() => req.socket.destroy());
}

/**
 * A request whose `Expect` is not `100-continue`: without a listener Node answers it itself, a
 * bare 417 with no body, before Express sees a request, and nothing was recorded. Answered 417
 * here in the gateway's error format, and recorded (reason `expectation_failed`).
 */
function answerUnmetExpectations(server: Server, options: ClientErrorOptions): void {
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) =>
    refuse(req, res, EXPECTATION_FAILED, options),
  );
}

/**
 * The server's request listener: an HTTP/1.1 request without a Host header is refused 400 in the
 * gateway's error format, and recorded (reason `missing_host`); every other request goes to `app`.
 * Node refuses such a request itself when `requireHostHeader` is on, with a bare 400 and before
 * any listener sees it, so nothing was recorded: the server is made with it off, and this
 * listener applies the same rule (HTTP/1.0 may leave Host out).
 */
export function refuseRequestsWithoutHost(app: RequestListener, options: ClientErrorOptions): RequestListener {
  return (req, res) => {
    if (req.httpVersionMajor === 1 && req.httpVersionMinor === 1 && req.headers.host === undefined)
      refuse(req, res, MISSING_HOST, options);
    else app(req, res);
  };
}

/** Whether a response of an earlier request on this socket is being sent (Node's own test, on its own field). */
function responseUnderWay(socket: Duplex): boolean {
  const response: unknown = Reflect.get(socket, '_httpMessage');
  return response instanceof ServerResponse;
}

/** What Node does without a `clientError` listener: its bare answer if nothing was written yet, then destroy. */
function answerAsNodeDoes(error: Error, socket: Duplex): void {
  const response: unknown = Reflect.get(socket, '_httpMessage');
  const headersSent = response instanceof ServerResponse && response.headersSent;
  if (socket.writable && !headersSent) {
    const code: unknown = Reflect.get(error, 'code');
    socket.write((typeof code === 'string' && NODE_ANSWERS[code]) || NODE_BAD_REQUEST);
  }
  socket.destroy(error);
}

/**
 * No more bytes for the parser while the entry is written, and none piling up meanwhile. (Node's
 * parser may read the handle directly; whatever it still reads it refuses at once and keeps none
 * of, reporting the socket again, which the first report already owns.)
 */
function stopReading(socket: Socket): void {
  socket.removeAllListeners('data');
  socket.pause();
}

/**
 * Sends the answer and closes our side, then reads and drops what the client still sends until
 * it closes its side or LINGER_MS pass: closing with unread bytes would reset the connection and
 * could lose the answer on its way.
 */
function answer(socket: Socket, refusal: ParserRefusal): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(refusal.answer);
  const linger = setTimeout(() => socket.destroy(), LINGER_MS);
  linger.unref();
  socket.once('close', () => clearTimeout(linger));
  socket.once('end', () => socket.destroy());
  socket.on('data', () => undefined);
  socket.resume();
}
