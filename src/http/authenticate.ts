import type { Request, RequestHandler } from 'express';
import {
  AuthenticationError,
  authenticationHttpStatus,
  IssuerUnavailableError,
  issuerUnavailableHttpStatus,
  wwwAuthenticateHeader,
  type Principal,
  type TokenVerifier,
} from '../auth/index.ts';
import type { Logger } from '../platform/logger.ts';
import { ObjectSlot } from '../platform/object-slot.ts';
import type { FailedAuthenticationLimit } from './rate-limit.ts';
import type { RecordRefusal } from './authentication-refusals.ts';
import { singleHeader } from './single-header.ts';

/**
 * Verifies the bearer token of every request it guards: a missing or bad token is answered 401
 * with the reason (and `WWW-Authenticate`), an unreachable identity platform 503 with Retry-After
 * — the token may be fine — and a verified caller is kept for the GraphQL context.
 *
 * With `failures`, every 401 counts against the client's address, and an address over its limit
 * is answered 429 before its token is read: guessing tokens costs the gateway no signature checks.
 */
export function createAuthenticator(
  verifier: TokenVerifier,
  options: { failures?: FailedAuthenticationLimit; recordRefusal?: RecordRefusal; logger?: Logger } = {},
) {
  const principals = new ObjectSlot<Request, Principal>('verified caller');
  const { failures, recordRefusal, logger } = options;

  const middleware: RequestHandler = async (req, res, next) => {
    try {
      if (failures && (await failures.refuseIfOver(req, res))) return;
      principals.set(req, await verifier.verify(authorizationOf(req)));
      next();
    } catch (error) {
      if (error instanceof AuthenticationError) {
        await failures?.count(req);
        // Refusals are logged too; one that cannot be has been answered 503 by the recorder.
        if (recordRefusal && !(await recordRefusal(req, res, error))) return;
        res
          .status(authenticationHttpStatus)
          .set('WWW-Authenticate', wwwAuthenticateHeader(error))
          .json({ errors: [{ message: error.message, extensions: error.extensions }] });
      } else if (error instanceof IssuerUnavailableError) {
        logger?.warn({ issuer: error.issuer, detail: error.detail }, 'token issuer keys cannot be obtained');
        res
          .status(issuerUnavailableHttpStatus)
          .set('Retry-After', String(error.extensions['retryAfterSeconds']))
          .json({ errors: [{ message: error.message, extensions: error.extensions }] });
      } else {
        next(error);
      }
    }
  };

  return {
    middleware,
    /** The verified caller of a request, if the middleware has let it through. */
    verifiedCallerOf(req: Request): Principal | undefined {
      return principals.get(req);
    },
    /** The verified caller of a request the middleware let through. */
    principalOf(req: Request): Principal {
      const principal = principals.get(req);
      if (!principal) throw new Error('the authenticator did not run for this request');
      return principal;
    },
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;

/** One caller across requests: subjects are unique only within their issuer. */
export function callerKey(principal: Principal): string {
  return `${principal.issuer} ${principal.subject}`;
}

/** The one Authorization header; Node would keep the first of several, the gateway refuses them. */
function authorizationOf(req: Request): string | undefined {
  return singleHeader(
    req,
    'authorization',
    (count) =>
      new AuthenticationError('authorization_repeated', `Send one Authorization header: it was sent ${count} times.`),
  );
}
