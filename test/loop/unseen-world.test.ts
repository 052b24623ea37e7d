import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreditCheckManifest, World } from '../../simulators/index.ts';
import { loadWorkingDayCalendar } from '../../src/platform/holiday-calendar-file.ts';
import { permitOfficeFor } from '../credit-check/permit-office.ts';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { plantedKeys } from './support/loop-world.ts';

/*
 * The rest of the suite sees mostly the demo world (seed 42). Here a seed no other test uses,
 * through the gateway over GraphQL, against figures recounted from the world's own records.
 */
const SEED = 2027;

const GAPS = `query ($asOf: Date, $after: String) { loopGaps(filter: { asOf: $asOf }, first: 500, after: $after) {
  gaps { kind recordId subjectUscc } pageInfo { endCursor hasNextPage } } }`;
const PERFORMANCE = `query ($period: LoopPeriod!) { authorityPerformance(period: $period) {
  units { authorityCode townshipCode transfersReceived answered answeredInTime handled casesDecided casesExecuted } } }`;
const CHECK = `query ($uscc: USCC!, $item: String!, $asOf: Date) { creditCheck(uscc: $uscc, item: $item, asOf: $asOf) {
  verdict complete reasons { ruleId } } }`;

interface GapsPage {
  gaps: Array<{ kind: string; recordId: string; subjectUscc: string }>;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

type Figures = Record<
  'transfersReceived' | 'answered' | 'answeredInTime' | 'handled' | 'casesDecided' | 'casesExecuted',
  number
>;

const chinaDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

/** Each unit's figures over [from, to], counted from the world's clues, cases and penalties. */
function recountPerformance(world: World, from: string, to: string): Record<string, Figures> {
  const calendar = loadWorkingDayCalendar();
  const units: Record<string, Figures> = {};
  const unit = (authority: string, township: string) =>
    (units[`${authority} ${township}`] ??= {
      transfersReceived: 0,
      answered: 0,
      answeredInTime: 0,
      handled: 0,
      casesDecided: 0,
      casesExecuted: 0,
    });
  const within = (day: string) => day >= from && day <= to;
  for (const clue of world.clues) {
    const received = chinaDay(clue.receivedAt);
    if (!within(received)) continue;
    const figures = unit(clue.receiverCode, clue.townshipCode);
    figures.transfersReceived += 1;
    if (clue.respondedAt !== null) {
      figures.answered += 1;
      if (chinaDay(clue.respondedAt) <= calendar.addWorkingDays(received, 5)) figures.answeredInTime += 1;
    }
    if (clue.status === 'CASE_FILED' || clue.status === 'RETURNED') figures.handled += 1;
  }
  const cases = new Map(world.cases.map((c) => [c.caseNo, c]));
  for (const c of world.cases) {
    if (c.decidedAt !== null && within(chinaDay(c.decidedAt))) unit(c.authorityCode, c.townshipCode).casesDecided += 1;
  }
  for (const penalty of world.penalties) {
    const c = cases.get(penalty.caseNo)!;
    if (penalty.executedAt !== null && within(chinaDay(penalty.executedAt)))
      unit(c.authorityCode, c.townshipCode).casesExecuted += 1;
  }
  return units;
}

describe(`an unseen world through the gateway (scale 1, seed ${SEED})`, () => {
  let gw: TestGateway;
  let county: Record<string, string>;
  beforeAll(async () => {
    gw = await startTestGateway({
      world: { seed: SEED },
      authRequired: true,
      upstreamTimeoutMs: 5_000,
      env: { LOOP_INDEX_SYNC_INTERVAL_MS: String(3_600_000) },
    });
    county = await gw.as('county-enforcement');
  }, 180_000);
  afterAll(() => gw?.close());

  it('lists every planted break in loopGaps and nothing else', async () => {
    const found: string[] = [];
    for (let after: string | null = null, more = true; more;) {
      const page: GapsPage = expectNoGraphQLErrors(
        await gw.post<{ loopGaps: GapsPage }>(GAPS, { asOf: gw.world.asOf, after }, county),
      ).loopGaps;
      found.push(...page.gaps.map((g) => `${g.kind}|${g.recordId}|${g.subjectUscc}`));
      more = page.pageInfo.hasNextPage;
      after = page.pageInfo.endCursor;
    }
    expect(found.sort()).toEqual(plantedKeys(gw.world));
  });

  it("gives each authority and township over the year the figures recounted from the world's records", async () => {
    const to = gw.world.asOf;
    const from = `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`;
    const { authorityPerformance } = expectNoGraphQLErrors(
      await gw.post<{
        authorityPerformance: { units: Array<Figures & { authorityCode: string; townshipCode: string }> };
      }>(PERFORMANCE, { period: { from, to } }, county),
    );
    const reported = Object.fromEntries(
      authorityPerformance.units.map(({ authorityCode, townshipCode, ...figures }) => [
        `${authorityCode} ${townshipCode}`,
        figures,
      ]),
    );
    expect(reported).toEqual(recountPerformance(gw.world, from, to));
  });

  it('names the rule each selected subject triggers in the permit office’s check, and clears the others', async () => {
    const manifest: CreditCheckManifest = await gw.simulators.control('credit').creditCheckManifest();
    const office = await permitOfficeFor(gw, '瑞审受〔2026〕2027号');
    const check = async (uscc: string, item: string) =>
      expectNoGraphQLErrors(
        await gw.post<{ creditCheck: { verdict: string; complete: boolean; reasons: Array<{ ruleId: string }> } }>(
          CHECK,
          { uscc, item, asOf: manifest.asOf },
          office,
        ),
      ).creditCheck;
    expect(new Set(manifest.triggered.map((c) => c.rule)).size).toBeGreaterThanOrEqual(5);
    for (const c of manifest.triggered) {
      const result = await check(c.subjectUscc, c.item);
      expect(result.complete, c.subjectUscc).toBe(true);
      expect(
        result.reasons.map((r) => r.ruleId),
        `${c.rule} ${c.subjectUscc}`,
      ).toContain(c.rule);
    }
    for (const c of manifest.clear) expect((await check(c.subjectUscc, c.item)).verdict, c.subjectUscc).toBe('CLEAR');
  });
});
