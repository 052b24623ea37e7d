import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgencySystem } from '../../src/domain/types.ts';
import type { ChangeFeedSync } from '../../src/platform/change-feed-sync.ts';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startLoopIndexedGateway, type TestGateway } from '../support/gateway.ts';

/*
 * Some answers come from copies the gateway keeps of the agencies' change feeds: loop breaks, a
 * subject's loop and the assessment figures from the loop index, a search of subjects from the
 * registry. While a feed cannot be followed (its agency down), the copy keeps what it last
 * stored: such answers were given as if complete (a clue answered meanwhile still an unanswered
 * break, an enterprise registered meanwhile missing from the search), and only a separate
 * `loopIndexFreshness` query told otherwise. Each such answer now says so in `extensions.warnings`.
 */

const LOOP_VIEWS = `query LoopViews($u: USCC!) {
  loopGaps(first: 1) { totalCount }
  authorityPerformance(period: { from: "2024-01-01", to: "2024-12-31" }) { units { authorityCode } }
  subject(uscc: $u) { loop { stages { stage records } } }
}`;
const SEARCH = '{ subjects(first: 1) { totalCount nodes { name } } }';
const LOOKUP = 'query ($u: USCC!) { subject(uscc: $u) { name township { code } } }';

type Warning = {
  code: string;
  copy?: string;
  feeds?: Array<{ feed: string; reason: string | null; syncedAt: string | null }>;
};

let gw: TestGateway;
beforeAll(async () => {
  gw = await startLoopIndexedGateway();
}, 180_000);
afterAll(() => gw?.close());

async function warningsOf(query: string, variables: Record<string, unknown> = {}): Promise<Warning[]> {
  const response = await gw.post(query, variables, await gw.as('county-enforcement'));
  expectNoGraphQLErrors(response);
  return ((response.body.extensions?.warnings as Warning[] | undefined) ?? []).filter(
    (warning) => warning.code === 'FEEDS_BEHIND',
  );
}

const loopViewsWarnings = () => warningsOf(LOOP_VIEWS, { u: gw.world.enterprises[0]!.uscc });

/** An agency down while a copy's sync runs: its feeds fail. */
async function down(system: AgencySystem, sync: ChangeFeedSync): Promise<void> {
  await gw.simulators.control(system).setFaults({ down: true });
  await sync.syncOnce().catch(() => undefined);
}

/** Back up, and the copy synced once the agency's circuit lets requests through again. */
async function back(system: AgencySystem, sync: ChangeFeedSync): Promise<void> {
  await gw.simulators.control(system).setFaults({ down: false });
  for (let attempt = 0; attempt < 40; attempt += 1) {
    await sync.syncOnce().catch(() => undefined);
    if ((await sync.failingFeeds()).length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function expectBehind(warnings: Warning[], copy: string, feeds: string[]): void {
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatchObject({ copy });
  expect(warnings[0]!.feeds?.map((feed) => feed.feed)).toEqual(feeds);
  for (const feed of warnings[0]!.feeds ?? []) {
    expect(feed.reason).toBe('UPSTREAM_UNAVAILABLE');
    expect(feed.syncedAt).not.toBeNull();
  }
}

describe('answers computed from the loop index', () => {
  it('carry no warning while every feed is followed', async () => {
    expect(await loopViewsWarnings()).toEqual([]);
  });

  it('say which feeds the index could not follow at its last sync, and since when it holds them', async () => {
    await down('enforcement', gw.gateway.loop.sync);
    try {
      expectBehind(await loopViewsWarnings(), 'loop index', [
        'enforcement.clues',
        'enforcement.cases',
        'enforcement.penalties',
      ]);
    } finally {
      await back('enforcement', gw.gateway.loop.sync);
    }
  });

  it('carry no warning again once the feeds are followed', async () => {
    expect(await loopViewsWarnings()).toEqual([]);
  });
});

describe('subjects answered from the registry', () => {
  const lookup = () => warningsOf(LOOKUP, { u: gw.world.enterprises[0]!.uscc });

  it('carry no warning while every feed is followed', async () => {
    expect(await warningsOf(SEARCH)).toEqual([]);
    expect(await lookup()).toEqual([]);
  });

  it('say which feeds the registry could not follow at its last sync, in a search and in a lookup by code', async () => {
    await down('approval', gw.gateway.registrySync);
    try {
      expectBehind(await warningsOf(SEARCH), 'subject registry', ['approval.subjects']);
      // The name and township come from the registry's copy while the approval platform is away.
      expectBehind(await lookup(), 'subject registry', ['approval.subjects']);
    } finally {
      await back('approval', gw.gateway.registrySync);
    }
    expect(await warningsOf(SEARCH)).toEqual([]);
    expect(await lookup()).toEqual([]);
  });
});
