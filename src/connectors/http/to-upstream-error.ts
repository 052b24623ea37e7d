// instanceof rather than cockatiel's is…Error helpers: in 3.2.1 isTaskCancelledError tests the
// bulkhead's marker, so it never recognises a timeout.
import { BrokenCircuitError, BulkheadRejectedError, TaskCancelledError } from 'cockatiel';
import type { AgencySystem } from '../../domain/types.ts';
import {
  GatewayShortOfResourcesError,
  UpstreamBadResponseError,
  UpstreamError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from '../../platform/errors.ts';
import { outOfDescriptors } from './out-of-descriptors.ts';
import { BadBodyFailure, DeadlineExceeded, HttpStatusFailure } from './failures.ts';

/**
 * Client statuses that say nothing is wrong with the request, only that the system cannot take
 * it now (408: a proxy gave up waiting; 429: it sheds load): reported as a 5xx is, and a 408 retried
 * as one (a 429 is not asked again within the call: see `isRetriable`).
 * Transfer delivery and webhooks treat the two alike.
 */
const AWAY_FOR_NOW: ReadonlySet<number> = new Set([408, 429]);

/** Socket-level error codes (undici and libuv) and the reason each one is reported as. */
const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection_refused',
  ECONNRESET: 'connection_reset',
  EPIPE: 'connection_reset',
  UND_ERR_SOCKET: 'connection_reset',
  UND_ERR_CLOSED: 'connection_reset',
  ENOTFOUND: 'dns_failure',
  EAI_AGAIN: 'dns_failure',
  EHOSTUNREACH: 'host_unreachable',
  ENETUNREACH: 'host_unreachable',
};

/**
 * Failures of this process, not of the system it called (libuv's codes): out of file descriptors,
 * of the kernel's file table, of socket buffers or memory, of local ports. Counted against the
 * agency, they opened its circuit while it was up, and kept it open after they had passed.
 */
const LOCAL_SHORTAGES: ReadonlySet<string> = new Set(['EMFILE', 'ENFILE', 'ENOBUFS', 'ENOMEM', 'EADDRNOTAVAIL']);

/**
 * Codes that say what the other end (or the network to it) did, whatever this process lacks:
 * never a shortage of ours. Any other network failure (a name that did not resolve, a code not
 * known here) is one when the process cannot open a descriptor at that moment (outOfDescriptors).
 */
const ANSWERED_BY_THE_OTHER_END: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Whether a network failure was this process's own want of descriptors, buffers, memory or ports. */
function isLocalShortage(code: string | undefined): boolean {
  if (code === undefined) return false;
  if (LOCAL_SHORTAGES.has(code)) return true;
  return !ANSWERED_BY_THE_OTHER_END.has(code) && outOfDescriptors();
}

/**
 * The one place where anything that went wrong talking to an agency becomes a client-facing
 * error. Everything retryable comes out as UPSTREAM_UNAVAILABLE or UPSTREAM_TIMEOUT; what
 * retrying cannot fix (4xx but 408 and 429, bodies we cannot read) comes out as UPSTREAM_BAD_RESPONSE.
 */
export function toUpstreamError(failure: unknown, context: { system: AgencySystem; timeoutMs: number }): UpstreamError {
  const { system, timeoutMs } = context;
  if (failure instanceof UpstreamError) return failure;
  if (failure instanceof DeadlineExceeded) return new UpstreamTimeoutError(system, failure.deadlineMs);
  if (failure instanceof BrokenCircuitError) return new UpstreamUnavailableError(system, 'circuit_open');
  if (failure instanceof BulkheadRejectedError) return new UpstreamUnavailableError(system, 'concurrency_limit');
  if (failure instanceof TaskCancelledError || isAbortError(failure))
    return new UpstreamTimeoutError(system, timeoutMs);
  if (failure instanceof HttpStatusFailure) {
    return failure.status >= 500 || AWAY_FOR_NOW.has(failure.status)
      ? new UpstreamUnavailableError(system, `http_${failure.status}`)
      : new UpstreamBadResponseError(system, `http_${failure.status}`);
  }
  if (failure instanceof BadBodyFailure) return new UpstreamBadResponseError(system, failure.reason);
  const code = networkErrorCode(failure);
  // The agency dispatcher's MAX_AGENCY_BODY_BYTES: the same answer would be as long again.
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return new UpstreamBadResponseError(system, 'body_too_large');
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return new UpstreamTimeoutError(system, timeoutMs);
  if (isLocalShortage(code)) return new GatewayShortOfResourcesError(system);
  return new UpstreamUnavailableError(system, networkFailureReason(failure));
}

/**
 * The reason a socket-level failure is told by (`connection_refused`, `dns_failure`, …), from its
 * code alone: the message beside it names addresses. `network_error` for a code not listed.
 */
export function networkFailureReason(failure: unknown): string {
  const code = networkErrorCode(failure);
  if (isLocalShortage(code)) return GatewayShortOfResourcesError.REASON;
  return (code && NETWORK_REASONS[code]) ?? 'network_error';
}

/** Whether retrying might help, and whether the failure says something about the system's health. */
export function isTransient(error: unknown): boolean {
  if (error instanceof UpstreamTimeoutError) return true;
  if (error instanceof UpstreamUnavailableError) {
    // The gateway refused, or could not, call; the system itself did not fail.
    if (error instanceof GatewayShortOfResourcesError) return false;
    return error.reason !== 'circuit_open' && error.reason !== 'concurrency_limit';
  }
  return false;
}

/**
 * Whether an idempotent read is tried again within the call: a transient failure, but not an
 * agency shedding load (429). Asking it twice more in the next 300 ms would triple the load it is
 * refusing; the caller is told UPSTREAM_UNAVAILABLE and the breaker still counts the failure.
 * A shortage of the gateway's own is tried again too: a descriptor may be free after the backoff.
 */
export function isRetriable(error: unknown): boolean {
  if (error instanceof GatewayShortOfResourcesError) return true;
  return isTransient(error) && !(error instanceof UpstreamUnavailableError && error.reason === 'http_429');
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/** The socket error's code, on the error itself (undici's `request`) or in its cause (fetch's `TypeError('fetch failed')`). */
function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}
