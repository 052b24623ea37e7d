import type { Loaders } from '../subjects/index.ts';
import type { Permit } from '../../domain/types.ts';
import type { SubjectFacts } from './evaluate-rules.ts';

/**
 * Reads what the rules look at through the request's loaders, so a batch of 200 subjects costs
 * one upstream request per resource (and the access log learns every subject read).
 */
export async function factsThroughLoaders(loaders: Loaders, uscc: string): Promise<SubjectFacts> {
  const [penalties, cases, credit, creditRecords, reference] = await Promise.all([
    loaders.penaltiesBySubject.load(uscc),
    loaders.casesBySubject.load(uscc),
    loaders.creditProfileByUscc.load(uscc),
    loaders.creditRecordsBySubject.load(uscc),
    loaders.reference(),
  ]);
  const permitNos = [...new Set(penalties.flatMap((p) => (p.affectedPermitNo === null ? [] : [p.affectedPermitNo])))];
  const permits = await Promise.all(permitNos.map((no) => loaders.permitByNo.load(no)));
  return {
    uscc,
    penalties,
    affectedPermits: new Map(permits.filter((p): p is Permit => p !== null).map((p) => [p.permitNo, p])),
    cases,
    powerItemDomains: new Map([...reference.powerItems.values()].map((item) => [item.code, item.domain])),
    credit,
    creditRecords,
  };
}
