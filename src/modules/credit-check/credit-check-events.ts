import type { Connectors } from '../../connectors/index.ts';
import { chinaToday } from '../../domain/china-time.ts';
import type { Authority, CreditRecord, LocalDate, Penalty, Permit } from '../../domain/types.ts';
import { withinJurisdiction, type RowPlace, type ServedArea, type ServedAreaSource } from '../access/index.ts';
import { knownServedArea, receiverMayRead, type LoopEvent } from '../events/index.ts';
import type { LoopIndexStore } from '../loop/index.ts';
import { ROW_PLACES } from '../subjects/index.ts';
import type { CreditCheckRule } from './credit-check-rules.ts';
import type { CreditCheckService } from './credit-check-service.ts';
import { evaluateRules, type JurisdictionScope, type SubjectFacts } from './evaluate-rules.ts';
import { factsWithin, type FactPlaces } from './subject-facts.ts';

export interface CreditCheckEventsDependencies {
  service: CreditCheckService;
  connectors: Pick<Connectors, 'approval' | 'enforcement' | 'credit'>;
  /** Where the gateway serves, as requests ask it: an office's owner standing is judged against it. */
  servedArea: ServedAreaSource;
  today?: () => LocalDate;
  /**
   * Whether an authority, receiving the event, may read a field (no purpose, no grant) on a row of
   * a place (within its jurisdiction unless said), given the area the gateway serves: the events
   * module's rule by default.
   */
  mayRead?: (authority: Authority, servedArea: ServedArea) => ReceiverMayRead;
}

/** Whether a receiver may read a field on a row of a place: within its jurisdiction (`confined`) unless said. */
export type ReceiverMayRead = (coordinate: string, place?: RowPlace) => boolean;

/** Permits a subject still holds: their issuing offices are the ones to tell. */
const HELD = new Set(['VALID', 'SUSPENDED']);

/**
 * CREDIT_CHECK_CHANGED (精准推送 back to approval): when a page of penalties or credit records
 * flips a subject's credit-check verdict for an item it holds a permit for, the offices that
 * issued its permits are told. "Before" is the subject's records as the index held them before
 * the page (new records left out, changed ones with their former execution or publicity status);
 * "after" is what the agencies hold now. The payload names the items only, never the verdict or
 * its reasons: the office asks `creditCheck` under its own sharing rights. A flip is judged for
 * each office by the rules it may evaluate there (those whose revealed fields it may read): a
 * verdict that flips only by a rule it may not evaluate (a fine paid, which Penalty.executionStatus
 * tells) is no news to it, since the event would tell what the check withholds. An office whose
 * jurisdiction does not cover the served area (a township's) judges as its `creditCheck` does:
 * rules reading cases, or fields it reads only there, over the records within its jurisdiction,
 * so neither an event nor its absence tells it of records beyond.
 *
 * The agencies are read inside the page's transaction, so a failure leaves the page unstored and
 * the feed retries it at the next sync: an event is never lost, at the cost of the feed waiting.
 */
