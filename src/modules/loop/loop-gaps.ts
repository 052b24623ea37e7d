import { chinaToday } from '../../domain/china-time.ts';
import type { Authority } from '../../domain/types.ts';
import type { UncoveredListener, WorkingDayCalendar } from '../../domain/working-days.ts';
import { cursorCodec } from '../../platform/cursor-codec.ts';
import { BadUserInputError } from '../../platform/errors.ts';
import { pageSize } from '../../platform/page-size.ts';
import type { LoopGapStore } from './loop-gap-store.ts';
import { LOOP_GAP_KINDS, type LoopGapKind, type LoopGapRow } from './loop-gaps-sql.ts';

export type { LoopGapKind } from './loop-gaps-sql.ts';

export interface LoopGapFilter {
  kinds?: readonly LoopGapKind[] | null;
  townshipCode?: string | null;
  authorityCode?: string | null;
  /** Breaks whose due day lies in [from, to]. */
  from?: string | null;
  to?: string | null;
  /** The day deadlines are measured against; today (China time) by default. */
  asOf?: string | null;
}

export type LoopGapRecordKind = 'PERMIT' | 'INSPECTION' | 'CLUE' | 'CASE' | 'PENALTY' | 'CREDIT_RECORD';

/** One break in the loop, with the records that show it and the authority that should act. */
export interface LoopGap {
  kind: LoopGapKind;
  /** The record the break is about (permit, inspection, clue, penalty or credit record). */
  recordId: string;
  subjectUscc: string;
  townshipCode: string | null;
  responsibleAuthorityCode: string | null;
  /** The day by which the loop should have closed at this point. */
  dueOn: string;
  evidence: Array<{ record: LoopGapRecordKind; id: string; on: string | null }>;
  /** The working days the due day was counted over (from the record's day); null for calendar-day rules. */
  countedFrom: string | null;
  /** False when the due day was counted over days outside the holiday calendar. */
  calendarCovered: boolean;
}

/**
 * Which breaks and which evidence the caller is shown, each decided by the source fields its kind
 * reveals (a CLUE_UNANSWERED break shows a clue the caller may not be allowed to read). Refused
 * breaks are left out of the page and the counts alike; refused evidence is left out of its break.
 */
export interface LoopGapPolicy {
  showGap: (kind: LoopGapKind) => boolean;
  showRecord: (record: LoopGapRecordKind) => boolean;
  /** Told when the answer needed days beyond the holiday calendar: the request's warnings. */
  onUncovered?: UncoveredListener;
}

const SHOW_ALL: LoopGapPolicy = { showGap: () => true, showRecord: () => true };

export interface LoopGapConnection {
  totalCount: number;
  countsByKind: Array<{ kind: LoopGapKind; count: number }>;
  items: LoopGap[];
  endCursor: string | null;
  hasNextPage: boolean;
  /** False when asOf or a matching break's due day lies outside the holiday calendar. */
  calendarCovered: boolean;
}

/** Keyset position in the page order: the kind and record id of the last break shown. */
const GAP_CURSOR = cursorCodec<{ kind: string; ref: string }>({
  kind: 'loop-gaps',
  version: 1,
  toParts: ({ kind, ref }) => [kind, ref],
  fromParts: ([kind, ref, ...rest]) =>
    rest.length === 0 && typeof kind === 'string' && typeof ref === 'string' ? { kind, ref } : null,
});
/** Days whose breaks are kept computed (today, and a few others analysts look back from). */
const CACHED_DAYS = 8;

interface Selection {
  kinds: ReadonlySet<LoopGapKind>;
  prefixes: readonly string[];
  authorityCode: string | null;
  subjectUscc: string | null;
  from: string | null;
  to: string | null;
}

/** A break as of every day after `cut`. */
interface DatedGap extends LoopGap {
  cut: string;
}

/**
 * Loop breaks computed from the loop index, filtered, confined to the caller's jurisdiction and
 * paged. The index changes only when a feed sync stores records, so the county's breaks are
 * computed once in SQL for every day at once (each with the day it shows after) and kept until
 * the index moves (one trivial query tells); the sync computes them as it ends, so even the first
 * request after it, for any asOf, only filters and pages them in memory.
 */
