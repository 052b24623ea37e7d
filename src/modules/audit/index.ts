// The audit module's public surface: other modules import from here only.
export { type AccessLogInput } from './access-log.ts';
export { AccessLogUnavailableError, type AccessLogWriter } from './access-log-writer.ts';
