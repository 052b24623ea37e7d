import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopIndexedGateway, type TestGateway } from '../support/gateway.ts';

/*
 * `loopIndexFreshness` counts the records read from each change feed, across the whole county.
 * A count that moves tells that a record of its kind changed somewhere: a clue received, a case
 * filed. So a feed's count is shown only to a caller who may read that kind of record (its
 * `Subject.clues`, …), and a count of records confined to a jurisdiction (inspections, clues,
 * cases) only to a caller whose jurisdiction covers all the gateway serves. Before, every
 * authenticated caller saw every count.
 */

let gw: TestGateway;
beforeAll(async () => {
  gw = await startLoopIndexedGateway();
}, 180_000);
afterAll(() => gw?.close());

const FRESHNESS = '{ loopIndexFreshness { system records feeds { feed records } } }';
type Freshness = {
  loopIndexFreshness: Array<{
    system: string;
    records: number | null;
    feeds: Array<{ feed: string; records: number | null }>;
  }>;
};

async function countsAs(preset: string, purpose?: string) {
  const response = await gw.post<Freshness>(FRESHNESS, {}, await gw.as(preset, purpose));
  expect(response.status).toBe(200);
  const feeds = Object.fromEntries(
    response.body.data!.loopIndexFreshness.flatMap((system) => system.feeds.map((f) => [f.feed, f.records])),
  );
  const systems = Object.fromEntries(response.body.data!.loopIndexFreshness.map((s) => [s.system, s.records]));
  const refused = (response.body.errors ?? []).map((e) => ({ path: e.path?.join('.'), ...e.extensions }));
  return { feeds, systems, refused };
}

describe('the loop index feeds’ record counts', () => {
  it('are all shown to the county enforcement bureau, which may read every kind of record county-wide', async () => {
    const { feeds, refused } = await countsAs('county-enforcement');
    expect(refused).toEqual([]);
    expect(feeds['enforcement.clues']).toBeGreaterThan(0);
    expect(feeds['supervision.inspections']).toBeGreaterThan(0);
  });

  it('withhold the clue count from an analyst who may not read clues, with the rule that refused it', async () => {
    const { feeds, systems, refused } = await countsAs('county-analyst');
    expect(feeds['enforcement.clues']).toBeNull();
    // The system's total would tell the clue count by subtraction.
    expect(systems['ENFORCEMENT']).toBeNull();
    expect(feeds['enforcement.cases']).toBeGreaterThan(0);
    expect(refused).toContainEqual(expect.objectContaining({ code: 'FORBIDDEN', rule: 'purpose-required' }));
  });

  it('withhold counts of inspections, clues and cases from a township team, which sees only its own township', async () => {
    const { feeds, refused } = await countsAs('township-officer');
    expect(feeds['supervision.inspections']).toBeNull();
    expect(feeds['enforcement.clues']).toBeNull();
    expect(feeds['enforcement.cases']).toBeNull();
    expect(feeds['enforcement.penalties']).toBeGreaterThan(0);
    expect(feeds['approval.permits']).toBeGreaterThan(0);
    expect(refused).toContainEqual(expect.objectContaining({ code: 'FORBIDDEN', rule: 'beyond-jurisdiction' }));
  });
});
