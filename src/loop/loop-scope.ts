import { GraphQLError } from 'graphql';
import type { Principal, Role } from '../auth/principal.ts';
import { jurisdictionPrefix } from '../permissions/jurisdiction.ts';

/** Who may read loop breaks and assessment figures: analysts, auditors and authorities' officers. */
const LOOP_READERS: readonly Role[] = ['ANALYST', 'AUDITOR', 'OFFICER'];

/**
 * The division prefix a caller's loop queries are confined to: a township team sees its
 * township, county bodies their county. Null while authentication is off (everything).
 */
export function loopScope(principal: Principal | undefined): string | null {
  if (!principal) return null;
  if (!principal.roles.some((role) => LOOP_READERS.includes(role))) {
    throw new GraphQLError('Not allowed: loop breaks and assessment figures are for analysts, auditors and officers.', {
      extensions: { code: 'FORBIDDEN', rule: 'role' },
    });
  }
  return jurisdictionPrefix(principal.jurisdictionCode);
}
