import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorld, type World } from '../../simulators/index.ts';
import { dateFromEpochMs, instantFromEpochMs } from '../../src/connectors/mapping/index.ts';
import type { CreditProfile, CreditRecord } from '../../src/domain/types.ts';
import { UpstreamUnavailableError } from '../../src/errors.ts';
import { createMetrics, type Metrics } from '../../src/observability/metrics.ts';
import { CREDIT_SOURCES, type RunningCreditSource } from './credit-sources.ts';
import { metricValue } from './metric-values.ts';
import { recordingLogger } from './recording-logger.ts';

/**
 * The credit connector with the same assertions whichever way the platform reaches the
 * gateway: its HTTP API, or its 前置库 exchange database filled by the same simulator. Each
 * record must map to exactly the world record, the feed must move when the platform changes
 * a record, and an outage must read as "credit unavailable" and heal by itself.
 */

const world: World = generateWorld({ scale: 1, seed: 42 });
const date = (ms: number) => dateFromEpochMs('world', ms);
const instant = (ms: number) => instantFromEpochMs('world', ms);
const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const expectedRecord = (r: World['creditRecords'][number]): CreditRecord => ({
  id: r.id,
  kind: r.kind,
  subjectUscc: r.subjectUscc,
  decisionNo: r.decisionNo,
  fineFen: r.fineFen,
  authorityName: r.authorityName,
  publishedOn: date(r.publishedOn),
  publicityEndsOn: r.publicityEndsOn === null ? null : date(r.publicityEndsOn),
  status: r.status,
  commitment: r.commitment && { ...r.commitment },
  updatedAt: instant(r.updatedAt),
});

const expectedProfile = (p: World['creditProfiles'][number]): CreditProfile => ({
  uscc: p.uscc,
  name: p.name,
  grade: p.grade,
  gradedOn: date(p.gradedOn),
  dishonesty: {
    status: p.dishonestyStatus,
    listedOn: p.listedOn === null ? null : date(p.listedOn),
    reason: p.listedReason,
  },
  updatedAt: instant(p.updatedAt),
});

