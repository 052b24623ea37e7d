import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGraphQLErrors, expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

const GAPS = `query Gaps($filter: LoopGapFilter, $first: Int, $after: String) {
  loopGaps(filter: $filter, first: $first, after: $after) {
    totalCount
    countsByKind { kind count }
    gaps { kind recordId subjectUscc townshipCode responsibleAuthorityCode responsibleAuthority { name kind } dueOn evidence { record id on } }
    pageInfo { endCursor hasNextPage }
  }
}`;

interface GapsData {
  loopGaps: {
    totalCount: number;
    countsByKind: Array<{ kind: string; count: number }>;
    gaps: Array<{
      kind: string;
      recordId: string;
      townshipCode: string | null;
      responsibleAuthority: { name: string; kind: string } | null;
    }>;
    pageInfo: { endCursor: string | null; hasNextPage: boolean };
  };
}

/** Breaks whose kind reveals clues (Subject.clues, Inspection.clues): conditional enforcement data. */
const CLUE_REVEALING: readonly string[] = ['CLUE_UNANSWERED', 'VIOLATION_NOT_TRANSFERRED'];

describe('loop gaps, freshness, subject loop and assessment over GraphQL with real tokens', () => {
  let gw: TestGateway;
  let asOf: string;
  beforeAll(async () => {
    // A loaded machine must not leave the index half synced: the first sync reads every feed.
    gw = await startTestGateway({
      authRequired: true,
      upstreamTimeoutMs: 5_000,
      env: { LOOP_INDEX_SYNC_INTERVAL_MS: String(3_600_000) },
    });
    asOf = gw.world.asOf;
  }, 180_000);
  afterAll(() => gw?.close());

  it('shows the county enforcement bureau every planted break in the county, with the responsible authority named', async () => {
    const response = await gw.post<GapsData>(GAPS, { filter: { asOf }, first: 500 }, await gw.as('county-enforcement'));
    const { loopGaps } = expectNoGraphQLErrors(response);
    expect(loopGaps.totalCount).toBe(gw.world.manifest.length);
    expect(loopGaps.gaps.find((g) => g.kind === 'PUBLICITY_OVERDUE')?.responsibleAuthority).toEqual({
      name: '瑞安市信用中心',
      kind: 'CREDIT_CENTRE',
    });
  });

  it('shows a county analyst without a matter every planted break except those that reveal clues', async () => {
    const { loopGaps } = expectNoGraphQLErrors(
      await gw.post<GapsData>(GAPS, { filter: { asOf }, first: 500 }, await gw.as('county-analyst')),
    );
    expect(loopGaps.totalCount).toBe(gw.world.manifest.filter((m) => !CLUE_REVEALING.includes(m.kind)).length);
    expect(loopGaps.gaps.filter((g) => CLUE_REVEALING.includes(g.kind))).toEqual([]);
  });

  it('shows a township officer only the breaks of its own township', async () => {
    const county = expectNoGraphQLErrors(
      await gw.post<GapsData>(GAPS, { filter: { asOf }, first: 500 }, await gw.as('county-enforcement')),
    );
    const township = expectNoGraphQLErrors(
      await gw.post<GapsData>(GAPS, { filter: { asOf }, first: 500 }, await gw.as('township-officer')),
    );
    const expected = county.loopGaps.gaps.filter((g) => g.townshipCode === '330381001').map((g) => g.recordId);
    expect(expected.length).toBeGreaterThan(0);
    expect(township.loopGaps.gaps.map((g) => g.recordId)).toEqual(expected);
  });

  it("answers a county body's system client for its county as well", async () => {
    const data = expectNoGraphQLErrors(
      await gw.post<GapsData>(GAPS, { filter: { asOf }, first: 1 }, await gw.as('credit-platform')),
    );
    // The credit centre may not read clues, so the breaks that reveal them are not its to see.
    expect(data.loopGaps.totalCount).toBe(gw.world.manifest.filter((m) => !CLUE_REVEALING.includes(m.kind)).length);
  });

  it('pages unanswered clues for the enforcement bureau, and refuses a cursor it did not make', async () => {
    const headers = await gw.as('county-enforcement');
    const first = expectNoGraphQLErrors(
      await gw.post<GapsData>(GAPS, { filter: { asOf, kinds: ['CLUE_UNANSWERED'] }, first: 5 }, headers),
    );
    expect(first.loopGaps.gaps).toHaveLength(5);
    expect(first.loopGaps.pageInfo.hasNextPage).toBe(true);
    const next = expectNoGraphQLErrors(
      await gw.post<GapsData>(
        GAPS,
        { filter: { asOf, kinds: ['CLUE_UNANSWERED'] }, first: 5, after: first.loopGaps.pageInfo.endCursor },
        headers,
      ),
    );
    expect(next.loopGaps.gaps[0]!.recordId > first.loopGaps.gaps[4]!.recordId).toBe(true);
    const errors = expectGraphQLErrors(await gw.post(GAPS, { filter: { asOf }, after: 'made-up' }, headers));
    expect(errors[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('refuses a cursor of the subjects list in loopGaps, and a loop gaps cursor in subjects, with one error', async () => {
    const headers = await gw.as('county-enforcement');
    const subjects = expectNoGraphQLErrors(
      await gw.post<{ subjects: { pageInfo: { endCursor: string } } }>(
        `{ subjects(first: 1) { pageInfo { endCursor } } }`,
        {},
        headers,
      ),
    );
    const gaps = expectNoGraphQLErrors(
      await gw.post<GapsData>(GAPS, { filter: { asOf, kinds: ['CLUE_UNANSWERED'] }, first: 1 }, headers),
    );
    const [inGaps] = expectGraphQLErrors(
      await gw.post(GAPS, { filter: { asOf }, after: subjects.subjects.pageInfo.endCursor }, headers),
    );
    const [inSubjects] = expectGraphQLErrors(
      await gw.post(
        `query ($after: String) { subjects(after: $after) { totalCount } }`,
        { after: gaps.loopGaps.pageInfo.endCursor },
        headers,
      ),
    );
    for (const error of [inGaps, inSubjects]) {
      expect(error!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after', reason: 'invalid_cursor' });
      expect(error!.message).toMatch(/^after is not a cursor this list returned/);
    }
  });

  it('tells how current the index is with each agency system', async () => {
    const data = expectNoGraphQLErrors(
      await gw.post<{
        loopIndexFreshness: Array<{
          system: string;
          syncedAt: string | null;
          records: number;
          feeds: Array<{ feed: string }>;
        }>;
      }>(
        '{ loopIndexFreshness { system syncedAt records feeds { feed syncedAt records lastError } } }',
        {},
        await gw.as('county-enforcement'),
      ),
    );
    expect(data.loopIndexFreshness.map((f) => f.system)).toEqual(['APPROVAL', 'SUPERVISION', 'ENFORCEMENT', 'CREDIT']);
    for (const f of data.loopIndexFreshness) {
      expect(f.syncedAt).toMatch(/\+08:00$/);
      expect(f.records).toBeGreaterThan(0);
    }
    expect(data.loopIndexFreshness[2]!.feeds.map((f) => f.feed)).toEqual([
      'enforcement.clues',
      'enforcement.cases',
      'enforcement.penalties',
    ]);
  });

  it("tells a feed's failure by the catalogue's code and reason, in a message naming only the agency system", async () => {
    type FeedFailures = {
      loopIndexFreshness: Array<{
        system: string;
        feeds: Array<{
          feed: string;
          lastError: string | null;
          lastErrorCode: string | null;
          lastErrorReason: string | null;
        }>;
      }>;
    };
    const credit = gw.simulators.control('credit');
    await credit.setFaults({ down: true });
    try {
      await gw.gateway.loop!.sync.syncOnce().catch(() => undefined);
      const data = expectNoGraphQLErrors(
        await gw.post<FeedFailures>(
          '{ loopIndexFreshness { system feeds { feed lastError lastErrorCode lastErrorReason } } }',
          {},
          await gw.as('county-analyst'),
        ),
      );
      const records = data.loopIndexFreshness.flatMap((f) => f.feeds).find((f) => f.feed === 'credit.records');
      expect(records).toMatchObject({ feed: 'credit.records', lastErrorCode: 'UPSTREAM_UNAVAILABLE' });
      expect(records!.lastErrorReason).toMatch(/^[a-z0-9_]+$/);
      expect(records!.lastError).toMatch(/^The credit system is unavailable \([a-z0-9_]+\)\.$/);
      expect(records!.lastError).not.toContain(new URL(gw.simulators.urls.credit).host);
    } finally {
      await credit.setFaults({ down: false });
    }
    await gw.gateway.loop!.sync.syncOnce().catch(() => undefined);
  });

  it('publishes the freshness of each feed on /metrics', async () => {
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toContain(`gateway_loop_index_feed_records{feed="approval.permits"} ${gw.world.permits.length}`);
    expect(metrics).toMatch(/gateway_loop_index_feed_age_seconds\{feed="credit.records"\} \d/);
  });

  it('publishes no count on /metrics of records a caller sees only within its jurisdiction', async () => {
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_loop_index_feed_age_seconds\{feed="enforcement.clues"\} \d/);
    for (const feed of ['supervision.inspections', 'enforcement.clues', 'enforcement.cases'])
      expect(metrics).not.toContain(`gateway_loop_index_feed_records{feed="${feed}"}`);
  });

  it("gives an enterprise's loop stage by stage", async () => {
    const planted = gw.world.manifest.find((m) => m.kind === 'CLUE_UNANSWERED')!;
    const data = expectNoGraphQLErrors(
      await gw.post<{
        subject: { loop: { stages: Array<{ stage: string; status: string }>; gaps: Array<{ recordId: string }> } };
      }>(
        'query L($uscc: USCC!, $asOf: Date) { subject(uscc: $uscc) { loop(asOf: $asOf) { asOf stages { stage status records open latestOn gaps } gaps { kind recordId } } } }',
        { uscc: planted.subjectUscc, asOf },
        await gw.as('county-enforcement'),
      ),
    );
    expect(data.subject.loop.stages.map((s) => s.stage)).toEqual(['APPROVAL', 'SUPERVISION', 'ENFORCEMENT', 'CREDIT']);
    expect(data.subject.loop.stages.find((s) => s.stage === 'ENFORCEMENT')!.status).toBe('BROKEN');
    expect(data.subject.loop.gaps.map((g) => g.recordId)).toContain(planted.refs['clueId']);
  });

  it('gives assessment figures per authority and township, a township officer its own township only', async () => {
    const query = `query P($period: LoopPeriod!) { authorityPerformance(period: $period) {
      units { authorityCode authority { name } townshipCode transfersReceived answered answeredInTime responseRate handlingRate
              averageWorkingDays { toAnswer toCaseFiled toDecision toExecution } casesDecided casesExecuted }
      delegatedPowers { townshipCode township { name } delegatedItems exercised { item { code } cases } neverExercised { code } } } }`;
    const period = { from: '2025-01-01', to: '2025-12-31' };
    type Report = {
      authorityPerformance: {
        units: Array<{ townshipCode: string; transfersReceived: number }>;
        delegatedPowers: Array<{ townshipCode: string }>;
      };
    };
    const county = expectNoGraphQLErrors(await gw.post<Report>(query, { period }, await gw.as('county-enforcement')));
    const received = county.authorityPerformance.units.reduce((sum, u) => sum + u.transfersReceived, 0);
    expect(received).toBe(
      gw.world.clues.filter((c) => new Date(c.receivedAt + 8 * 3_600_000).toISOString().startsWith('2025')).length,
    );
    const own = expectNoGraphQLErrors(await gw.post<Report>(query, { period }, await gw.as('township-officer')));
    expect(new Set(own.authorityPerformance.units.map((u) => u.townshipCode))).toEqual(new Set(['330381001']));
    expect(own.authorityPerformance.delegatedPowers.map((t) => t.townshipCode)).toEqual(['330381001']);
  });
});