export class LoopGapsService {
  #computed: { version: string; gaps: Promise<DatedGap[]> } | undefined;
  /** The breaks as of a few days (today, and others analysts look back from), for the version computed. */
  readonly #byDay = new Map<string, { version: string; gaps: LoopGap[] }>();

  constructor(
    private readonly store: LoopGapStore,
    private readonly authorities: () => Promise<readonly Authority[]>,
    private readonly calendar: WorkingDayCalendar,
    private readonly today: () => string = () => chinaToday(),
  ) {}

  async list(
    filter: LoopGapFilter,
    first: number | null | undefined,
    after: string | null,
    scope: string | null,
    policy: LoopGapPolicy = SHOW_ALL,
  ): Promise<LoopGapConnection> {
    const size = pageSize('loopGaps', first);
    const position = after === null ? null : GAP_CURSOR.decode(after);
    const selection = this.#selection(filter, scope, null);
    const asOf = filter.asOf ?? this.today();
    const gaps = await this.#gapsAsOf(asOf);
    if (selectsWholeKinds(selection)) return this.#wholeKinds(gaps, selection, asOf, position, size, policy);
    // Only the page's breaks are copied (with the evidence shown); the counts need no copies.
    const matching = gaps.filter((gap) => policy.showGap(gap.kind) && selects(selection, gap));
    const counts = new Map<LoopGapKind, number>();
    for (const gap of matching) counts.set(gap.kind, (counts.get(gap.kind) ?? 0) + 1);
    const rest = position === null ? matching : matching.filter((gap) => compareGap(gap, position) > 0);
    const items = shown(rest.slice(0, size), policy);
    const last = items.at(-1);
    return {
      totalCount: matching.length,
      countsByKind: LOOP_GAP_KINDS.flatMap((kind) => (counts.has(kind) ? [{ kind, count: counts.get(kind)! }] : [])),
      items,
      endCursor: last ? GAP_CURSOR.encode({ kind: last.kind, ref: last.recordId }) : null,
      hasNextPage: rest.length > size,
      calendarCovered: this.#covered(asOf, matching, policy),
    };
  }