async function eventually(check: () => Promise<void>, withinMs = 10_000): Promise<void> {
  const until = Date.now() + withinMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

for (const source of CREDIT_SOURCES) {
  describe.runIf(source.available)(`the credit connector over its ${source.name}`, () => {
    let running: RunningCreditSource;
    let metrics: Metrics;
    const logger = recordingLogger();

    beforeAll(async () => {
      metrics = createMetrics();
      running = await source.start(world, metrics, logger);
    });
    afterAll(() => running?.close());

    it('looks up every credit record with its 万元 fine converted to exactly the world’s fen', async () => {
      const records = await running.connector.recordsById(world.creditRecords.map((r) => r.id));
      expect(records.sort(byId)).toEqual(world.creditRecords.map(expectedRecord).sort(byId));
      expect(await metricValue(metrics, 'gateway_upstream_bad_records_total', { system: 'credit' })).toBe(0);
    });

    it('looks up 500 subjects’ profiles, dishonesty listings included, exactly as the world holds them', async () => {
      const listed = world.creditProfiles.filter((p) => p.dishonestyStatus !== 'NOT_LISTED');
      const wanted = [...new Set([...listed, ...world.creditProfiles.slice(0, 500 - listed.length)])];
      const profiles = await running.connector.profilesByUscc(wanted.map((p) => p.uscc));
      const byUscc = (a: CreditProfile, b: CreditProfile) => (a.uscc < b.uscc ? -1 : 1);
      expect(profiles.sort(byUscc)).toEqual(wanted.map(expectedProfile).sort(byUscc));
      expect(profiles.some((p) => p.dishonesty.listedOn !== null)).toBe(true);
    });

    it('finds the records of subjects and of penalty decisions', async () => {
      const subjects = new Set(world.creditRecords.slice(0, 300).map((r) => r.subjectUscc));
      const ofSubjects = await running.connector.recordsBySubject([...subjects]);
      expect(ofSubjects.map((r) => r.id).sort()).toEqual(
        world.creditRecords
          .filter((r) => subjects.has(r.subjectUscc))
          .map((r) => r.id)
          .sort(),
      );
      const decisions = world.creditRecords.flatMap((r) => (r.decisionNo ? [r.decisionNo] : [])).slice(0, 100);
      const ofDecisions = await running.connector.recordsByDecisionNo(decisions);
      expect(ofDecisions.map((r) => r.decisionNo).sort()).toEqual([...decisions].sort());
      expect(await running.connector.recordsByDecisionNo(['瑞综执罚决字〔1999〕第0号'])).toEqual([]);
    });

    it('lists records and profiles in pages of a stable order, with the total', async () => {
      const ids = world.creditRecords.map((r) => r.id).sort();
      const first = await running.connector.listRecords({ page: 1, pageSize: 100 });
      const second = await running.connector.listRecords({ page: 2, pageSize: 100 });
      expect(first.total).toBe(world.creditRecords.length);
      expect([...first.items, ...second.items].map((r) => r.id)).toEqual(ids.slice(0, 200));
      const last = await running.connector.listProfiles({ page: 10, pageSize: 500 });
      expect(last.total).toBe(world.creditProfiles.length);
      expect(last.items.map((p) => p.uscc)).toEqual(
        world.creditProfiles
          .map((p) => p.uscc)
          .sort()
          .slice(4500),
      );
    });

    it('reads the subject feed as registry entries without township', async () => {
      const page = await running.connector.subjectChanges(null, 50);
      expect(page.items).toHaveLength(50);
      expect(page.hasMore).toBe(true);
      expect(page.items.every((entry) => entry.townshipCode === null && entry.source === 'credit')).toBe(true);
      const next = await running.connector.subjectChanges(page.nextCursor, 50);
      expect(next.items.map((e) => e.uscc)).not.toContain(page.items[49]!.uscc);
    });

    it('reads the record feed whole, each record once, oldest first; a change moves its record to the end', async () => {
      let cursor: string | null = null;
      const seen: CreditRecord[] = [];
      for (;;) {
        const page = await running.connector.recordChanges(cursor, 500);
        seen.push(...page.items);
        cursor = page.nextCursor;
        if (!page.hasMore) break;
      }
      expect(seen.map((r) => r.id).sort()).toEqual(world.creditRecords.map((r) => r.id).sort());
      const times = seen.map((r) => r.updatedAt);
      expect(times).toEqual([...times].sort());
      expect(await running.connector.recordChanges(cursor, 500)).toEqual({
        items: [],
        nextCursor: cursor,
        hasMore: false,
      });

      const changed = world.creditRecords.find((r) => r.status === 'PUBLISHED')!;
      await running.simulator.control.mutate('record', changed.id, { gszt: '已撤下' });
      const after = await running.connector.recordChanges(cursor, 500);
      expect(after.items).toEqual([{ ...expectedRecord(changed), status: 'WITHDRAWN', updatedAt: expect.any(String) }]);
      expect(after.items[0]!.updatedAt > times[times.length - 1]!).toBe(true);
      expect(after.hasMore).toBe(false);
      expect((await running.connector.recordChanges(after.nextCursor, 500)).items).toEqual([]);
    });

    it('drops a record with an unknown status, keeps the rest, logs and counts it', async () => {
      const [bad, good] = world.creditRecords.slice(-2);
      await running.simulator.control.mutate('record', bad!.id, { gszt: '已过期' });
      logger.warnings.length = 0;
      const found = await running.connector.recordsById([bad!.id, good!.id]);
      expect(found.map((r) => r.id)).toEqual([good!.id]);
      expect(logger.warnings).toEqual([
        expect.objectContaining({ system: 'credit', resource: 'record', id: bad!.id, field: 'gszt', value: '已过期' }),
      ]);
      expect(
        await metricValue(metrics, 'gateway_upstream_bad_records_total', { system: 'credit', resource: 'record' }),
      ).toBe(1);
    });

    it('names the credit system unavailable during an outage, then recovers by itself', async () => {
      await running.connector.ping();
      const some = world.creditRecords.slice(0, 5).map((r) => r.id);
      await running.outage();
      try {
        const failure = await running.connector.recordsById(some).catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(UpstreamUnavailableError);
        expect((failure as UpstreamUnavailableError).extensions).toMatchObject({
          code: 'UPSTREAM_UNAVAILABLE',
          system: 'credit',
        });
        // Enough failures open the breaker: then calls are refused at once, without waiting on the source.
        for (let i = 0; i < 5; i++) await running.connector.ping().catch(() => undefined);
        await expect(running.connector.ping()).rejects.toMatchObject({ reason: 'circuit_open', system: 'credit' });
      } finally {
        await running.recover();
      }
      await eventually(async () => {
        expect((await running.connector.recordsById(some)).map((r) => r.id).sort()).toEqual([...some].sort());
      });
    });
  });
}
