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

/**
 * The facts within a jurisdiction: the penalties whose cases arose there, the credit records of
 * a subject registered there. Cases are read through the jurisdiction-filtered loaders already.
 */
export async function factsWithin(
  loaders: Loaders,
  facts: SubjectFacts,
  within: (townshipCode: string) => boolean,
): Promise<SubjectFacts> {
  const [caseTownships, subject] = await Promise.all([
    Promise.all(facts.penalties.map(async (p) => (await loaders.caseAnywhereByNo.load(p.caseNo))?.townshipCode)),
    loaders.subjectByUscc.load(facts.uscc),
  ]);
  const inside = (township: string | null | undefined) => township != null && within(township);
  return {
    ...facts,
    penalties: facts.penalties.filter((_, i) => inside(caseTownships[i])),
    creditRecords: inside(subject?.townshipCode) ? facts.creditRecords : [],
  };
}
