import { GraphQLError } from 'graphql';
import { EMBEDDED_STORE_STOPPED } from './pglite-panic-guard.ts';

/** How long a client is asked to wait after a store outage answer (Retry-After, seconds). */
export const STORE_RETRY_AFTER_SECONDS = 2;

/** Node socket errors: the database could not be reached or the connection broke. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

/**
 * Prisma's codes for an unreachable or overloaded database: can't reach (P1001), timed out
 * (P1002, P1008), TLS (P1011), closed connection (P1017), pool timeout (P2024), transaction could
 * not start or was closed under it (P2028), too many connections (P2037).
 */
const PRISMA_CODES = new Set([
  'P1001',
  'P1002',
  'P1008',
  'P1011',
  'P1017',
  'P2024',
  'P2028',
  'P2037',
  // The store answers but is not the one the migrations made: database (P1003), table (P2021)
  // or column (P2022) missing, or the credentials refused (P1000).
  'P1000',
  'P1003',
  'P2021',
  'P2022',
]);

/** Prisma driver adapters' error kinds for the same. */
const ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TlsConnectionError',
  'DatabaseDoesNotExist',
  'DatabaseAccessDenied',
  'AuthenticationFailed',
  'TableDoesNotExist',
  'ColumnNotFound',
]);

/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception), 53 (insufficient resources), 57P01–03
 * (the server is shutting down or starting), 57014 (a statement cancelled, as the server does at
 * the store's `statement_timeout`: the store did not answer within the bound). Also a store that
 * answers but cannot serve the gateway: read-only (25006, a failover onto a standby), its
 * credentials refused (28000, 28P01), its database, schema, table or column missing (3D000, 3F000,
 * 42P01, 42703: restored from an older backup, or changed by hand). The migrations the gateway
 * ran make each of those, so none is a fault of a request, and each heals without a restart.
 * And class 58 (system error: the store's own files failing, an I/O error, a file missing or
 * already there), which no statement causes; the embedded store is reopened on it.
 */
const SQLSTATE =
  /^(08[0-9A-Z]{3}|53[0-9A-Z]{3}|57P0[1-3]|57014|58[0-9A-Z]{3}|25006|28000|28P01|3D000|3F000|42P01|42703)$/;

/** What pg, its pool and PGlite say when the connection is gone (or PGlite has stopped), for errors that carry no code. */
const MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Connection terminated due to connection timeout',
  'Client has encountered a connection error and is not queryable',
  'Cannot use a pool after calling end on the pool',
  'PGlite is closed',
  EMBEDDED_STORE_STOPPED,
];

/**
 * Whether an error, or anything it wraps (`cause`, GraphQL's `originalError`, Prisma's driver
 * adapter error, an AggregateError's errors), says the store cannot be reached right now: a
 * condition to retry, not a fault of the request. One place, so pg, PGlite and Prisma errors
 * raised anywhere — a resolver, the context, a plugin — are classified alike.
 */
export function isStoreUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (current === null || typeof current !== 'object' || seen.has(current) || seen.size > 20) continue;
    seen.add(current);
    if (current instanceof StoreUnavailableError || saysUnavailable(current)) return true;
    const record = current as Record<string, unknown>;
    const meta = record['meta'];
    pending.push(
      record['cause'],
      record['originalError'],
      meta && typeof meta === 'object' ? (meta as Record<string, unknown>)['driverAdapterError'] : undefined,
    );
    if (current instanceof AggregateError) pending.push(...current.errors);
  }
  return false;
}

function saysUnavailable(error: object): boolean {
  const { code, kind, message } = error as { code?: unknown; kind?: unknown; message?: unknown };
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || PRISMA_CODES.has(code) || SQLSTATE.test(code)))
    return true;
  if (typeof kind === 'string' && ADAPTER_KINDS.has(kind)) return true;
  return typeof message === 'string' && MESSAGES.some((text) => message.includes(text));
}

/**
 * Whether a statement failed for having run out of time (the server cancelled it at
 * `statement_timeout`, or `pg` gave up waiting for its answer): retrying it at once would wait
 * as long again, where a lost connection's statement may succeed at once on another.
 */
export function ranOutOfTime(error: unknown): boolean {
  for (let current = error, depth = 0; depth < 5 && current instanceof Error; depth++) {
    const { code, kind } = current as { code?: unknown; kind?: unknown };
    if (code === '57014' || kind === 'SocketTimeout' || current.message.includes('Query read timeout')) return true;
    current = current.cause;
  }
  return false;
}

/** The gateway's own store cannot be reached: HTTP 503 with Retry-After, never a 500. */
export class StoreUnavailableError extends GraphQLError {
  constructor(cause?: unknown) {
    super("The gateway's store is unavailable; retry later.", {
      originalError: cause instanceof Error ? cause : undefined,
      extensions: {
        code: 'STORE_UNAVAILABLE',
        retryAfterSeconds: STORE_RETRY_AFTER_SECONDS,
        http: { status: 503, headers: new Map([['retry-after', String(STORE_RETRY_AFTER_SECONDS)]]) },
      },
    });
    this.name = 'StoreUnavailableError';
  }
}

/** The error itself, or a StoreUnavailableError when it says the store is unreachable. */
export function asStoreUnavailable(error: unknown): unknown {
  return !(error instanceof StoreUnavailableError) && isStoreUnavailable(error)
    ? new StoreUnavailableError(error)
    : error;
}
