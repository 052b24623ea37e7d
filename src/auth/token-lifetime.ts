import { errors, type JWTPayload, type JWTVerifyOptions } from 'jose';
import { AuthenticationError } from './authentication-error.ts';
import { instant } from './numeric-date.ts';

/** How long a token may live, and how far the issuer's clock may be from ours. */
export interface LifetimeLimits {
  clockToleranceSeconds: number;
  maxTokenLifetimeSeconds: number;
}

/**
 * What jwtVerify checks of a token's times: `exp` and `nbf` with the tolerance, and through
 * `maxTokenAge` that `iat` is present, not ahead of our clock beyond the tolerance, and no older
 * than a token may live.
 */
export function lifetimeVerifyOptions(
  limits: LifetimeLimits,
): Pick<JWTVerifyOptions, 'clockTolerance' | 'maxTokenAge'> {
  return { clockTolerance: limits.clockToleranceSeconds, maxTokenAge: limits.maxTokenLifetimeSeconds };
}

/**
 * What jose leaves unchecked: a token issued now that expires in a century is young and unexpired,
 * yet a stolen copy would be good for a century. Its lifetime, `exp - iat`, is held to the maximum
 * (with the tolerance, for issuers that round). Together with `maxTokenAge` this bounds `exp` to
 * now + maximum + tolerance, so nothing that trusts a verified token until its `exp` (the cache of
 * verified tokens) trusts it past the limit either. Run on a verified payload, where both claims are
 * numbers.
 */
export function refuseImplausibleLifetime(payload: JWTPayload, limits: LifetimeLimits): void {
  const { iat, exp } = payload;
  if (typeof iat !== 'number' || typeof exp !== 'number') {
    throw new AuthenticationError('invalid_claim', 'The token\'s "iat" and "exp" claims must be numbers.');
  }
  if (exp - iat > limits.maxTokenLifetimeSeconds + limits.clockToleranceSeconds) {
    throw new AuthenticationError(
      'lifetime_too_long',
      `The token is valid from ${instant(iat)} to ${instant(exp)}, longer than the ${limits.maxTokenLifetimeSeconds} s this gateway accepts.`,
    );
  }
}

/** The refusal for what jose found wrong with `iat` under `maxTokenAge`, or undefined for any other failure. */
export function issuedAtFailure(error: unknown, limits: LifetimeLimits): AuthenticationError | undefined {
  if (error instanceof errors.JWTExpired && error.claim === 'iat') {
    return new AuthenticationError(
      'lifetime_too_long',
      `The token was issued at ${instant(error.payload.iat)}, longer ago than the ${limits.maxTokenLifetimeSeconds} s a token may live here.`,
    );
  }
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'iat' && error.reason === 'check_failed') {
    return new AuthenticationError(
      'issued_in_future',
      `The token is issued at ${instant(error.payload.iat)}, in the future (beyond the ${limits.clockToleranceSeconds} s clock tolerance).`,
    );
  }
  return undefined;
}
