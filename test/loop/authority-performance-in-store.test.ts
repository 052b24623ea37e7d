import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkingDayCalendar } from '../../src/domain/working-days.ts';
import {
  AuthorityPerformanceService,
  type PerformanceQuery,
  type PerformanceSources,
} from '../../src/modules/assessment/authority-performance.ts';
import { LoopPerformanceStore } from '../../src/modules/assessment/loop-performance-store.ts';
import { LoopIndexStore } from '../../src/modules/loop/loop-index-store.ts';
import { BUNDLED_HOLIDAY_CALENDAR_PATH, workingDayCalendarFrom } from '../../src/platform/holiday-calendar-file.ts';
import { startLoopWorld, type LoopWorld } from './support/loop-world.ts';

/*
 * The database counts each unit's figures (working days from the calendar's running count); the
 * reference is the record-by-record tally it replaced. Both must give the same report, the same
 * coverage and the same warning span, on a generated world and a calendar missing a year.
 */
const calendarData = JSON.parse(readFileSync(BUNDLED_HOLIDAY_CALENDAR_PATH, 'utf8')) as {
  years: Record<string, unknown>;
};
const fullCalendar = () => workingDayCalendarFrom(calendarData);
const calendarWithout2025 = () =>
  workingDayCalendarFrom({
    ...calendarData,
    years: Object.fromEntries(Object.entries(calendarData.years).filter(([year]) => year !== '2025')),
  });

describe('authority performance counted by the database', () => {
  let world: LoopWorld;

  beforeAll(async () => {
    world = await startLoopWorld({ seed: 7 });
  }, 120_000);
  afterAll(() => world?.close());

  /** The report and the calendar warning's span, by the database's counts and by the reference tally. */
  async function bothWays(
    calendar: () => WorkingDayCalendar,
    query: PerformanceQuery,
    scope: string | null = null,
    sources?: PerformanceSources,
  ) {
    const run = async (tallyRecordsHere: boolean) => {
      const used = calendar();
      const spans: Array<{ from: string; to: string }> = [];
      used.onUncovered((span) => spans.push({ from: span.from, to: span.to }));
      const service = new AuthorityPerformanceService(
        new LoopPerformanceStore(world.store.prisma),
        used,
        async () => [],
        { tallyRecordsHere },
      );
      const report = await service.report(query, scope, sources);
      const warned =
        spans.length === 0
          ? null
          : {
              from: spans.map((s) => s.from).sort()[0],
              to: spans
                .map((s) => s.to)
                .sort()
                .at(-1),
            };
      return { report, warned };
    };
    return { counted: await run(false), tallied: await run(true) };
  }

  const year = () => ({
    from: `${Number(world.world.asOf.slice(0, 4)) - 1}${world.world.asOf.slice(4)}`,
    to: world.world.asOf,
  });

  it('gives the county over the year the same units and figures as the record-by-record tally', async () => {
    const { counted, tallied } = await bothWays(fullCalendar, year());
    expect(counted.report.units.length).toBeGreaterThan(5);
    expect(counted.report.units.some((unit) => unit.averageWorkingDays.toDecision !== null)).toBe(true);
    expect(counted).toEqual(tallied);
  });

  it('gives the same answer for one township, one authority and a caller without clues or executions', async () => {
    const { counted: all } = await bothWays(fullCalendar, year());
    const unit = all.report.units[0]!;
    for (const [query, scope, sources] of [
      [{ ...year(), townshipCode: unit.townshipCode }, null, undefined],
      [{ ...year(), authorityCode: unit.authorityCode }, null, undefined],
      [year(), unit.townshipCode.slice(0, 6), { clues: false, executions: true }],
      [year(), null, { clues: true, executions: false }],
    ] as const) {
      const { counted, tallied } = await bothWays(fullCalendar, query, scope, sources);
      expect(counted).toEqual(tallied);
    }
  });

  it('marks the same units uncovered, with the same warning span, when the calendar lacks a year', async () => {
    const { counted, tallied } = await bothWays(calendarWithout2025, year());
    expect(counted.report.units.some((unit) => !unit.calendarCovered)).toBe(true);
    expect(counted.warned).not.toBeNull();
    expect(counted).toEqual(tallied);
  });

  it('tallies record by record a step that reaches years beyond the counted days', async () => {
    const { from, to } = year();
    await new LoopIndexStore(world.store.prisma).upsert('case', [
      {
        case_no: 'K-LONG',
        clue_id: null,
        subject_uscc: '91330381MA2G2YEE23',
        power_item_code: 'CF-0001',
        authority_code: '330381-LONG',
        township_code: '330381001',
        procedure: 'GENERAL',
        status: 'DECIDED',
        lenient_handling: 'NONE',
        filed_at: '2016-03-01T10:00:00+08:00',
        decided_at: `${to}T10:00:00+08:00`,
        closed_at: null,
        upstream_updated_at: `${to}T10:00:00+08:00`,
      },
    ]);
    const { counted, tallied } = await bothWays(fullCalendar, { from, to });
    expect(counted.report.units.find((unit) => unit.authorityCode === '330381-LONG')?.casesDecided).toBe(1);
    expect(counted).toEqual(tallied);
  });
});
