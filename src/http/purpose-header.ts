import { describeMatterReferenceProblem, toMatterReference } from '../domain/matter-reference.ts';
import { BadUserInputError } from '../platform/errors.ts';

/** The matter a caller works on travels in this header; a token's `purpose` claim is the fallback. */
export const PURPOSE_HEADER = 'x-purpose';

/** Why a stated purpose was refused, as `extensions.reason`. */
export type PurposeRefusal =
  | 'purpose_blank'
  | 'purpose_too_long'
  | 'purpose_control_character'
  | 'purpose_ill_formed_unicode'
  | 'purpose_bad_encoding';

/**
 * The purpose of a request: the `x-purpose` header if sent, else the token's purpose claim, else
 * none. Whatever is stated must be a matter reference (see src/domain/matter-reference.ts):
 * a header sent blank is refused rather than read as "no purpose", since a grant is bound to the
 * matter and the access log records it as stated. Throws BadUserInputError (HTTP 400) with
 * `extensions.reason` and `extensions.source`.
 *
 * Matter numbers are Chinese (瑞综执立〔2026〕101号) and HTTP header values are not, so the header
 * carries the number percent-encoded as UTF-8 (`encodeURIComponent`); plain ASCII passes as is.
 */
export function requestPurpose(header: string | string[] | undefined, tokenClaim: string | null): string | null {
  if (header !== undefined) return purposeFromHeader(header);
  if (tokenClaim === null) return null;
  return checked(tokenClaim, 'token purpose claim');
}

/** The purpose the header states; throws BadUserInputError (400) when it is not a matter reference. */
export function purposeFromHeader(header: string | string[]): string {
  // Node joins repeated custom headers with ", "; an array only comes from a caller building one.
  const text = Array.isArray(header) ? header.join(', ') : header;
  let decoded: string;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    throw refusal(
      `${PURPOSE_HEADER} must be percent-encoded UTF-8 (encodeURIComponent)`,
      'purpose_bad_encoding',
      `${PURPOSE_HEADER} header`,
    );
  }
  return checked(decoded, `${PURPOSE_HEADER} header`);
}

function checked(text: string, source: string): string {
  const reference = toMatterReference(text);
  if (reference.ok) return reference.value;
  const reason = `purpose_${reference.problem}` as PurposeRefusal;
  throw refusal(`The purpose (${source}) ${describeMatterReferenceProblem(reference.problem)}.`, reason, source);
}

function refusal(message: string, reason: PurposeRefusal, source: string): BadUserInputError {
  return new BadUserInputError(message, { reason, source, http: { status: 400 } });
}
