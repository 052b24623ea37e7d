import { OPEN_CASE, type SubjectFacts } from './evaluate-rules.ts';

/**
 * What the facts read lack although every agency answered: a record another names that its own
 * agency does not hold. Each gap is named by the resource that should have held it, as a dropped
 * record's is, so the rules reading that resource do not clear the subject over it.
 */
export function gapsIn(facts: Omit<SubjectFacts, 'unreadable'>): Set<string> {
  const gaps = new Set<string>();
  // A revocation names the item it bars through its permit: one naming none, or a permit the
  // approval system does not answer, bars an item nobody can tell.
  for (const penalty of facts.penalties) {
    if (!penalty.kinds.includes('PERMIT_REVOCATION')) continue;
    if (penalty.affectedPermitNo === null) gaps.add('enforcement.penalty');
    else if (!facts.affectedPermits.has(penalty.affectedPermitNo)) gaps.add('approval.permit');
  }
  // An open case on a power item the power list lacks is in a domain nobody can tell.
  if (facts.cases.some((c) => OPEN_CASE.has(c.status) && !facts.powerItemDomains.has(c.powerItemCode)))
    gaps.add('enforcement.item');
  // The credit platform holds a profile of every registered subject: none is no proof of a clean one.
  if (facts.credit === null) gaps.add('credit.subject');
  return gaps;
}
