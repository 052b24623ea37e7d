import { SIGNATURE_HEADER } from './webhook-signature.ts';

export type SendOutcome =
  | { kind: 'delivered' }
  | { kind: 'failed'; error: string }
  /** The gateway gave up on it while stopping; the receiver may or may not have it. */
  | { kind: 'abandoned' };

const MAX_ERROR_LENGTH = 500;

/**
 * POSTs one signed body. Any 2xx is delivered; everything else — another status, a redirect
 * (not followed: a receiver moving must be re-subscribed by an administrator), a timeout, a
 * refused connection — is a failure to retry.
 */
export async function sendWebhook(
  request: { url: string; body: string; signature: string; eventId: string },
  options: { timeoutMs: number; abandon: AbortSignal },
): Promise<SendOutcome> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: request.signature,
        'webhook-id': request.eventId,
        'user-agent': 'shenguanzhixin-gateway-webhooks',
      },
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.any([timeout, options.abandon]),
    });
    // The body is of no interest; reading it lets the connection be reused.
    await response.arrayBuffer().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { kind: 'delivered' };
    return { kind: 'failed', error: `receiver answered HTTP ${response.status}` };
  } catch (error) {
    if (options.abandon.aborted) return { kind: 'abandoned' };
    if (timeout.aborted) return { kind: 'failed', error: `no answer within ${options.timeoutMs} ms` };
    return { kind: 'failed', error: describe(error).slice(0, MAX_ERROR_LENGTH) };
  }
}

/** fetch hides the network error in `cause` (ECONNREFUSED, ENOTFOUND, …). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as (Error & { code?: string }) | undefined;
  if (cause?.code) return `${cause.code}: ${cause.message}`;
  return cause?.message ?? error.message;
}
