import { compareInstants, startOfChinaDay } from '../../domain/china-time.ts';
import type { AgencySystem, Case, Clue, CreditRecord, Inspection, Penalty, Permit } from '../../domain/types.ts';
import { UpstreamError } from '../../platform/errors.ts';
import type { Loaders } from './create-loaders.ts';
import type { SubjectParent, TimelineEventParent, TimelineParent, UnavailableSystemParent } from './mappers.ts';
import { subjectInspections } from './subject-inspections.ts';

type EventsFrom = () => Promise<TimelineEventParent[]>;

/**
 * Which events the caller is shown (`show` records what it shows; `wouldShow`, by kind, records
 * nothing). An event may be decided by its record's place (a township team's owner standing).
 */
export interface TimelinePolicy {
  show: (event: TimelineEventParent) => boolean | Promise<boolean>;
  wouldShow: (kind: TimelineEventParent['kind']) => boolean;
}

/**
 * One chronological list of a subject's lifecycle across the four systems. An unreachable
 * system leaves its events out and is named in `unavailableSystems`, so an analyst still sees
 * everything the others hold.
 */
export async function buildTimeline(
  subject: SubjectParent,
  loaders: Loaders,
  policy: TimelinePolicy = { show: () => true, wouldShow: () => true },
): Promise<TimelineParent> {
  const sources: Record<AgencySystem, EventsFrom> = {
    approval: async () => (await loaders.permitsByHolder.load(subject.uscc)).map(permitEvent),
    supervision: async () => (await subjectInspections(subject, loaders)).map(inspectionEvent),
    enforcement: async () => {
      // Clues the caller could never be shown are not even fetched.
      const [clues, cases, penalties] = await Promise.all([
        policy.wouldShow('CLUE_RECEIVED') ? loaders.cluesBySubject.load(subject.uscc) : [],
        loaders.casesBySubject.load(subject.uscc),
        loaders.penaltiesBySubject.load(subject.uscc),
      ]);
      return [...clues.map(clueEvent), ...cases.flatMap(caseEvents), ...penalties.flatMap(penaltyEvents)];
    },
    credit: async () => (await loaders.creditRecordsBySubject.load(subject.uscc)).map(creditEvent),
  };
  const systems = Object.keys(sources) as AgencySystem[];
  const settled = await Promise.allSettled(systems.map((system) => sources[system]()));

  const found: TimelineEventParent[] = [];
  const unavailableSystems: UnavailableSystemParent[] = [];
  settled.forEach((result, i) => {
    if (result.status === 'fulfilled') found.push(...result.value);
    else if (result.reason instanceof UpstreamError) {
      unavailableSystems.push({
        system: systems[i]!,
        source: null,
        code: result.reason.code,
        message: result.reason.message,
      });
    } else throw result.reason;
  });
  const shown = await decideEach(found, policy, unavailableSystems);
  // A system some of whose sources failed still gave its other sources' events: named all the same, with the source.
  for (const system of systems) {
    if (unavailableSystems.some((entry) => entry.system === system)) continue;
    for (const failed of loaders.unavailableSources(system)) {
      unavailableSystems.push({ system, source: failed.source, code: failed.reason, message: failed.message });
    }
  }
  const events = found.filter((_, i) => shown[i]);
  events.sort(
    (a, b) => compareInstants(a.at, b.at) || (a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0),
  );
  return { events, unavailableSystems };
}

/**
 * Whether each event is shown: only if the caller may read every source field its kind reveals
 * (on its record). An event whose place could not be found, its system failing when asked (a
 * township team's penalty, whose case is looked up), is hidden as if beyond the caller, and that
 * system named unavailable as when its events could not be fetched: the rest is still shown.
 */
async function decideEach(
  found: readonly TimelineEventParent[],
  policy: TimelinePolicy,
  unavailableSystems: UnavailableSystemParent[],
): Promise<boolean[]> {
  const decisions = found.map((event) => policy.show(event));
  if (!decisions.some((decision) => decision instanceof Promise)) return decisions as boolean[];
  const settled = await Promise.allSettled(decisions);
  return settled.map((result) => {
    if (result.status === 'fulfilled') return result.value;
    const failure: unknown = result.reason;
    if (!(failure instanceof UpstreamError)) throw failure;
    if (!unavailableSystems.some((entry) => entry.system === failure.system && entry.source === null)) {
      unavailableSystems.push({ system: failure.system, source: null, code: failure.code, message: failure.message });
    }
    return false;
  });
}

function permitEvent(permit: Permit): TimelineEventParent {
  const mode = permit.commitmentBased ? ' on a written commitment (告知承诺制)' : '';
  return event(
    permit.decidedAt,
    'APPROVAL',
    'PERMIT_GRANTED',
    `${permit.itemName} ${permit.permitNo} granted${mode}`,
    permit.permitNo,
    permit,
  );
}

function inspectionEvent(inspection: Inspection): TimelineEventParent {
  const summary = `${words(inspection.kind)} inspection: ${words(inspection.outcome)}`;
  return event(startOfChinaDay(inspection.inspectedOn), 'SUPERVISION', 'INSPECTED', summary, inspection.id, inspection);
}

function clueEvent(clue: Clue): TimelineEventParent {
  return event(
    clue.receivedAt,
    'ENFORCEMENT',
    'CLUE_RECEIVED',
    `clue ${clue.id} received by ${clue.receiverCode}`,
    clue.id,
    clue,
  );
}

function caseEvents(c: Case): TimelineEventParent[] {
  const filed = event(
    c.filedAt,
    'ENFORCEMENT',
    'CASE_FILED',
    `case ${c.caseNo} filed (${words(c.procedure)} procedure)`,
    c.caseNo,
    c,
  );
  return c.closedAt
    ? [filed, event(c.closedAt, 'ENFORCEMENT', 'CASE_CLOSED', `case ${c.caseNo} closed`, c.caseNo, c)]
    : [filed];
}

function penaltyEvents(p: Penalty): TimelineEventParent[] {
  const kinds = p.kinds.map(words).join(', ');
  const decided = event(
    p.decidedAt,
    'ENFORCEMENT',
    'PENALTY_DECIDED',
    `penalty ${p.decisionNo} decided: ${kinds}`,
    p.decisionNo,
    p,
  );
  if (!p.executedAt) return [decided];
  return [
    decided,
    event(p.executedAt, 'ENFORCEMENT', 'PENALTY_EXECUTED', `penalty ${p.decisionNo} executed`, p.decisionNo, p),
  ];
}

function creditEvent(record: CreditRecord): TimelineEventParent {
  const summary = `${words(record.kind)} published by ${record.authorityName}`;
  return event(startOfChinaDay(record.publishedOn), 'CREDIT', 'CREDIT_PUBLISHED', summary, record.id, record);
}

function event(
  at: string,
  stage: TimelineEventParent['stage'],
  kind: TimelineEventParent['kind'],
  summary: string,
  recordId: string,
  record: TimelineEventParent['record'],
): TimelineEventParent {
  return { at, stage, kind, summary, recordId, record };
}

/** An enum value as words for a summary line: `VIOLATION_FOUND` → `violation found`. */
function words(value: string): string {
  return value.toLowerCase().replaceAll('_', ' ');
}
