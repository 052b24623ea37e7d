import {
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import { isForbiddenAlgorithm } from './algorithms.ts';
import type { AuthConfig } from './auth-config.ts';
import { AuthenticationError, quoted } from './authentication-error.ts';
import { issuerKeyResolver } from './issuer-keys.ts';
import { joseFailure } from './jose-failure.ts';
import type { Principal } from './principal.ts';
import { principalFromClaims } from './principal-from-claims.ts';
import { lifetimeVerifyOptions, refuseImplausibleLifetime } from './token-lifetime.ts';

export interface TokenVerifier {
  /**
   * The caller a request's `Authorization` header proves. Throws AuthenticationError (HTTP 401)
   * for a missing or bad token, IssuerUnavailableError (503) when the issuer's keys cannot be fetched.
   */
  verify(authorizationHeader: string | undefined): Promise<Principal>;
}

/**
 * Three base64url parts; a JWE (five parts) or anything else is not a signed JWT. The signature
 * may be empty here so that an `alg: none` token is refused as such, not as malformed.
 */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function createTokenVerifier(config: AuthConfig): TokenVerifier {
  const resolvers = new Map<string, JWTVerifyGetKey>(
    config.issuers.map((trusted) => [trusted.issuer, issuerKeyResolver(trusted)]),
  );

  async function verify(authorizationHeader: string | undefined): Promise<Principal> {
    const token = bearerToken(authorizationHeader);
    const { issuer } = inspectUnverified(token);
    const resolver = resolvers.get(issuer);
    if (resolver === undefined) {
      throw new AuthenticationError('unknown_issuer', `The token's issuer ${quoted(issuer)} is not trusted.`);
    }
    const options: JWTVerifyOptions = {
      issuer,
      audience: config.audience,
      algorithms: [...config.algorithms],
      // iat is required too: maxTokenAge asks for it. jti when every token must be revocable on its own.
      requiredClaims: config.requireJti ? ['exp', 'sub', 'jti'] : ['exp', 'sub'],
      ...lifetimeVerifyOptions(config),
    };
    let payload: JWTPayload;
    try {
      payload = await verifySignedToken(token, resolver, options);
    } catch (error) {
      throw joseFailure(error, issuer, config.audience, config);
    }
    refuseImplausibleLifetime(payload, config);
    return principalFromClaims(payload, issuer, config.claims);
  }

  return { verify };
}

/** RFC 6750 §2.1: `Bearer <token>`, the scheme case-insensitive. */
function bearerToken(header: string | undefined): string {
  const value = header?.trim() ?? '';
  if (value === '') {
    throw new AuthenticationError('missing_token', 'No bearer token: send the header "Authorization: Bearer <token>".');
  }
  const [scheme = '', ...rest] = value.split(/\s+/);
  if (scheme.toLowerCase() !== 'bearer') {
    // Name the scheme, never echo the credentials that follow it.
    throw new AuthenticationError(
      'missing_token',
      `No bearer token: the Authorization header uses the ${quoted(scheme, 20)} scheme.`,
    );
  }
  if (rest.length !== 1) {
    throw new AuthenticationError(
      rest.length === 0 ? 'missing_token' : 'malformed_token',
      'The Authorization header must be "Bearer" followed by exactly one token.',
    );
  }
  return rest[0] ?? '';
}

/**
 * Reads the header and the issuer before any verification, to refuse `none` and HMAC tokens
 * outright and to choose the issuer's keys. Nothing read here is trusted beyond that choice:
 * jwtVerify checks the issuer again against the signature.
 */
function inspectUnverified(token: string): { issuer: string } {
  if (!COMPACT_JWS.test(token)) {
    throw new AuthenticationError('malformed_token', 'The bearer token is not a signed JWT (three base64url parts).');
  }
  let header: Record<string, unknown>;
  let payload: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
    payload = decodeJwt(token);
  } catch {
    throw new AuthenticationError('malformed_token', 'The bearer token is not a readable JWT.');
  }
  refuseCriticalExtensions(header.crit);
  const { alg } = header;
  if (typeof alg !== 'string' || alg === '') {
    throw new AuthenticationError('malformed_token', 'The token header names no algorithm ("alg").');
  }
  if (isForbiddenAlgorithm(alg)) {
    throw new AuthenticationError(
      'algorithm_not_allowed',
      `The token uses ${quoted(alg, 20)}; only asymmetric signatures are accepted.`,
    );
  }
  if (payload.iss === undefined) throw new AuthenticationError('missing_claim', 'The token has no "iss" claim.');
  if (typeof payload.iss !== 'string')
    throw new AuthenticationError('invalid_claim', 'The token\'s "iss" claim must be a string.');
  return { issuer: payload.iss };
}

/**
 * RFC 7515 §4.1.11: a token whose `crit` names an extension the recipient does not implement
 * must be refused. This gateway implements none, so any `crit` is refused here, before keys are
 * looked up or a signature is checked.
 */
function refuseCriticalExtensions(crit: unknown): void {
  if (crit === undefined) return;
  if (!Array.isArray(crit) || crit.length === 0 || !crit.every((name) => typeof name === 'string' && name !== '')) {
    throw new AuthenticationError(
      'malformed_token',
      'The token\'s "crit" header must be a non-empty list of extension names.',
    );
  }
  throw new AuthenticationError(
    'unsupported_header',
    `The token requires the extension ${quoted(crit[0], 40)} ("crit"), which this gateway does not support.`,
  );
}

/**
 * jwtVerify, plus what jose leaves to the caller: when a token names no key id and several keys
 * of the issuer fit, each is tried in turn.
 */
async function verifySignedToken(token: string, keys: JWTVerifyGetKey, options: JWTVerifyOptions): Promise<JWTPayload> {
  try {
    return (await jwtVerify(token, keys, options)).payload;
  } catch (error) {
    if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
    for await (const key of error) {
      try {
        return (await jwtVerify(token, key, options)).payload;
      } catch (attempt) {
        if (!(attempt instanceof errors.JWSSignatureVerificationFailed)) throw attempt;
      }
    }
    throw new errors.JWSSignatureVerificationFailed();
  }
}
