import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  authenticationHttpStatus,
  wwwAuthenticateHeader,
} from '../../src/auth/authentication-error.ts';

describe('the 401 answer', () => {
  it('uses HTTP status 401', () => {
    expect(authenticationHttpStatus).toBe(401);
  });

  it('challenges for a bearer token without an error code when none was sent (RFC 6750 §3.1)', () => {
    const error = new AuthenticationError('missing_token', 'No bearer token.');
    expect(wwwAuthenticateHeader(error)).toBe('Bearer realm="shenguanzhixin-gateway"');
  });

  it('names invalid_token and describes the problem when a token was refused', () => {
    const error = new AuthenticationError('expired', 'The token expired at 2026-11-22T03:00:00Z.');
    expect(wwwAuthenticateHeader(error)).toBe(
      'Bearer realm="shenguanzhixin-gateway", error="invalid_token", error_description="The token expired at 2026-11-22T03:00:00Z."',
    );
  });

  it('keeps the description a valid header value whatever a token made the message say', () => {
    const error = new AuthenticationError(
      'unknown_issuer',
      'The token\'s issuer "https://假.example\\x" is not trusted.',
    );
    const description = /error_description="(.*)"$/.exec(wwwAuthenticateHeader(error))?.[1] ?? '';
    expect(description).toMatch(/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/);
    expect(description).toBe("The token's issuer 'https://?.example'x' is not trusted.");
  });

  it('is a GraphQL error coded UNAUTHENTICATED with its reason', () => {
    const error = new AuthenticationError('wrong_audience', 'Not for us.');
    expect(error.toJSON()).toMatchObject({
      message: 'Not for us.',
      extensions: { code: 'UNAUTHENTICATED', reason: 'wrong_audience' },
    });
  });
});
