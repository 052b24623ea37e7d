import type { IncomingMessage } from 'node:http';
import { describeMatterReferenceProblem, toMatterReference } from '../domain/matter-reference.ts';
import { BadUserInputError } from '../platform/errors.ts';
import { singleHeader } from './single-header.ts';

/** The matter a caller works on travels in this header; a token's `purpose` claim is the fallback. */
export const PURPOSE_HEADER = 'x-purpose';

/** Why a stated purpose was refused, as `extensions.reason`. */
export type PurposeRefusal =
  | 'purpose_blank'
  | 'purpose_too_long'
  | 'purpose_control_character'
  | 'purpose_ill_formed_unicode'
  | 'purpose_bad_encoding'
  /** The header was sent more than once: two matters in one request cannot both be its purpose. */
  | 'purpose_repeated'
  /** The token is bound to a matter (its purpose claim) and the header states another. */
  | 'purpose_differs_from_token';

/**
 * The purpose of a request: the `x-purpose` header if sent, else the token's purpose claim, else
 * none. A token that carries a purpose claim is bound to that matter: a header may restate it but
 * not name another (`purpose_differs_from_token`), or its holder could read under the grants of
 * any matter they chose, whatever the identity platform bound the token to. Whatever is stated must be a matter reference (see src/domain/matter-reference.ts):
 * a header sent blank is refused rather than read as "no purpose", since a grant is bound to the
 * matter and the access log records it as stated. Throws BadUserInputError (HTTP 400) with
 * `extensions.reason` and `extensions.source`.
 *
 * Matter numbers are Chinese (瑞综执立〔2026〕101号) and HTTP header values are not, so the header
 * carries the number percent-encoded as UTF-8 (`encodeURIComponent`); plain ASCII passes as is.
 * The header sent twice is refused (`purpose_repeated`), never read as one matter "a, b".
 */
export function requestPurpose(
  req: Pick<IncomingMessage, 'headersDistinct'>,
  tokenClaim: string | null,
): string | null {
  const header = singleHeader(req, PURPOSE_HEADER, (count) =>
    refusal(
      `Send ${PURPOSE_HEADER} at most once: it was sent ${count} times, and a request has one purpose.`,
      'purpose_repeated',
      `${PURPOSE_HEADER} header`,
    ),
  );
  const claimed = tokenClaim === null ? null : checked(tokenClaim, 'token purpose claim');
  if (header === undefined) return claimed;
  const stated = purposeFromHeader(header);
  if (claimed !== null && stated !== claimed) {
    throw refusal(
      `The token is bound to one matter (its purpose claim) and ${PURPOSE_HEADER} states another: send the token's matter, or no ${PURPOSE_HEADER}, or use a token for this matter.`,
      'purpose_differs_from_token',
      `${PURPOSE_HEADER} header`,
    );
  }
  return stated;
}

/** A character no percent-encoded value holds: a header byte at or above 0x80. */
const NOT_ASCII = /[^\x00-\x7F]/u;

/** The purpose one header value states; throws BadUserInputError (400) when it is not a matter reference. */
function purposeFromHeader(text: string): string {
  // Node reads a header one character per byte, so a matter number sent unencoded arrives as its
  // UTF-8 bytes: refused as what it is, never read as the mojibake it would be stored as.
  if (NOT_ASCII.test(text)) {
    throw refusal(
      `${PURPOSE_HEADER} must be percent-encoded UTF-8 (encodeURIComponent): it was sent with bytes outside ASCII, as raw text`,
      'purpose_bad_encoding',
      `${PURPOSE_HEADER} header`,
    );
  }
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
