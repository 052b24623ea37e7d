import type { ApolloServerPlugin } from '@apollo/server';
import type { BaseContext } from '@apollo/server';

/** Error codes that mean "a dependency of the gateway itself is down: retry", never a 500. */
const RETRYABLE = new Set(['STORE_UNAVAILABLE', 'ACCESS_LOG_UNAVAILABLE']);

/**
 * Makes any answer that carries a retryable outage error an HTTP 503 with `Retry-After` (the
 * largest `retryAfterSeconds` among those errors), wherever the error arose: a resolver, the
 * context, a plugin. Errors are classified once, by the error masker; this only sets the status.
 */
export function unavailableStatusPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const outages = (response.body.singleResult.errors ?? []).filter((error) =>
            RETRYABLE.has(String(error.extensions?.['code'])),
          );
          if (outages.length === 0) return;
          const seconds = Math.max(1, ...outages.map((error) => Number(error.extensions?.['retryAfterSeconds']) || 1));
          response.http.status = 503;
          response.http.headers.set('retry-after', String(seconds));
        },
      };
    },
  };
}