export function creditCheckEvents(deps: CreditCheckEventsDependencies) {
  const today = deps.today ?? (() => chinaToday());
  const mayReadIn = deps.mayRead ?? ((authority: Authority, area: ServedArea) => receiverMayRead(authority, area));

  /** Where a subject's records lie, each asked once per flip: only an office judging within its jurisdiction asks. */
  function placesOf(facts: SubjectFacts): FactPlaces {
    const { approval, enforcement } = deps.connectors;
    const known = new Map(facts.cases.map((c) => [c.caseNo, Promise.resolve<string | null>(c.townshipCode)]));
    let subjectTownship: Promise<string | null> | undefined;
    return {
      caseTownship: (caseNo) => {
        let township = known.get(caseNo);
        if (!township) {
          township = enforcement.casesByNo([caseNo]).then((cases) => cases[0]?.townshipCode ?? null);
          known.set(caseNo, township);
        }
        return township;
      },
      subjectTownship: (uscc) =>
        (subjectTownship ??= approval.subjectsByUscc([uscc]).then((subjects) => subjects[0]?.townshipCode ?? null)),
    };
  }

  /** The verdict as the group's offices would be given it by `creditCheck`. */
  async function verdictFor(
    group: ReceiverGroup,
    facts: SubjectFacts,
    places: FactPlaces,
    item: string,
    asOf: LocalDate,
  ): Promise<string> {
    const rules = deps.service.rules;
    if (group.jurisdictionCode === null)
      return evaluateRules(rules, facts, item, asOf, (field) => group.mayRead(field)).verdict;
    const jurisdiction = { jurisdictionCode: group.jurisdictionCode };
    const scope: JurisdictionScope = {
      jurisdictionCode: group.jurisdictionCode,
      within: await factsWithin(facts, places, (township) => withinJurisdiction(jurisdiction, township)),
      mayReadWithin: (field) => group.mayRead(field, 'confined'),
      confined: (field) => ROW_PLACES.confined.includes(field.split('.')[0]!),
    };
    // Read on records wherever they lie: its owner standing does not reach beyond its jurisdiction.
    // Cases only within it, whatever a rule declares: its creditCheck's loaders never see the others.
    const confinedFacts = { ...facts, cases: scope.within.cases };
    return evaluateRules(rules, confinedFacts, item, asOf, (field) => group.mayRead(field, null), scope).verdict;
  }

  async function subjectFacts(usccs: readonly string[]) {
    const { approval, enforcement, credit } = deps.connectors;
    const [penalties, cases, profiles, records, permits, powerItems] = await Promise.all([
      enforcement.penaltiesBySubject(usccs),
      enforcement.casesBySubject(usccs),
      credit.profilesByUscc(usccs),
      credit.recordsBySubject(usccs),
      approval.permitsByHolder(usccs),
      enforcement.powerItems(),
    ]);
    const affectedNos = [...new Set(penalties.flatMap((p) => (p.affectedPermitNo ? [p.affectedPermitNo] : [])))];
    const affected = affectedNos.length === 0 ? [] : await approval.permitsByNo(affectedNos);
    const powerItemDomains = new Map(powerItems.map((item) => [item.code, item.domain]));
    return new Map(
      usccs.map((uscc) => [
        uscc,
        {
          facts: {
            uscc,
            penalties: penalties.filter((p) => p.subjectUscc === uscc),
            affectedPermits: new Map(affected.map((p) => [p.permitNo, p])),
            cases: cases.filter((c) => c.subjectUscc === uscc),
            powerItemDomains,
            credit: profiles.find((p) => p.uscc === uscc) ?? null,
            creditRecords: records.filter((r) => r.subjectUscc === uscc),
          } satisfies SubjectFacts,
          permits: permits.filter((p) => p.holderUscc === uscc && HELD.has(p.status)),
        },
      ]),
    );
  }

  async function flips(
    usccs: readonly string[],
    before: (facts: SubjectFacts) => SubjectFacts,
    cause: { kind: string; ids: string[]; versions: ReadonlyMap<string, string> },
  ): Promise<LoopEvent[]> {
    const rules = deps.service.rules;
    const known = new Set(rules.permitItems.map((item) => item.code));
    const asOf = today();
    const authorities = new Map((await deps.connectors.enforcement.authorities()).map((a) => [a.code, a]));
    const servedArea = await knownServedArea(deps.servedArea);
    const mayReadOf = (authority: Authority) => mayReadIn(authority, servedArea);
    const events: LoopEvent[] = [];
    for (const [uscc, { facts, permits }] of await subjectFacts(usccs)) {
      const items = [...new Set(permits.map((p: Permit) => p.itemCode).filter((code) => known.has(code)))].sort();
      const prior = before(facts);
      const ids = cause.ids.filter(
        (id) => facts.penalties.some((p) => p.decisionNo === id) || facts.creditRecords.some((r) => r.id === id),
      );
      // The records' update times make each flip its own event: a flip back is news too.
      const versions = ids.map((id) => `${id}@${cause.versions.get(id) ?? ''}`);
      const receivers = receiverGroups(
        [...new Set(permits.map((p) => p.issuerCode))].sort(),
        authorities,
        rules.rules,
        mayReadOf,
        (authority) => (servedArea.covers(authority.jurisdictionCode) ? null : authority.jurisdictionCode),
      );
      const places = placesOf(facts);
      for (const group of receivers) {
        const changed: string[] = [];
        for (const item of items) {
          const [was, is] = await Promise.all([
            verdictFor(group, prior, places, item, asOf),
            verdictFor(group, facts, places, item, asOf),
          ]);
          if (was !== is) changed.push(item);
        }
        if (changed.length === 0) continue;
        // Offices judging by other rules get events of their own.
        const who = receivers.length > 1 ? `:${group.codes.join(',')}` : '';
        events.push({
          kind: 'CREDIT_CHECK_CHANGED',
          subjectUscc: uscc,
          concerns: group.codes,
          occurredAt: new Date(),
          dedupeKey: `CREDIT_CHECK_CHANGED:${uscc}:${cause.kind}:${versions.join(',')}:${changed.join(',')}${who}`,
          payload: { uscc, items: changed, cause: { kind: cause.kind, ids }, rulesVersion: rules.version },
        });
      }
    }
    return events;
  }

  return {
    /** After a page of the penalties feed, before it is stored. */
    async ofPenalties(index: LoopIndexStore, penalties: readonly Penalty[]): Promise<LoopEvent[]> {
      if (penalties.length === 0) return [];
      const rows = await index.client.$queryRaw<
        Array<{ decisionNo: string; executionStatus: Penalty['executionStatus'] }>
      >`
        SELECT decision_no AS "decisionNo", execution_status AS "executionStatus" FROM loop_penalty
        WHERE decision_no = ANY(${penalties.map((p) => p.decisionNo)}::text[])`;
      const previous = new Map(rows.map((row) => [row.decisionNo, row.executionStatus]));
      const inPage = new Set(penalties.map((p) => p.decisionNo));
      return flips(
        [...new Set(penalties.map((p) => p.subjectUscc))],
        (facts) => ({
          ...facts,
          penalties: facts.penalties.flatMap((p) => {
            if (!inPage.has(p.decisionNo)) return [p];
            const status = previous.get(p.decisionNo);
            return status === undefined ? [] : [{ ...p, executionStatus: status }];
          }),
        }),
        {
          kind: 'PENALTY_DECIDED',
          ids: [...inPage].sort(),
          versions: new Map(penalties.map((p) => [p.decisionNo, p.updatedAt])),
        },
      );
    },

    /** After a page of the credit-records feed (publicity, commitments, dishonesty listings), before it is stored. */
    async ofCreditRecords(index: LoopIndexStore, records: readonly CreditRecord[]): Promise<LoopEvent[]> {
      if (records.length === 0) return [];
      const rows = await index.client.$queryRaw<Array<{ id: string; status: CreditRecord['status'] }>>`
        SELECT id, status FROM loop_credit_record WHERE id = ANY(${records.map((r) => r.id)}::text[])`;
      const previous = new Map(rows.map((row) => [row.id, row.status]));
      const inPage = new Set(records.map((r) => r.id));
      return flips(
        [...new Set(records.map((r) => r.subjectUscc))],
        (facts) => ({
          ...facts,
          creditRecords: facts.creditRecords.flatMap((r) => {
            if (!inPage.has(r.id)) return [r];
            const status = previous.get(r.id);
            return status === undefined ? [] : [{ ...r, status }];
          }),
        }),
        {
          kind: 'CREDIT_RECORD_CHANGED',
          ids: [...inPage].sort(),
          versions: new Map(records.map((r) => [r.id, r.updatedAt])),
        },
      );
    },
  };
}

