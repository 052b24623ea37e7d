import { errors } from 'undici';
import { describe, expect, it } from 'vitest';
import { networkFailureReason, toUpstreamError } from '../../src/connectors/http/index.ts';
import { isRetriable, isTransient } from '../../src/connectors/http/to-upstream-error.ts';

const context = { system: 'approval' as const, timeoutMs: 1500 };
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 10.0.0.5:8080`), { code });

// undici's `request` rejects with these errors themselves; the global fetch wrapped each one in
// TypeError('fetch failed', { cause }). Both forms must come out as the same client-facing error.
const failures: Array<[string, Error, { code: string; reason?: string }]> = [
  ['a refused connection', socketError('ECONNREFUSED'), { code: 'UPSTREAM_UNAVAILABLE', reason: 'connection_refused' }],
  ['a reset connection', socketError('ECONNRESET'), { code: 'UPSTREAM_UNAVAILABLE', reason: 'connection_reset' }],
  ['a name that does not resolve', socketError('ENOTFOUND'), { code: 'UPSTREAM_UNAVAILABLE', reason: 'dns_failure' }],
  [
    'a socket closed by the other side',
    new errors.SocketError('other side closed'),
    { code: 'UPSTREAM_UNAVAILABLE', reason: 'connection_reset' },
  ],
  [
    'a client already closed',
    new errors.ClientClosedError(),
    { code: 'UPSTREAM_UNAVAILABLE', reason: 'connection_reset' },
  ],
  ['a connect timeout', new errors.ConnectTimeoutError(), { code: 'UPSTREAM_TIMEOUT' }],
  [
    "undici's own headers timeout",
    new errors.HeadersTimeoutError(),
    { code: 'UPSTREAM_UNAVAILABLE', reason: 'network_error' },
  ],
];

describe('toUpstreamError on network failures', () => {
  for (const [name, failure, expected] of failures) {
    it(`maps ${name} the same bare (undici's request) and wrapped (fetch)`, () => {
      const bare = toUpstreamError(failure, context);
      const wrapped = toUpstreamError(new TypeError('fetch failed', { cause: failure }), context);
      expect(bare.extensions).toMatchObject({ ...expected, system: 'approval' });
      expect(wrapped.extensions).toEqual(bare.extensions);
      expect(wrapped).toBeInstanceOf(bare.constructor);
    });
  }

  // Neither wraps an abort: fetch rejected with the signal's reason, and so does `request`, or
  // with its RequestAbortedError when the signal has none.
  it('maps an aborted attempt to UPSTREAM_TIMEOUT, with or without the signal giving a reason', () => {
    for (const aborted of [
      new DOMException('This operation was aborted', 'AbortError'),
      new errors.RequestAbortedError(),
    ]) {
      expect(toUpstreamError(aborted, context).extensions).toEqual({
        code: 'UPSTREAM_TIMEOUT',
        system: 'approval',
        timeoutMs: 1500,
      });
    }
  });
});

describe("toUpstreamError on a shortage of the gateway's own", () => {
  for (const code of ['EMFILE', 'ENFILE', 'ENOBUFS', 'ENOMEM', 'EADDRNOTAVAIL']) {
    it(`says ${code} is the gateway's, retries it, and does not count it against the system's circuit`, () => {
      const error = toUpstreamError(new TypeError('fetch failed', { cause: socketError(code) }), context);
      expect(error.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', reason: 'gateway_out_of_resources' });
      expect(error.message).toBe(
        'The gateway is short of its own resources (gateway_out_of_resources) and could not call the approval system; try again shortly.',
      );
      expect(isTransient(error)).toBe(false);
      expect(isRetriable(error)).toBe(true);
    });
  }

  it("names the shortage as the gateway's in what a webhook or transfer delivery records too", () => {
    expect(networkFailureReason(new TypeError('fetch failed', { cause: socketError('EMFILE') }))).toBe(
      'gateway_out_of_resources',
    );
    expect(networkFailureReason(socketError('ECONNREFUSED'))).toBe('connection_refused');
  });

  it('still counts a failure of the system itself against its circuit', () => {
    const error = toUpstreamError(socketError('ECONNREFUSED'), context);
    expect(isTransient(error)).toBe(true);
  });
});
