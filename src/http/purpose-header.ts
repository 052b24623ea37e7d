import { BadUserInputError } from '../errors.ts';

/** The matter a caller works on travels in this header; a token's `purpose` claim is the fallback. */
export const PURPOSE_HEADER = 'x-purpose';
const MAX_PURPOSE_LENGTH = 100;

/**
 * Matter numbers are Chinese (瑞综执立〔2026〕101号) and HTTP header values are not, so the header
 * carries the number percent-encoded as UTF-8 (`encodeURIComponent`); plain ASCII passes as is.
 */
export function purposeFromHeader(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string' || header.trim() === '') return null;
  let purpose: string;
  try {
    purpose = decodeURIComponent(header.trim());
  } catch {
    throw new BadUserInputError(`${PURPOSE_HEADER} must be percent-encoded UTF-8 (encodeURIComponent)`, { http: { status: 400 } });
  }
  if (purpose.length > MAX_PURPOSE_LENGTH) {
    throw new BadUserInputError(`${PURPOSE_HEADER} must be at most ${MAX_PURPOSE_LENGTH} characters`, { http: { status: 400 } });
  }
  return purpose;
}
