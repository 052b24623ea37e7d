import type { AgencySystem, AuthorityKind } from '../../domain/types.ts';

/**
 * Which kinds of authority run each agency system, and so count as its "own callers" for data
 * that is not shared (不予共享) or shared on conditions they set.
 */
const OWNERS: Readonly<Record<AgencySystem, readonly AuthorityKind[]>> = {
  approval: ['APPROVAL_BUREAU'],
  supervision: ['INDUSTRY_DEPARTMENT'],
  enforcement: ['TOWNSHIP_ENFORCEMENT_TEAM', 'COUNTY_ENFORCEMENT_BUREAU'],
  credit: ['CREDIT_CENTRE'],
};

export function isOwnedBy(system: AgencySystem, authorityKind: AuthorityKind): boolean {
  return OWNERS[system].includes(authorityKind);
}