  /**
   * The same answer as the filter above when only kinds are chosen (the county-wide view), without
   * a pass over every break: the day's list is sorted by kind, so each kind is one range of it.
   */
  #wholeKinds(
    gaps: readonly LoopGap[],
    selection: Selection,
    asOf: string,
    position: { kind: string; ref: string } | null,
    size: number,
    policy: LoopGapPolicy,
  ): LoopGapConnection {
    const { ranges, countedOverUncovered } = kindRanges(gaps);
    const kinds = new Set(LOOP_GAP_KINDS.filter((kind) => selection.kinds.has(kind) && policy.showGap(kind)));
    const chosen = ranges.filter((range) => kinds.has(range.kind));
    const from = position === null ? 0 : firstAfter(gaps, position);
    const page: LoopGap[] = [];
    let rest = 0;
    for (const { start, end } of chosen) {
      const begin = Math.max(start, from);
      if (begin >= end) continue;
      rest += end - begin;
      for (let at = begin; at < end && page.length < size; at++) page.push(gaps[at]!);
    }
    const items = shown(page, policy);
    const last = items.at(-1);
    const counts = new Map(chosen.map((range) => [range.kind, range.end - range.start]));
    return {
      totalCount: chosen.reduce((sum, range) => sum + range.end - range.start, 0),
      countsByKind: LOOP_GAP_KINDS.flatMap((kind) => (counts.has(kind) ? [{ kind, count: counts.get(kind)! }] : [])),
      items,
      endCursor: last ? GAP_CURSOR.encode({ kind: last.kind, ref: last.recordId }) : null,
      hasNextPage: rest > size,
      calendarCovered: this.#covered(
        asOf,
        countedOverUncovered.filter((gap) => kinds.has(gap.kind)),
        policy,
      ),
    };
  }

  /**
   * Whether asOf and every due day of these breaks lie inside the holiday calendar. Breaks are
   * computed once per index version, so each request asks the calendar again: the request is
   * then warned (CALENDAR_NOT_COVERED) whichever request computed them.
   */
  #covered(asOf: string, gaps: readonly LoopGap[], policy: LoopGapPolicy): boolean {
    const calendar = policy.onUncovered ? this.calendar.reportingTo(policy.onUncovered) : this.calendar;
    let covered = calendar.covers(asOf);
    for (const gap of gaps)
      if (!gap.calendarCovered && gap.countedFrom !== null)
        covered = calendar.covers(gap.countedFrom, gap.dueOn) && covered;
    return covered;
  }

  /** Every break of one subject. */
  async ofSubject(
    subjectUscc: string,
    asOf: string | null,
    scope: string | null,
    policy: LoopGapPolicy = SHOW_ALL,
  ): Promise<LoopGap[]> {
    const selection = this.#selection({}, scope, subjectUscc);
    const gaps = shown(
      (await this.#gapsAsOf(asOf ?? this.today())).filter((gap) => selects(selection, gap)),
      policy,
    );
    this.#covered(asOf ?? this.today(), gaps, policy);
    return gaps;
  }

  /** Computes the breaks ahead of the first request (after a sync stored records). */
  async warm(): Promise<void> {
    await this.#gapsAsOf(this.today());
  }

  /** Every break in the index as of a day, sorted by kind then record. */
  async #gapsAsOf(asOf: string): Promise<LoopGap[]> {
    const version = await this.store.version();
    const kept = this.#byDay.get(asOf);
    if (kept && kept.version === version) return kept.gaps;
    const gaps = (await this.#allDays(version)).filter((gap) => gap.cut < asOf);
    if (this.#computed?.version === version) {
      this.#byDay.delete(asOf);
      this.#byDay.set(asOf, { version, gaps });
      if (this.#byDay.size > CACHED_DAYS) this.#byDay.delete(this.#byDay.keys().next().value!);
    }
    return gaps;
  }

  /** Every break in the index as of any day, computed once per index version. */
  #allDays(version: string): Promise<DatedGap[]> {
    if (this.#computed?.version === version) return this.#computed.gaps;
    const entry = { version, gaps: this.#compute() };
    this.#computed = entry;
    entry.gaps.catch(() => {
      if (this.#computed === entry) this.#computed = undefined;
    });
    return entry.gaps;
  }

  async #compute(): Promise<DatedGap[]> {
    const creditCentres = (await this.authorities())
      .filter((a) => a.kind === 'CREDIT_CENTRE')
      .map((a) => ({ code: a.code, jurisdictionCode: a.jurisdictionCode }));
    const rows = await this.store.all({ creditCentres });
    return rows.map((row) => toGap(row, this.calendar)).sort(compareGaps);
  }

  #selection(filter: LoopGapFilter, scope: string | null, subjectUscc: string | null): Selection {
    const from = filter.from ?? null;
    const to = filter.to ?? null;
    if (from !== null && to !== null && to < from) throw new BadUserInputError(`to (${to}) is before from (${from})`);
    const township = filter.townshipCode?.trim() || null;
    if (township !== null && !/^\d{6}(\d{3})?$/.test(township)) {
      throw new BadUserInputError(
        `townshipCode must be a 6-digit county or 9-digit township code, got ${JSON.stringify(township)}`,
      );
    }
    return {
      kinds: new Set(filter.kinds && filter.kinds.length > 0 ? filter.kinds : LOOP_GAP_KINDS),
      prefixes: [...(scope === null ? [] : [scope]), ...(township === null ? [] : [township])],
      authorityCode: filter.authorityCode?.trim() || null,
      subjectUscc,
      from,
      to,
    };
  }
}

/** The breaks the policy shows, each with the evidence it shows (copies: the computed list is shared). */
function shown(gaps: readonly LoopGap[], policy: LoopGapPolicy): LoopGap[] {
  return gaps
    .filter((gap) => policy.showGap(gap.kind))
    .map((gap) => ({ ...gap, evidence: gap.evidence.filter((e) => policy.showRecord(e.record)) }));
}

/** Whether a selection chooses breaks by kind only, keeping whole kinds (what a county-wide view asks). */
function selectsWholeKinds(s: Selection): boolean {
  return (
    s.prefixes.length === 0 && s.authorityCode === null && s.subjectUscc === null && s.from === null && s.to === null
  );
}

/** Where each kind's breaks lie in a day's sorted list, and the breaks whose calendar coverage #covered must ask about. */
interface KindRanges {
  ranges: Array<{ kind: LoopGapKind; start: number; end: number }>;
  countedOverUncovered: LoopGap[];
}

/** Worked out once per day's list: the lists are kept per index version and day (see #gapsAsOf). */
const kindRangesOfList = new WeakMap<readonly LoopGap[], KindRanges>();

function kindRanges(gaps: readonly LoopGap[]): KindRanges {
  let found = kindRangesOfList.get(gaps);
  if (found) return found;
  found = { ranges: [], countedOverUncovered: [] };
  for (let at = 0; at < gaps.length; at++) {
    const gap = gaps[at]!;
    const current = found.ranges.at(-1);
    if (current?.kind === gap.kind) current.end = at + 1;
    else found.ranges.push({ kind: gap.kind, start: at, end: at + 1 });
    if (!gap.calendarCovered && gap.countedFrom !== null) found.countedOverUncovered.push(gap);
  }
  kindRangesOfList.set(gaps, found);
  return found;
}

/** The index of the first break after a cursor's position in a sorted list (its length when none is). */
function firstAfter(gaps: readonly LoopGap[], position: { kind: string; ref: string }): number {
  let low = 0;
  let high = gaps.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareGap(gaps[mid]!, position) > 0) high = mid;
    else low = mid + 1;
  }
  return low;
}

