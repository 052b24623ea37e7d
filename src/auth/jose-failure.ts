import { errors } from 'jose';
import { AuthenticationError, quoted } from './authentication-error.ts';
import { IssuerUnavailableError } from './issuer-unavailable-error.ts';
import { instant } from './numeric-date.ts';
import { issuedAtFailure, type LifetimeLimits } from './token-lifetime.ts';

/**
 * Translates what jose threw while verifying a token of `issuer` into the error the caller sees.
 * Every jose error is about the token (jose throws them only for what it was given), so each one,
 * including kinds a later jose version adds, becomes a 401 with a known reason; only a failure
 * outside jose is returned as it is: an unexpected failure is ours, not the token's.
 */
export function joseFailure(error: unknown, issuer: string, audience: string, limits: LifetimeLimits): unknown {
  if (error instanceof AuthenticationError || error instanceof IssuerUnavailableError) return error;
  const issuedAt = issuedAtFailure(error, limits);
  if (issuedAt) return issuedAt;
  if (error instanceof errors.JWTExpired) {
    return new AuthenticationError('expired', `The token expired at ${instant(error.payload.exp)}.`);
  }
  if (error instanceof errors.JWTClaimValidationFailed) return claimFailure(error, audience);
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new AuthenticationError(
      'algorithm_not_allowed',
      'The token is signed with an algorithm this gateway does not accept.',
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new AuthenticationError(
      'bad_signature',
      `The token's signature does not verify with the keys of issuer ${issuer}.`,
    );
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return new AuthenticationError(
      'bad_signature',
      `No key of issuer ${issuer} matches the token's key id and algorithm.`,
    );
  }
  if (error instanceof errors.JOSENotSupported) {
    return new AuthenticationError(
      'unsupported_header',
      `The token asks for something this gateway does not support (${quoted(error.message, 120)}).`,
    );
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return new AuthenticationError('malformed_token', `The token is not a well-formed JWT (${error.message}).`);
  }
  if (error instanceof errors.JOSEError) {
    return new AuthenticationError('malformed_token', `The token could not be verified (${error.code}).`);
  }
  return error;
}

function claimFailure(error: errors.JWTClaimValidationFailed, audience: string): AuthenticationError {
  const { claim, reason, payload } = error;
  if (reason === 'missing') return new AuthenticationError('missing_claim', `The token has no "${claim}" claim.`);
  switch (claim) {
    case 'nbf':
      return new AuthenticationError('not_yet_valid', `The token is not valid before ${instant(payload.nbf)}.`);
    case 'aud':
      return new AuthenticationError(
        'wrong_audience',
        `The token is not meant for this gateway (audience ${audience}).`,
      );
    case 'iss':
      return new AuthenticationError('unknown_issuer', 'The token names an issuer this gateway does not trust.');
    default:
      return new AuthenticationError('invalid_claim', `The token's "${claim}" claim is invalid (${error.message}).`);
  }
}
