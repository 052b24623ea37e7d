import { pino } from 'pino';
import type { DestinationStream, Level, Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Minimum level written; 'silent' writes nothing (tests). Defaults to 'info'. */
  level?: Level | 'silent';
  /** Where JSON lines go; defaults to stdout. Tests pass a stream to read them back. */
  destination?: DestinationStream;
}

/**
 * Redaction is a second line of defence: the request serializers already drop these, but a
 * caller logging a raw request or headers object by mistake must still not leak a token.
 */
const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'authorization',
];

/** One JSON object per line, ISO timestamps and level names, for the agencies' log collectors. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = {
    level: options.level ?? 'info',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: redactPaths, censor: '[redacted]' },
  };
  return pino(settings, options.destination ?? stdoutWithoutBlocking());
}

/**
 * Standard output written asynchronously: a line logged while the previous write is under way
 * joins the next write instead of costing a system call of its own, so under load one write
 * carries many requests' lines, and a quiet gateway's line still goes out at once (no minimum
 * length to wait for). pino flushes what is pending when the process exits.
 * The default, synchronous, was a write per log line: a measurable part of a small request's
 * CPU (bench/RESULTS-fixedcost.notes.md).
 */
function stdoutWithoutBlocking(): DestinationStream {
  return pino.destination({ dest: 1, sync: false });
}