export type CreditCheckEvents = ReturnType<typeof creditCheckEvents>;

/** Offices judging a flip alike: by the same rules, over the same records. */
export interface ReceiverGroup {
  codes: string[];
  mayRead: ReceiverMayRead;
  /** The jurisdiction its offices judge within, not covering the served area; null: the whole of it. */
  jurisdictionCode: string | null;
}

/**
 * The offices to tell, grouped by the rules each may evaluate, on rows within its jurisdiction and
 * beyond, and by the jurisdiction it judges within (`scopeOf`; null for one covering the served
 * area): offices the reference data does not know are told nothing (as the publisher would drop them).
 */
export function receiverGroups(
  codes: readonly string[],
  authorities: ReadonlyMap<string, Authority>,
  rules: readonly CreditCheckRule[],
  mayReadOf: (authority: Authority) => ReceiverMayRead,
  scopeOf: (authority: Authority) => string | null = () => null,
): ReceiverGroup[] {
  const groups = new Map<string, ReceiverGroup>();
  for (const code of codes) {
    const authority = authorities.get(code);
    if (!authority) continue;
    const mayRead = mayReadOf(authority);
    const jurisdictionCode = scopeOf(authority);
    const evaluable = (place: RowPlace) =>
      rules.filter((rule) => rule.reveals.every((field) => mayRead(field, place))).map((rule) => rule.id);
    const key = [jurisdictionCode ?? '', evaluable('confined').join(','), evaluable(null).join(',')].join('|');
    const group = groups.get(key);
    if (group) group.codes.push(code);
    else groups.set(key, { codes: [code], mayRead, jurisdictionCode });
  }
  return [...groups.values()];
}
