import { pino } from 'pino';
import type { DestinationStream, Level, Logger } from 'pino';
import { stdoutDestination } from './stdout-destination.ts';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Minimum level written; 'silent' writes nothing (tests). Defaults to 'info'. */
  level?: Level | 'silent';
  /** Where JSON lines go; defaults to stdout (stdout-destination.ts). Tests pass a stream to read them back. */
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
  return pino(settings, options.destination ?? stdoutDestination());
}
