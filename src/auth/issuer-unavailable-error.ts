import { GraphQLError } from 'graphql';

/** The HTTP status when the identity provider's keys cannot be fetched: try again later. */
export const issuerUnavailableHttpStatus = 503;

/**
 * How long a client is asked to wait (Retry-After, seconds): about one fetch of the key set, which
 * the next request tries again.
 */
export const ISSUER_RETRY_AFTER_SECONDS = 5;

/**
 * The issuer's key set (JWKS) could not be fetched or was unusable. Kept apart from
 * AuthenticationError because the token may well be good: a 401 would tell the client to drop it.
 */
export class IssuerUnavailableError extends GraphQLError {
  readonly code = 'ISSUER_UNAVAILABLE';
  readonly issuer: string;
  /**
   * Why, in the words of the HTTP client or JWKS library: for the server's log only. Callers,
   * who need no token to be told this, get no third-party text (addresses, library internals).
   */
  readonly detail: string;

  constructor(issuer: string, detail: string) {
    super(`The keys of token issuer ${issuer} cannot be obtained; retry later.`, {
      extensions: { code: 'ISSUER_UNAVAILABLE', issuer, retryAfterSeconds: ISSUER_RETRY_AFTER_SECONDS },
    });
    this.name = 'IssuerUnavailableError';
    this.issuer = issuer;
    this.detail = detail;
  }
}
