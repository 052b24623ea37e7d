import { GraphQLError } from 'graphql';

/** The HTTP status when the identity provider's keys cannot be fetched: try again later. */
export const issuerUnavailableHttpStatus = 503;

/**
 * The issuer's key set (JWKS) could not be fetched or was unusable. Kept apart from
 * AuthenticationError because the token may well be good: a 401 would tell the client to drop it.
 */
export class IssuerUnavailableError extends GraphQLError {
  readonly code = 'ISSUER_UNAVAILABLE';
  readonly issuer: string;

  constructor(issuer: string, detail: string) {
    super(`The keys of token issuer ${issuer} cannot be obtained (${detail}).`, {
      extensions: { code: 'ISSUER_UNAVAILABLE', issuer },
    });
    this.name = 'IssuerUnavailableError';
    this.issuer = issuer;
  }
}
