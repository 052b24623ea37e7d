import type { Loaders } from '../subjects/index.ts';
import type { Permit } from '../../domain/types.ts';
import type { SubjectFacts } from './evaluate-rules.ts';
import { gapsIn } from './fact-gaps.ts';

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
  const read = {
    uscc,
    penalties,
    affectedPermits: new Map(permits.filter((p): p is Permit => p !== null).map((p) => [p.permitNo, p])),
    cases,
    powerItemDomains: new Map([...reference.powerItems.values()].map((item) => [item.code, item.domain])),
    credit,
    creditRecords,
  };
  return { ...read, unreadable: gapsIn(read) };
}

/** Where the records the rules look at lie, for a caller whose jurisdiction does not cover the served area. */
export interface FactPlaces {
  /** The township a case arose in, wherever it lies; null when unknown. */
  caseTownship(caseNo: string): Promise<string | null>;
  /** The township a subject is registered in; null when unknown. */
  subjectTownship(uscc: string): Promise<string | null>;
}

/** Places read through the request's loaders (cases wherever they lie, never answered to the caller). */
export function placesThroughLoaders(loaders: Loaders): FactPlaces {
  return {
    caseTownship: async (caseNo) => (await loaders.caseAnywhereByNo.load(caseNo))?.townshipCode ?? null,
    subjectTownship: async (uscc) => (await loaders.subjectByUscc.load(uscc))?.townshipCode ?? null,
  };
}

/**
 * The facts within a jurisdiction: the cases that arose there, the penalties whose cases arose
 * there, the credit records of a subject registered there. Cases read through the
 * jurisdiction-filtered loaders lie there already; those an event's producer reads are the county's.
 */
export async function factsWithin(
  facts: SubjectFacts,
  places: FactPlaces,
  within: (townshipCode: string) => boolean,
): Promise<SubjectFacts> {
  const [caseTownships, subjectTownship] = await Promise.all([
    Promise.all(facts.penalties.map((p) => places.caseTownship(p.caseNo))),
    places.subjectTownship(facts.uscc),
  ]);
  const inside = (township: string | null | undefined) => township != null && within(township);
  return {
    ...facts,
    cases: facts.cases.filter((c) => inside(c.townshipCode)),
    penalties: facts.penalties.filter((_, i) => inside(caseTownships[i])),
    creditRecords: inside(subjectTownship) ? facts.creditRecords : [],
  };
}
