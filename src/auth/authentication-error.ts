import { GraphQLError } from 'graphql';

/** Why a request was not authenticated; machine-readable, so clients can react without parsing text. */
export const AUTHENTICATION_REASONS = [
  'missing_token',
  /** More than one Authorization header: which one is meant cannot be known. */
  'authorization_repeated',
  'malformed_token',
  'unknown_issuer',
  'bad_signature',
  'expired',
  'not_yet_valid',
  /** The token's `iat` is ahead of our clock by more than the clock tolerance. */
  'issued_in_future',
  /** The token lives (`exp - iat`), or has lived, longer than AUTH_MAX_TOKEN_LIFETIME_SECONDS. */
  'lifetime_too_long',
  'wrong_audience',
  'algorithm_not_allowed',
  /** The token's header asks for something this gateway does not implement (a `crit` extension, an unsupported key type). */
  'unsupported_header',
  'missing_claim',
  'invalid_claim',
  /** The token was revoked (its caller signed out, or an administrator revoked it) before its expiry. */
  'token_revoked',
] as const;
export type AuthenticationReason = (typeof AUTHENTICATION_REASONS)[number];

/** The HTTP status of a response refused for lack of a valid token (RFC 6750 §3.1). */
export const authenticationHttpStatus = 401;

/**
 * The request carries no usable bearer token. The message is shown to the caller as it is: it
 * says what is wrong with the token, never which keys the gateway holds.
 */
export class AuthenticationError extends GraphQLError {
  readonly code = 'UNAUTHENTICATED';
  readonly reason: AuthenticationReason;

  constructor(reason: AuthenticationReason, message: string) {
    super(message, { extensions: { code: 'UNAUTHENTICATED', reason } });
    this.name = 'AuthenticationError';
    this.reason = reason;
  }
}

/**
 * The `WWW-Authenticate` value for a 401. Without any token RFC 6750 §3.1 says to send no error
 * code; otherwise `invalid_token` with the message as description.
 */
export function wwwAuthenticateHeader(error: AuthenticationError, realm = 'shenguanzhixin-gateway'): string {
  const challenge = `Bearer realm="${headerSafe(realm)}"`;
  if (error.reason === 'missing_token') return challenge;
  return `${challenge}, error="invalid_token", error_description="${headerSafe(error.message)}"`;
}

/**
 * RFC 6750 allows only printable ASCII without `"` and `\` in these values, and Node refuses
 * header values outside Latin-1; messages may quote claim values a caller chose.
 */
function headerSafe(text: string): string {
  return text.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, '?');
}

/** A caller-chosen value quoted in a message, cut short so a hostile token cannot flood logs and headers. */
export function quoted(value: unknown, max = 60): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
