import type { AgencySystem } from '../../domain/types.ts';
import {
  UpstreamBadResponseError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
  type UpstreamError,
} from '../../errors.ts';
import { toUpstreamError } from '../http/to-upstream-error.ts';

/** The feed cursor handed back is not one this transport wrote (another source's, or damaged). */
export class InvalidCursorFailure extends Error {
  constructor(cursor: string) {
    super(`invalid change-feed cursor '${cursor.slice(0, 80)}': pass back the cursor a previous page returned`);
    this.name = 'InvalidCursorFailure';
  }
}

/**
 * Server error codes (MariaDB/MySQL `code`) and how each reaches the client. The server being
 * down, restarting, full or refusing us makes the system unavailable (retried, counted by the
 * breaker); a table or column the configuration names but the database lacks is an unusable
 * answer that retrying cannot fix.
 */
const UNAVAILABLE: Record<string, string> = {
  PROTOCOL_CONNECTION_LOST: 'connection_reset',
  ER_CON_COUNT_ERROR: 'too_many_connections',
  ER_SERVER_SHUTDOWN: 'server_shutdown',
  ER_ACCESS_DENIED_ERROR: 'access_denied',
  ER_DBACCESS_DENIED_ERROR: 'access_denied',
  ER_TABLEACCESS_DENIED_ERROR: 'access_denied',
  ER_BAD_DB_ERROR: 'unknown_database',
  ER_LOCK_WAIT_TIMEOUT: 'lock_wait_timeout',
  ER_LOCK_DEADLOCK: 'deadlock',
  ER_QUERY_INTERRUPTED: 'query_interrupted',
  ER_STATEMENT_TIMEOUT: 'statement_timeout',
};

const BAD_RESPONSE: Record<string, string> = {
  ER_NO_SUCH_TABLE: 'no_such_table',
  ER_BAD_FIELD_ERROR: 'no_such_column',
};

const TIMEOUTS = new Set(['PROTOCOL_SEQUENCE_TIMEOUT', 'ETIMEDOUT']);

/**
 * What went wrong talking to an exchange database, as the error clients see: the system named,
 * the reason machine-readable, never the SQL, the URL or the server's own message (those are logged).
 */
export function sqlFailureToUpstreamError(
  failure: unknown,
  context: { system: AgencySystem; timeoutMs: number },
): UpstreamError {
  if (failure instanceof InvalidCursorFailure) return new UpstreamBadResponseError(context.system, 'invalid_cursor');
  const code = (failure as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (TIMEOUTS.has(code)) return new UpstreamTimeoutError(context.system, context.timeoutMs);
    const unavailable = UNAVAILABLE[code];
    if (unavailable) return new UpstreamUnavailableError(context.system, unavailable);
    const bad = BAD_RESPONSE[code];
    if (bad) return new UpstreamBadResponseError(context.system, bad);
    // Any other server-side SQL error: the query or the schema is wrong, which retrying cannot fix.
    if (code.startsWith('ER_')) return new UpstreamBadResponseError(context.system, 'sql_error');
  }
  // Socket errors (ECONNREFUSED, …) and the policies' own refusals, exactly as for HTTP.
  return toUpstreamError(failure, context);
}
