import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

/*
 * Loop breaks, a subject's loop and the assessment figures are computed from the loop index, which
 * follows the agencies' change feeds. While a feed cannot be followed (its agency down), the index
 * keeps what it last stored: answers from it were given as if complete, a clue answered meanwhile
 * still counted as unanswered and a new one missing, and only a separate `loopIndexFreshness`
 * query told otherwise. Each such answer now says so in `extensions.warnings`.
 */

const ENFORCEMENT_FEEDS = ['enforcement.clues', 'enforcement.cases', 'enforcement.penalties'];
const LOOP_VIEWS = `query LoopViews($u: USCC!) {
  loopGaps(first: 1) { totalCount }
  authorityPerformance(period: { from: "2024-01-01", to: "2024-12-31" }) { units { authorityCode } }
  subject(uscc: $u) { loop { stages { stage records } } }
}`;

type Warning = { code: string; feeds?: Array<{ feed: string; reason: string | null; syncedAt: string | null }> };

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({
    authRequired: true,
    upstreamTimeoutMs: 5_000,
    env: { LOOP_INDEX_SYNC_INTERVAL_MS: String(3_600_000) },
  });
}, 180_000);
afterAll(() => gw?.close());

async function loopViewsWarnings(): Promise<Warning[]> {
  const subject = gw.world.enterprises[0]!.uscc;
  const response = await gw.post(LOOP_VIEWS, { u: subject }, await gw.as('county-enforcement'));
  expectNoGraphQLErrors(response);
  return ((response.body.extensions?.warnings as Warning[] | undefined) ?? []).filter(
    (warning) => warning.code === 'LOOP_INDEX_BEHIND',
  );
}

async function enforcementDown(): Promise<void> {
  await gw.simulators.control('enforcement').setFaults({ down: true });
  await gw.gateway.loop.sync.syncOnce().catch(() => undefined);
}

/** Back up, and synced once its circuit lets requests through again. */
async function enforcementBack(): Promise<void> {
  await gw.simulators.control('enforcement').setFaults({ down: false });
  for (let attempt = 0; attempt < 40; attempt += 1) {
    await gw.gateway.loop.sync.syncOnce().catch(() => undefined);
    if ((await gw.gateway.loop.sync.failingFeeds()).length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('answers computed from the loop index', () => {
  it('carry no warning while every feed is followed', async () => {
    expect(await loopViewsWarnings()).toEqual([]);
  });

  it('say which feeds the index could not follow at its last sync, and since when it holds them', async () => {
    await enforcementDown();
    try {
      const [warning, ...more] = await loopViewsWarnings();
      expect(more).toEqual([]);
      expect(warning?.feeds?.map((feed) => feed.feed)).toEqual(ENFORCEMENT_FEEDS);
      for (const feed of warning?.feeds ?? []) {
        expect(feed.reason).toBe('UPSTREAM_UNAVAILABLE');
        expect(feed.syncedAt).not.toBeNull();
      }
    } finally {
      await enforcementBack();
    }
  });

  it('carry no warning again once the feeds are followed', async () => {
    expect(await loopViewsWarnings()).toEqual([]);
  });
});