function selects(s: Selection, gap: LoopGap): boolean {
  return (
    s.kinds.has(gap.kind) &&
    s.prefixes.every((prefix) => gap.townshipCode?.startsWith(prefix) ?? false) &&
    (s.authorityCode === null || gap.responsibleAuthorityCode === s.authorityCode) &&
    (s.subjectUscc === null || gap.subjectUscc === s.subjectUscc) &&
    (s.from === null || gap.dueOn >= s.from) &&
    (s.to === null || gap.dueOn <= s.to)
  );
}

/** Code-unit order of kind then record id: the page order, and what cursors compare by. */
function compareGap(gap: LoopGap, position: { kind: string; ref: string }): number {
  if (gap.kind !== position.kind) return gap.kind < position.kind ? -1 : 1;
  return gap.recordId === position.ref ? 0 : gap.recordId < position.ref ? -1 : 1;
}

function compareGaps(a: LoopGap, b: LoopGap): number {
  return compareGap(a, { kind: b.kind, ref: b.recordId });
}

/** The breaks whose due day is a count of working days from the first evidence's day. */
const WORKING_DAY_RULES: ReadonlySet<LoopGapKind> = new Set(['CLUE_UNANSWERED', 'PENALTY_NOT_PUBLISHED']);

function toGap(row: LoopGapRow, calendar: WorkingDayCalendar): DatedGap {
  const countedFrom = WORKING_DAY_RULES.has(row.kind) ? (row.evidence[0]?.on ?? null) : null;
  return {
    cut: row.cut,
    countedFrom,
    // Asked without telling the calendar's listeners: most rows are not in the answer of the
    // request that happens to compute them. Each request asks again for its own (see #covered).
    calendarCovered: countedFrom === null || coveredQuietly(calendar, countedFrom, row.dueOn),
    kind: row.kind,
    recordId: row.ref,
    subjectUscc: row.subject,
    townshipCode: row.township,
    responsibleAuthorityCode: row.authority,
    dueOn: row.dueOn,
    evidence: row.evidence.map((e) => ({ record: e.record as LoopGapRecordKind, id: e.id, on: e.on })),
  };
}

/** calendar.covers without telling its listeners: whether every year from `from` to `to` is covered. */
function coveredQuietly(calendar: WorkingDayCalendar, from: string, to: string): boolean {
  const [low, high] =
    from <= to
      ? [Number(from.slice(0, 4)), Number(to.slice(0, 4))]
      : [Number(to.slice(0, 4)), Number(from.slice(0, 4))];
  for (let year = low; year <= high; year++) if (!calendar.coveredYears.includes(year)) return false;
  return true;
}
