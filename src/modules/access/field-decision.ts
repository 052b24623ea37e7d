import type { Principal } from '../../auth/principal.ts';
import { isOwnedBy } from './owning-authorities.ts';
import type { SharingDeclaration } from './sharing-declarations.ts';

/** What the caller brings to a decision, fixed for the whole request. */
export interface CallerStanding {
  principal: Principal;
  /** The case or matter number the caller works on (header or token). */
  purpose: string | null;
  /**
   * Coordinates (`Type.field`) opened by the caller's grants in force that cover this purpose and
   * the caller's roles, each with the id of the grant it is read under (for the access log).
   */
  grantedFields: ReadonlyMap<string, string>;
  /**
   * Whether the caller's jurisdiction reaches the area the gateway serves (`ServedArea`). Only
   * then does an authority of a system's kind read that system's fields as their owner: an
   * approval bureau of another county needs a purpose and a grant like any other consumer.
   */
  reachesServedArea: boolean;
}

export type FieldDecision =
  { outcome: 'allow'; grantId?: string } | { outcome: 'mask' } | { outcome: 'deny'; rule: DenyRule; reason: string };

export type DenyRule = 'undeclared' | 'not-shared' | 'purpose-required' | 'no-grant';

/**
 * The decision for one field and one caller. It depends only on the declaration and the
 * caller's standing, never on the row, so it is made once per field per request.
 */
export function decideField(declaration: SharingDeclaration | undefined, caller: CallerStanding): FieldDecision {
  if (!declaration) {
    return { outcome: 'deny', rule: 'undeclared', reason: 'the field has no declared sharing class' };
  }
  const { sharingClass, owner, personal, coordinate } = declaration;
  const ownCaller = owner !== null && caller.reachesServedArea && isOwnedBy(owner, caller.principal.authorityKind);
  if (sharingClass === 'UNCONDITIONAL' || ownCaller) return { outcome: 'allow' };
  if (sharingClass === 'NOT_SHARED') {
    return {
      outcome: 'deny',
      rule: 'not-shared',
      reason: `${coordinate} is not shared outside the ${owner} system's own authorities`,
    };
  }
  if (!caller.purpose) {
    return {
      outcome: 'deny',
      rule: 'purpose-required',
      reason: `${coordinate} is shared only for a stated purpose: send the matter number in the x-purpose header`,
    };
  }
  const grantId = caller.grantedFields.get(coordinate);
  if (grantId !== undefined) return { outcome: 'allow', grantId };
  if (personal) return { outcome: 'mask' };
  return {
    outcome: 'deny',
    rule: 'no-grant',
    reason: `${coordinate} needs a sharing agreement between the ${owner} system and ${caller.principal.authorityCode} covering this purpose`,
  };
}
