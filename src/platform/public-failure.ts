import { GraphQLError } from 'graphql';
import { CLIENT_SAFE_CODES, type ErrorCode } from '../errors/index.ts';
import { isStoreUnavailable } from './store/store-unavailable.ts';

/** A failure as a caller may be told it: the catalogue's code, its machine-readable reason, a message written for clients. */
export interface PublicFailure {
  code: ErrorCode;
  /** `connection_refused`, `http_503`, `invalid_json`, …; null when the code says all. */
  reason: string | null;
  message: string;
}

/**
 * What a stored or reported failure may say to a caller, by the rules the error masker applies to
 * answers: a coded error (an agency's failure) keeps its code, reason and message, which name the
 * system and never a URL; the store being down is said as such; anything else (a driver's text
 * with its host and SQL, a bug) is "Unexpected error.". The raw text belongs in the server log,
 * which the caller of this is expected to write.
 */
export function publicFailure(error: unknown): PublicFailure {
  if (error instanceof GraphQLError) {
    const { code, reason } = error.extensions;
    if (typeof code === 'string' && CLIENT_SAFE_CODES.has(code))
      return { code: code as ErrorCode, reason: typeof reason === 'string' ? reason : null, message: error.message };
  }
  if (isStoreUnavailable(error))
    return { code: 'STORE_UNAVAILABLE', reason: null, message: "The gateway's store is unavailable." };
  return { code: 'INTERNAL_SERVER_ERROR', reason: null, message: 'Unexpected error.' };
}
