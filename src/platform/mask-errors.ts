import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { CLIENT_SAFE_CODES } from '../errors/index.ts';
import { isStoreUnavailable, STORE_RETRY_AFTER_SECONDS } from './store/store-unavailable.ts';

/**
 * Coded errors reach the client as they are (minus any stack); an error saying the store cannot
 * be reached (pg, PGlite or Prisma, however wrapped) becomes STORE_UNAVAILABLE, to be retried
 * (the unavailable-status plugin makes the answer a 503 with Retry-After); every other error is
 * logged in full and replaced by "Unexpected error." so no internals leak.
 */
export function createErrorMasker(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_SAFE_CODES.has(code)) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    if (isStoreUnavailable(error)) {
      logger.warn({ err: error, path: formatted.path }, 'the store is unavailable');
      return {
        message: "The gateway's store is unavailable; retry later.",
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: 'STORE_UNAVAILABLE', retryAfterSeconds: STORE_RETRY_AFTER_SECONDS },
      };
    }
    logger.error({ err: error, path: formatted.path }, 'unexpected error in GraphQL execution');
    return {
      message: 'Unexpected error.',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
