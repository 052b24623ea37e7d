import { Agent, request as undiciRequest } from 'undici';
import { networkFailureReason } from '../../connectors/index.ts';
import { GatewayShortOfResourcesError } from '../../platform/errors.ts';
import type { PublicFailure } from '../../platform/public-failure.ts';
import {
  checkedLookup,
  DestinationRefusedError,
  systemResolver,
  type ResolveHost,
} from './webhook-destination-lookup.ts';
import { PUBLIC_DESTINATIONS_ONLY, type WebhookDestinationPolicy } from './webhook-destination-policy.ts';
import {
  destinationRefused,
  gatewayShortOfResources,
  receiverAnswered,
  receiverSilent,
  receiverUnreachable,
} from './webhook-failure.ts';
import { SIGNATURE_HEADER } from './webhook-signature.ts';
import { webhookUrlProblem } from './webhook-url.ts';

export type SendOutcome =
  | { kind: 'delivered' }
  /**
   * `failure` is what the delivery's readers are told; `detail`, when there is more to know (the
   * HTTP client's words, the address refused), is for the server's log only. `permanent`: sending
   * again cannot succeed (a 4xx refusal, a forbidden destination); dead-letter it now.
   */
  | { kind: 'failed'; failure: PublicFailure; detail?: string; permanent?: boolean }
  /** The gateway gave up on it while stopping; the receiver may or may not have it. */
  | { kind: 'abandoned' }
  /** Not sent: this gateway was short of its own resources (descriptors, ports); `detail` for the log. */
  | { kind: 'deferred'; failure: PublicFailure; detail: string };

export interface WebhookRequest {
  url: string;
  body: string;
  signature: string;
  eventId: string;
}

export interface SendOptions {
  timeoutMs: number;
  abandon: AbortSignal;
}

/**
 * Sends webhooks only where the destination policy allows. The URL's host is checked before
 * connecting (an IP literal), and a name is resolved, checked and connected to in one step by the
 * agent's lookup, so DNS rebinding between subscription and delivery reaches nothing inside.
 */
export function createWebhookSender(options: { destinations?: WebhookDestinationPolicy; resolve?: ResolveHost } = {}) {
  const destinations = options.destinations ?? PUBLIC_DESTINATIONS_ONLY;
  const agent = new Agent({ connect: { lookup: checkedLookup(destinations, options.resolve ?? systemResolver) } });

  /**
   * POSTs one signed body. Any 2xx is delivered. A 4xx other than 408 and 429 is permanent: the
   * receiver refuses this request and will refuse it again. Everything else — another status, a
   * redirect (never followed: a receiver moving must be re-subscribed by an administrator), a
   * timeout, a refused connection — is a failure to retry.
   */
  async function send(request: WebhookRequest, sendOptions: SendOptions): Promise<SendOutcome> {
    // A subscription made before the policy was tightened is held to today's policy.
    const urlProblem = webhookUrlProblem(request.url, destinations);
    if (urlProblem !== null)
      return {
        kind: 'failed',
        failure: destinationRefused(),
        detail: `destination refused: ${urlProblem}`,
        permanent: true,
      };
    const timeout = AbortSignal.timeout(sendOptions.timeoutMs);
    try {
      const response = await undiciRequest(request.url, {
        method: 'POST',
        dispatcher: agent,
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: request.signature,
          'webhook-id': request.eventId,
          'user-agent': 'shenguanzhixin-gateway-webhooks',
        },
        body: request.body,
        signal: AbortSignal.any([timeout, sendOptions.abandon]),
      });
      // The body is of no interest; reading it lets the connection be reused.
      await response.body.dump().catch(() => undefined);
      return outcomeOf(response.statusCode);
    } catch (error) {
      if (sendOptions.abandon.aborted) return { kind: 'abandoned' };
      if (timeout.aborted) return { kind: 'failed', failure: receiverSilent(sendOptions.timeoutMs) };
      const refused = findRefusal(error);
      if (refused)
        return {
          kind: 'failed',
          failure: destinationRefused(),
          detail: `destination refused: ${refused.message}`,
          permanent: true,
        };
      const reason = networkFailureReason(error);
      if (reason === GatewayShortOfResourcesError.REASON)
        return { kind: 'deferred', failure: gatewayShortOfResources(), detail: describe(error) };
      return { kind: 'failed', failure: receiverUnreachable(reason), detail: describe(error) };
    }
  }

  return {
    send,
    async close(): Promise<void> {
      await agent.close();
    },
  };
}

export type WebhookSender = ReturnType<typeof createWebhookSender>;

/** The status says all there is to tell; the body, the receiver's own text, is discarded, never kept. */
function outcomeOf(status: number): SendOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  const failure = receiverAnswered(status);
  const permanent = status >= 400 && status < 500 && status !== 408 && status !== 429;
  return permanent ? { kind: 'failed', failure, permanent } : { kind: 'failed', failure };
}

function findRefusal(error: unknown): DestinationRefusedError | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof DestinationRefusedError) return current;
  }
  return undefined;
}

/** The network error may sit in `cause` (ECONNREFUSED, ENOTFOUND, …). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as (Error & { code?: string }) | undefined;
  const own = error as Error & { code?: string };
  if (cause?.code) return `${cause.code}: ${cause.message}`;
  if (own.code) return `${own.code}: ${own.message}`;
  return cause?.message ?? error.message;
}
