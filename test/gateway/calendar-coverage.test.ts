import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_HOLIDAY_CALENDAR_PATH } from '../../src/platform/holiday-calendar-file.ts';
import { expectNoGraphQLErrors, type GraphQLResponse } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { ANYANG_TEAM, anyangClue, sendClue } from '../transfers/transfer-fixtures.ts';

/** The bundled calendar without its last year: whatever the clock says, today is beyond it. */
function calendarEndingIn2025(): string {
  const data = JSON.parse(readFileSync(BUNDLED_HOLIDAY_CALENDAR_PATH, 'utf8')) as { years: Record<string, unknown> };
  delete data.years['2026'];
  const path = join(mkdtempSync(join(tmpdir(), 'calendar-')), 'holidays.json');
  writeFileSync(path, JSON.stringify(data));
  return path;
}

const GAPS = `query ($filter: LoopGapFilter) { loopGaps(filter: $filter, first: 500) { totalCount calendarCovered gaps { kind dueOn calendarCovered } } }`;
const PERFORMANCE = `query ($from: Date!, $to: Date!) {
  authorityPerformance(period: { from: $from, to: $to }) { calendarCovered units { authorityCode calendarCovered } } }`;
const TRANSFER = `query ($id: ID!) { transfer(id: $id) { answerDueOn calendarCovered } }`;

function calendarWarnings(response: GraphQLResponse<unknown>) {
  return (response.body.extensions?.warnings ?? []).filter((w) => w.code === 'CALENDAR_NOT_COVERED');
}

describe('a gateway whose holiday calendar ends before the dates it must count', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({
      authRequired: true,
      env: { LOOP_INDEX_SYNC_INTERVAL_MS: String(3_600_000), HOLIDAY_CALENDAR_PATH: calendarEndingIn2025() },
    });
  }, 180_000);
  afterAll(() => gw?.close());

  it('marks a transfer due beyond the calendar as not covered and warns in the response', async () => {
    const sent = await sendClue(gw, {
      ...anyangClue(gw.world),
      receiverAuthorityCode: ANYANG_TEAM,
      findings: '现场检查发现问题',
      evidenceRefs: [],
      inspectionId: null,
    });
    const response = await gw.post<{ transfer: { answerDueOn: string; calendarCovered: boolean } }>(
      TRANSFER,
      { id: sent.transfer.id },
      await gw.as('industry-inspector'),
    );
    expect(expectNoGraphQLErrors(response).transfer.calendarCovered).toBe(false);
    expect(calendarWarnings(response)).toEqual([
      expect.objectContaining({
        code: 'CALENDAR_NOT_COVERED',
        lastCoveredDate: '2025-12-31',
        to: response.body.data!.transfer.answerDueOn,
      }),
    ]);
  });

  it('answers loop breaks measured inside the calendar as covered, with no warning', async () => {
    const response = await gw.post<{
      loopGaps: { totalCount: number; calendarCovered: boolean; gaps: Array<{ calendarCovered: boolean }> };
    }>(GAPS, { filter: { asOf: '2025-06-30' } }, await gw.as('county-analyst'));
    const { loopGaps } = expectNoGraphQLErrors(response);
    expect(loopGaps.totalCount).toBeGreaterThan(0);
    expect(loopGaps.calendarCovered).toBe(true);
    expect(loopGaps.gaps.every((gap) => gap.calendarCovered)).toBe(true);
    expect(calendarWarnings(response)).toEqual([]);
  });

  it('marks loop breaks measured beyond the calendar as not covered, each break counted there too, and warns', async () => {
    const response = await gw.post<{
      loopGaps: { calendarCovered: boolean; gaps: Array<{ kind: string; dueOn: string; calendarCovered: boolean }> };
    }>(GAPS, { filter: { asOf: gw.world.asOf } }, await gw.as('county-analyst'));
    const { loopGaps } = expectNoGraphQLErrors(response);
    expect(loopGaps.calendarCovered).toBe(false);
    const counted2026 = loopGaps.gaps.filter(
      (gap) => ['CLUE_UNANSWERED', 'PENALTY_NOT_PUBLISHED'].includes(gap.kind) && gap.dueOn >= '2026-01-01',
    );
    expect(counted2026.length).toBeGreaterThan(0);
    expect(counted2026.every((gap) => !gap.calendarCovered)).toBe(true);
    expect(loopGaps.gaps.filter((gap) => gap.dueOn < '2025-12-01').every((gap) => gap.calendarCovered)).toBe(true);
    expect(calendarWarnings(response)).toHaveLength(1);
  });

  it('marks assessment figures of a period beyond the calendar as not covered, and those of 2022 as covered', async () => {
    const headers = await gw.as('county-analyst');
    const beyond = await gw.post<{
      authorityPerformance: { calendarCovered: boolean; units: Array<{ calendarCovered: boolean }> };
    }>(PERFORMANCE, { from: '2026-01-01', to: '2026-06-30' }, headers);
    expect(expectNoGraphQLErrors(beyond).authorityPerformance.calendarCovered).toBe(false);
    expect(beyond.body.data!.authorityPerformance.units.some((unit) => !unit.calendarCovered)).toBe(true);
    expect(calendarWarnings(beyond)).toHaveLength(1);
    const inside = await gw.post<{
      authorityPerformance: { calendarCovered: boolean; units: Array<{ calendarCovered: boolean }> };
    }>(PERFORMANCE, { from: '2022-01-01', to: '2022-06-30' }, headers);
    expect(expectNoGraphQLErrors(inside).authorityPerformance.calendarCovered).toBe(true);
    expect(inside.body.data!.authorityPerformance.units.length).toBeGreaterThan(0);
    expect(calendarWarnings(inside)).toEqual([]);
  });

  it('shows the last covered day on /metrics', async () => {
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toContain(
      `gateway_holiday_calendar_last_covered_day_timestamp_seconds{date="2025-12-31"} ${Date.parse('2025-12-31T00:00:00+08:00') / 1000}`,
    );
  });
});
