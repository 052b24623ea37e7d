/**
 * The floor's answers to the benchmark's queries: the upstream calls a gateway should make
 * (one batch per resource per depth level, independent branches in parallel, each branch
 * starting as soon as the level above it has answered, as GraphQL execution does), and the
 * same JSON the gateway returns. Subjects come from a list held in memory, loaded once at start,
 * where the gateway reads its registry in the store: that read is part of the gateway's cost.
 */
import type { Subject } from '../../src/domain/types.ts';
import { usccProblems } from '../../src/identifiers/uscc.ts';
import type { FloorUpstreams } from './floor-upstreams.ts';

export interface RegisteredSubject {
  uscc: string;
  name: string;
  legacyRegNo: string | null;
  townshipCode: string;
}

function groupBy<T>(
  keys: readonly string[],
  records: readonly T[],
  keyOf: (record: T) => string | null,
): Map<string, T[]> {
  const grouped = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const record of records) {
    const key = keyOf(record);
    if (key !== null) grouped.get(key)?.push(record);
  }
  return grouped;
}

const unique = (values: ReadonlyArray<string | null>): string[] => [
  ...new Set(values.filter((v): v is string => v !== null)),
];

export function floorAnswers(upstream: FloorUpstreams, subjects: readonly RegisteredSubject[]) {
  const byUscc = new Map(subjects.map((s) => [s.uscc, s]));
  const byTownship = (code: string) => subjects.filter((s) => s.townshipCode === code);

  /** permits → inspections → clues → case → penalties → credit records, one batch per level. */
  async function permitBranch(usccs: string[]) {
    const permits = groupBy(usccs, await upstream.permitsByHolder(usccs), (p) => p.holderUscc);
    const permitNos = unique([...permits.values()].flat().map((p) => p.permitNo));
    const inspections = groupBy(permitNos, await upstream.inspectionsByPermit(permitNos), (i) => i.permitNo);
    const inspectionIds = unique([...inspections.values()].flat().map((i) => i.id));
    const clues = groupBy(inspectionIds, await upstream.cluesByInspection(inspectionIds), (c) => c.inspectionId);
    const caseNos = unique([...clues.values()].flat().map((c) => c.caseNo));
    const cases = new Map((await upstream.casesByNo(caseNos)).map((c) => [c.caseNo, c]));
    const penalties = groupBy([...cases.keys()], await upstream.penaltiesByCase([...cases.keys()]), (p) => p.caseNo);
    const decisionNos = unique([...penalties.values()].flat().map((p) => p.decisionNo));
    const records = groupBy(decisionNos, await upstream.creditRecordsByDecision(decisionNos), (r) => r.decisionNo);
    return (uscc: string) =>
      permits.get(uscc)!.map((permit) => ({
        permitNo: permit.permitNo,
        status: permit.status,
        inspections: (inspections.get(permit.permitNo) ?? []).map((inspection) => ({
          id: inspection.id,
          clues: (clues.get(inspection.id) ?? []).map((clue) => {
            const found = clue.caseNo ? cases.get(clue.caseNo) : undefined;
            return {
              id: clue.id,
              case: found
                ? {
                    caseNo: found.caseNo,
                    penalties: (penalties.get(found.caseNo) ?? []).map((penalty) => ({
                      decisionNo: penalty.decisionNo,
                      creditRecords: (records.get(penalty.decisionNo) ?? []).map((record) => ({ id: record.id })),
                    })),
                  }
                : null,
            };
          }),
        })),
      }));
  }

  /** credit profile → its records. */
  async function creditBranch(usccs: string[]) {
    const profiles = new Map((await upstream.creditProfiles(usccs)).map((p) => [p.uscc, p]));
    const records = groupBy(
      [...profiles.keys()],
      await upstream.creditRecordsBySubject([...profiles.keys()]),
      (r) => r.subjectUscc,
    );
    return (uscc: string) => {
      const profile = profiles.get(uscc);
      return profile
        ? { grade: profile.grade, records: records.get(uscc)!.map((record) => ({ id: record.id })) }
        : null;
    };
  }

  return {
    CheckUscc: async (variables: { code: string }) => ({
      checkUscc: { valid: usccProblems(variables.code).length === 0 },
    }),

    Trivial: async (variables: { uscc: string }) => {
      const subject = byUscc.get(variables.uscc);
      return { subject: subject ? { uscc: subject.uscc, name: subject.name } : null };
    },

    Lifecycle: async (variables: { township: string }) => {
      const page = byTownship(variables.township).slice(0, 20);
      const usccs = page.map((s) => s.uscc);
      const [permitsOf, creditOf] = await Promise.all([permitBranch(usccs), creditBranch(usccs)]);
      return {
        subjects: {
          nodes: page.map((s) => ({
            uscc: s.uscc,
            name: s.name,
            permits: permitsOf(s.uscc),
            credit: creditOf(s.uscc),
          })),
        },
      };
    },

    LargeList: async () => {
      const page = subjects.slice(0, 100);
      const usccs = page.map((s) => s.uscc);
      const [enterprises, permits] = await Promise.all([
        upstream.enterprisesByUscc(usccs),
        upstream.permitsByHolder(usccs),
      ]);
      const enterprise = new Map<string, Subject>(enterprises.map((e) => [e.uscc, e]));
      const permitsOf = groupBy(usccs, permits, (p) => p.holderUscc);
      return {
        subjects: {
          nodes: page.map((s) => {
            const e = enterprise.get(s.uscc);
            return {
              uscc: s.uscc,
              name: s.name,
              kind: e?.kind ?? null,
              industryCode: e?.industryCode ?? null,
              establishedOn: e?.establishedOn ?? null,
              address: e?.address ?? null,
              legacyRegNo: s.legacyRegNo,
              permits: permitsOf.get(s.uscc)!.map((p) => ({
                permitNo: p.permitNo,
                status: p.status,
                itemName: p.itemName,
                validFrom: p.validFrom,
                validUntil: p.validUntil,
              })),
            };
          }),
        },
      };
    },

    PermitsOnly: async (variables: { township: string }) => {
      const page = byTownship(variables.township).slice(0, 20);
      const usccs = page.map((s) => s.uscc);
      const permits = groupBy(usccs, await upstream.permitsByHolder(usccs), (p) => p.holderUscc);
      const permitNos = unique([...permits.values()].flat().map((p) => p.permitNo));
      const inspections = groupBy(permitNos, await upstream.inspectionsByPermit(permitNos), (i) => i.permitNo);
      return {
        subjects: {
          nodes: page.map((s) => ({
            uscc: s.uscc,
            permits: permits.get(s.uscc)!.map((p) => ({
              permitNo: p.permitNo,
              inspections: inspections.get(p.permitNo)!.map((i) => ({ id: i.id })),
            })),
          })),
        },
      };
    },

    CreditOnly: async (variables: { township: string }) => {
      const page = byTownship(variables.township).slice(0, 20);
      const profiles = new Map((await upstream.creditProfiles(page.map((s) => s.uscc))).map((p) => [p.uscc, p]));
      return {
        subjects: {
          nodes: page.map((s) => {
            const profile = profiles.get(s.uscc);
            return { uscc: s.uscc, credit: profile ? { grade: profile.grade } : null };
          }),
        },
      };
    },
  };
}

export type FloorOperation = keyof ReturnType<typeof floorAnswers>;
