import type { Principal } from '../../auth/principal.ts';
import { jurisdictionPrefix } from '../access/index.ts';

/**
 * The division prefix a caller's loop queries are confined to: analysts, auditors and county
 * bodies see their county, a township team its township. Every caller acts for an authority with
 * a jurisdiction, so the scope, not a role, is the rule (declared as UNCONDITIONAL in the schema).
 * Null while authentication is off (everything).
 */
export function loopScope(principal: Principal | undefined): string | null {
  return principal ? jurisdictionPrefix(principal.jurisdictionCode) : null;
}
