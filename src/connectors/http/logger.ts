import { pino } from 'pino';
import type { Logger } from 'pino';

/** The little of a pino logger the connectors use; any pino logger (or child) fits. */
export type ConnectorLogger = Pick<Logger, 'warn' | 'debug'>;

/** Connectors log nothing unless the gateway hands them its logger. */
export function silentLogger(): ConnectorLogger {
  return pino({ level: 'silent' });
}
