/**
 * Failures noticed while sending one request, before they become client-facing errors in
 * `toUpstreamError`. They stay inside src/connectors/http.
 */

/** The system answered with an HTTP error status. */
export class HttpStatusFailure extends Error {
  constructor(
    readonly status: number,
    readonly upstreamMessage: string | undefined,
  ) {
    super(`HTTP ${status}${upstreamMessage === undefined ? '' : `: ${upstreamMessage}`}`);
    this.name = 'HttpStatusFailure';
  }
}

/** The system answered 2xx, but with a body we cannot use. */
export class BadBodyFailure extends Error {
  constructor(
    readonly reason: 'invalid_json' | 'error_envelope' | 'unexpected_shape',
    detail: string,
  ) {
    super(`${reason}: ${detail}`);
    this.name = 'BadBodyFailure';
  }
}

/** The whole call ran out of time (its deadline), whatever attempt it was at. */
export class DeadlineExceeded extends Error {
  constructor(readonly deadlineMs: number) {
    super(`deadline of ${deadlineMs} ms exceeded`);
    this.name = 'DeadlineExceeded';
  }
}
