import type { Authority } from '../../domain/types.ts';
import { BadUserInputError } from '../../platform/errors.ts';

/**
 * BAD_USER_INPUT with reason `unknown_authority` when an administrator names an authority that is
 * not on the reference list. A grant or a subscription for a mistyped code would be stored and
 * answered as if it worked, while nobody could ever use it; worse, the code might later be given
 * to another authority, which would then inherit it. The list is public (the `authorities` query),
 * so saying the code is unknown tells the caller nothing it could not read.
 */
export function assertKnownAuthority(
  argument: string,
  code: string,
  authorities: ReadonlyMap<string, Authority>,
): void {
  if (authorities.has(code)) return;
  throw new BadUserInputError(
    `${argument}: no authority ${JSON.stringify(code)} is on the reference list (the \`authorities\` query lists them).`,
    { argument, reason: 'unknown_authority', authorityCode: code },
  );
}
