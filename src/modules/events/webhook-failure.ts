import type { ErrorCode } from '../../errors/index.ts';
import { GatewayShortOfResourcesError } from '../../platform/errors.ts';
import { publicFailure, type PublicFailure } from '../../platform/public-failure.ts';
import { isStoreUnavailable } from '../../platform/store/store-unavailable.ts';

/**
 * Why a webhook attempt failed, as administrators and the subscribing authority are told it
 * (`EventDelivery.lastError`, `lastErrorCode`, `lastErrorReason`): the error catalogue's code and
 * reason, and a message naming neither the receiver's URL nor any address. What the receiver
 * answered in its body, and the HTTP client's own words (hosts, addresses, TLS details), are the
 * subscriber's or the library's text: they go to the server's log only.
 *
 * `event_delivery.last_error` holds the message; its code and reason are read back from it, so
 * the store needs no column of its own for them.
 */

/** The receiver answered with a status other than 2xx. */
export function receiverAnswered(status: number): PublicFailure {
  const reason = `http_${status}`;
  // As an agency's answer is judged: 5xx, 408 and 429 say "not now"; anything else that the request is not taken.
  return status >= 500 || status === 408 || status === 429 ? unavailable(reason) : unusable(reason);
}

/** No answer within the attempt's time limit. */
export function receiverSilent(timeoutMs: number): PublicFailure {
  return {
    code: 'UPSTREAM_TIMEOUT',
    reason: null,
    message: `The webhook receiver did not answer within ${timeoutMs} ms.`,
  };
}

/** The receiver could not be reached (`connection_refused`, `dns_failure`, …). */
export function receiverUnreachable(reason: string): PublicFailure {
  return unavailable(reason);
}

/**
 * This gateway was short of its own resources (file descriptors, local ports, memory) and sent
 * nothing: the receiver's health is unknown, and the attempt is not counted (outbox-runner.ts).
 */
export function gatewayShortOfResources(): PublicFailure {
  return {
    code: 'UPSTREAM_UNAVAILABLE',
    reason: GatewayShortOfResourcesError.REASON,
    message: `The gateway is short of its own resources (${GatewayShortOfResourcesError.REASON}) and could not send the webhook; it is tried again without counting the attempt.`,
  };
}

/** The destination policy refused the webhook's address; nothing was sent. */
export function destinationRefused(): PublicFailure {
  // Not "the receiver is unavailable": nothing tried to reach it, and retrying will not help.
  return {
    code: 'UPSTREAM_UNAVAILABLE',
    reason: 'destination_refused',
    message: "The webhook's address is not one the destination policy allows (destination_refused); nothing was sent.",
  };
}

/**
 * The attempt's access-log entry could not be written, so nothing was sent (fail closed); it is
 * tried again like any attempt that found its receiver unavailable. Said as a withheld /graphql
 * answer is (withheld-answer.ts): the store being down as such, else the log itself.
 */
export function accessLogUnwritable(failure: unknown): PublicFailure {
  if (isStoreUnavailable(failure)) return publicFailure(failure);
  return {
    code: 'ACCESS_LOG_UNAVAILABLE',
    reason: null,
    message: 'The access log cannot be written, so the webhook was not sent.',
  };
}

function unavailable(reason: string): PublicFailure {
  return { code: 'UPSTREAM_UNAVAILABLE', reason, message: `The webhook receiver is unavailable (${reason}).` };
}

function unusable(reason: string): PublicFailure {
  return {
    code: 'UPSTREAM_BAD_RESPONSE',
    reason,
    message: `The webhook receiver gave an unusable response (${reason}).`,
  };
}

/** The messages above, and publicFailure's for the store (a throw in the dispatcher), each with its code; a reason is the first group. */
const TOLD: ReadonlyArray<{ code: ErrorCode; pattern: RegExp }> = [
  { code: 'UPSTREAM_UNAVAILABLE', pattern: /^The webhook receiver is unavailable \(([a-z0-9_]{1,40})\)\.$/ },
  {
    code: 'UPSTREAM_UNAVAILABLE',
    pattern:
      /^The webhook's address is not one the destination policy allows \((destination_refused)\); nothing was sent\.$/,
  },
  {
    code: 'UPSTREAM_UNAVAILABLE',
    pattern:
      /^The gateway is short of its own resources \((gateway_out_of_resources)\) and could not send the webhook; it is tried again without counting the attempt\.$/,
  },
  {
    code: 'UPSTREAM_BAD_RESPONSE',
    pattern: /^The webhook receiver gave an unusable response \(([a-z0-9_]{1,40})\)\.$/,
  },
  { code: 'UPSTREAM_TIMEOUT', pattern: /^The webhook receiver did not answer within \d{1,10} ms\.$/ },
  { code: 'STORE_UNAVAILABLE', pattern: /^The gateway's store is unavailable\.$/ },
  { code: 'ACCESS_LOG_UNAVAILABLE', pattern: /^The access log cannot be written, so the webhook was not sent\.$/ },
];

/**
 * A stored `last_error` as it may be told. Only a message written above passes; anything else
 * (raw text stored before failures were told this way, an outbox runner's own note) is told as
 * any unknown error is, "Unexpected error.", so no row of any age leaks what it holds.
 */
export function toldWebhookFailure(stored: string): PublicFailure {
  for (const { code, pattern } of TOLD) {
    const match = pattern.exec(stored);
    if (match) return { code, reason: match[1] ?? null, message: stored };
  }
  return publicFailure(stored);
}
