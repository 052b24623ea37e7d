import { describe, expect, it } from 'vitest';
import {
  destinationRefused,
  gatewayShortOfResources,
  receiverAnswered,
  receiverSilent,
  receiverUnreachable,
  toldWebhookFailure,
} from '../../src/modules/events/webhook-failure.ts';

describe("a webhook failure as the delivery's readers are told it", () => {
  it.each([
    ['a 5xx', receiverAnswered(503), 'UPSTREAM_UNAVAILABLE', 'http_503'],
    ['a 429', receiverAnswered(429), 'UPSTREAM_UNAVAILABLE', 'http_429'],
    ['a 4xx refusal', receiverAnswered(410), 'UPSTREAM_BAD_RESPONSE', 'http_410'],
    ['a redirect', receiverAnswered(302), 'UPSTREAM_BAD_RESPONSE', 'http_302'],
    ['no answer in time', receiverSilent(4000), 'UPSTREAM_TIMEOUT', null],
    ['no answer within the longest timeout allowed', receiverSilent(2_147_483_647), 'UPSTREAM_TIMEOUT', null],
    ['a refused connection', receiverUnreachable('connection_refused'), 'UPSTREAM_UNAVAILABLE', 'connection_refused'],
    ['a refused destination', destinationRefused(), 'UPSTREAM_UNAVAILABLE', 'destination_refused'],
    ['a shortage of the gateway’s own', gatewayShortOfResources(), 'UPSTREAM_UNAVAILABLE', 'gateway_out_of_resources'],
  ])(
    'is told for %s by its code and reason, and read back from its stored message alike',
    (_, failure, code, reason) => {
      expect(failure).toMatchObject({ code, reason });
      expect(toldWebhookFailure(failure.message)).toEqual(failure);
    },
  );

  it('says of a refused destination that the policy refused it and nothing was sent, not that the receiver is down', () => {
    expect(destinationRefused().message).toMatch(/destination policy .*nothing was sent/);
    // Dead letters stored with the earlier wording are still told by their code and reason.
    expect(toldWebhookFailure('The webhook receiver is unavailable (destination_refused).')).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      reason: 'destination_refused',
    });
  });

  it('says of a shortage of the gateway’s own that the gateway, not the receiver, is short, and the attempt not counted', () => {
    expect(gatewayShortOfResources().message).toMatch(/gateway is short of its own resources .*without counting/);
  });

  it.each([
    ['the HTTP client’s words', 'ECONNREFUSED: connect ECONNREFUSED 10.20.30.40:8443'],
    ['the wording before failures were told this way', 'receiver answered HTTP 500'],
    ['a near miss of a told message', 'The webhook receiver is unavailable (see http://10.0.0.1/).'],
  ])('reads %s stored as an unexpected error, hiding it', (_, stored) => {
    expect(toldWebhookFailure(stored)).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
      reason: null,
      message: 'Unexpected error.',
    });
  });
});
