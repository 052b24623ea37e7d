import type { Principal } from '../../auth/principal.ts';
import { withinJurisdiction } from './jurisdiction.ts';
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
  /**
   * Whether the caller's jurisdiction covers every township the gateway serves (the county or
   * above). Only then does owner standing hold on every row; a township team's holds only on rows
   * of its township, so a field it opens is decided per row (`placeDecides`). Absent: it does not.
   */
  coversServedArea?: boolean;
}

export type FieldDecision =
  { outcome: 'allow'; grantId?: string } | { outcome: 'mask' } | { outcome: 'deny'; rule: DenyRule; reason: string };

export type DenyRule = 'undeclared' | 'not-shared' | 'purpose-required' | 'no-grant';

/**
 * Where the row a field is read on lies, for owner standing: `confined` for a row the gateway
 * answers only within the caller's jurisdiction (a clue, a case, an inspection: the loaders drop
 * the others), else the row's township code, or null when it is not known.
 */
export type RowPlace = 'confined' | string | null;

/**
 * Whether, for this caller, the field's decision hangs on the row's place: the caller would read
 * it as its owner, but its jurisdiction does not cover the served area (a township team).
 */
export function placeDecides(declaration: SharingDeclaration, caller: CallerStanding): boolean {
  const { sharingClass, owner } = declaration;
  return (
    sharingClass !== 'UNCONDITIONAL' &&
    owner !== null &&
    caller.reachesServedArea &&
    caller.coversServedArea !== true &&
    isOwnedBy(owner, caller.principal.authorityKind)
  );
}

/**
 * The decision for one field, one caller and one row. It depends on the row only through owner
 * standing, and only for a caller whose jurisdiction does not cover the served area: a township
 * team reads its system's conditional fields as their owner on rows of its township, and on
 * others like every other consumer (a purpose and a grant). Every other decision is made once per field
 * per request; so is this one for rows of one side of the caller's border.
 */
export function decideField(
  declaration: SharingDeclaration | undefined,
  caller: CallerStanding,
  place: RowPlace = 'confined',
): FieldDecision {
  if (!declaration) {
    return { outcome: 'deny', rule: 'undeclared', reason: 'the field has no declared sharing class' };
  }
  const { sharingClass, owner, personal, coordinate } = declaration;
  const ownCaller =
    owner !== null &&
    caller.reachesServedArea &&
    isOwnedBy(owner, caller.principal.authorityKind) &&
    (caller.coversServedArea === true ||
      place === 'confined' ||
      (place !== null && withinJurisdiction(caller.principal, place)));
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
