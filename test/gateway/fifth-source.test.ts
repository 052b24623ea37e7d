import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorldInspection } from '../../simulators/world/model.ts';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import {
  PROVINCIAL_PROFILE,
  provincialRecord,
  startProvincialPlatform,
  type ProvincialPlatform,
} from '../support/provincial-platform.ts';

const DAY = 86_400_000;
const PROVINCE_ONLY_ID = 'ZJSJS-2024-000001';

const INSPECTIONS = `query ($uscc: USCC!) { subject(uscc: $uscc) {
  inspections { id status outcome inspectedOn rectification { deadline } }
  timeline { events { recordId } unavailableSystems { system source code } }
} }`;

const GAPS = `query ($asOf: Date) { loopGaps(filter: { kinds: [VIOLATION_NOT_TRANSFERRED], asOf: $asOf }, first: 500) {
  gaps { kind recordId subjectUscc }
} }`;

const FRESHNESS = `{ loopIndexFreshness { system feeds { feed records } } }`;

interface InspectionsData {
  subject: {
    inspections: Array<{
      id: string;
      status: string;
      outcome: string;
      inspectedOn: string;
      rectification: { deadline: string } | null;
    }>;
    timeline: {
      events: Array<{ recordId: string }>;
      unavailableSystems: Array<{ system: string; source: string | null; code: string }>;
    };
  };
}

let gw: TestGateway;
let platform: ProvincialPlatform;
let profilesDir: string;
let uscc: string;
/** The county inspection the province also holds, updated there later (closed since). */
let newer: WorldInspection;
/** The county inspection the province holds an older copy of (still planned there). */
let older: WorldInspection;
const provincialRecords: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  platform = await startProvincialPlatform(provincialRecords);
  profilesDir = mkdtempSync(join(tmpdir(), 'extra-profiles-'));
  writeFileSync(join(profilesDir, 'zj-sjs.yaml'), PROVINCIAL_PROFILE);
  gw = await startTestGateway({
    upstreamTimeoutMs: 5_000,
    env: {
      EXTRA_PROFILES_DIR: profilesDir,
      ZJ_SJS_URL: platform.url,
      // Each source's own profile sets its resilience: the county 2000 ms, the province 300 ms and no retry.
      UPSTREAM_TIMEOUT_MS: undefined,
      UPSTREAM_RETRIES: undefined,
      LOOP_INDEX_SYNC_INTERVAL_MS: String(3_600_000),
    },
  });
  // A subject the county inspected at least twice, once without a problem and not yet closed (so the province's CLOSED shows).
  const bySubject = new Map<string, WorldInspection[]>();
  for (const i of gw.world.inspections) {
    if (i.subjectCodeKind === 'USCC' && i.status !== 'PLANNED') {
      bySubject.set(i.subjectCode, [...(bySubject.get(i.subjectCode) ?? []), i]);
    }
  }
  const [code, inspections] = [...bySubject].find(([, list]) => list.length >= 2 && list.some(isOpenWithoutProblem))!;
  uscc = code;
  newer = inspections.find(isOpenWithoutProblem)!;
  older = inspections.find((i) => i !== newer)!;
  provincialRecords.push(
    provincialRecord({ ...newer, status: 'CLOSED', updatedAt: newer.updatedAt + DAY }),
    provincialRecord({ ...older, status: 'PLANNED', updatedAt: older.updatedAt - DAY }),
    provincialRecord({
      ...newer,
      id: PROVINCE_ONLY_ID,
      taskId: 'ZJRW-2024-0001',
      kind: 'RANDOM',
      outcome: 'VIOLATION_FOUND',
      status: 'INSPECTED',
      findings: '未按规定公示许可证',
      rectification: {
        orderNo: '浙双随机整改〔2024〕1号',
        deadline: newer.inspectedOn + 15 * DAY,
        status: 'IN_PROGRESS',
      },
      updatedAt: newer.updatedAt,
    }),
  );
  // The start's own sync may have read the province before its records were there; this one reads on from its cursor.
  await gw.gateway.loop.sync.syncOnce();
  await gw.gateway.loop.sync.syncOnce();
}, 180_000);

function isOpenWithoutProblem(i: WorldInspection): boolean {
  return i.outcome === 'NO_PROBLEM' && i.status === 'INSPECTED';
}

afterAll(async () => {
  await gw?.close();
  await platform?.close();
  if (profilesDir) rmSync(profilesDir, { recursive: true, force: true });
});

describe('a provincial 双随机 platform added by its profile alone', () => {
  it("shows its inspections in Subject.inspections beside the county's, each id once", async () => {
    const { subject } = expectNoGraphQLErrors(await gw.post<InspectionsData>(INSPECTIONS, { uscc }));
    const ids = subject.inspections.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining([newer.id, older.id, PROVINCE_ONLY_ID]));
    const provincial = subject.inspections.find((i) => i.id === PROVINCE_ONLY_ID)!;
    expect(provincial).toMatchObject({ status: 'INSPECTED', outcome: 'VIOLATION_FOUND' });
    // Epoch ms and YYYY/MM/DD in, dates out.
    expect(provincial.inspectedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(provincial.rectification?.deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(subject.timeline.events.filter((e) => e.recordId === PROVINCE_ONLY_ID)).toHaveLength(1);
    expect(subject.timeline.unavailableSystems).toEqual([]);
  });

  it('keeps the copy updated last when both hold one inspection, as the loop index does', async () => {
    const { subject } = expectNoGraphQLErrors(await gw.post<InspectionsData>(INSPECTIONS, { uscc }));
    expect(subject.inspections.find((i) => i.id === newer.id)?.status).toBe('CLOSED');
    expect(subject.inspections.find((i) => i.id === older.id)?.status).toBe(older.status);
  });

  it('follows its change feed into the loop index under a cursor of its own', async () => {
    const { loopIndexFreshness } = expectNoGraphQLErrors(
      await gw.post<{ loopIndexFreshness: Array<{ system: string; feeds: Array<{ feed: string; records: number }> }> }>(
        FRESHNESS,
      ),
    );
    const feeds = loopIndexFreshness.find((f) => f.system === 'SUPERVISION')!.feeds;
    expect(feeds.map((f) => f.feed).sort()).toEqual(['supervision.inspections', 'supervision.inspections.zj-sjs']);
    expect(feeds.find((f) => f.feed === 'supervision.inspections.zj-sjs')?.records).toBe(3);
  });

  it('shows its violation that no clue followed in loopGaps', async () => {
    const { loopGaps } = expectNoGraphQLErrors(
      await gw.post<{ loopGaps: { gaps: Array<{ kind: string; recordId: string; subjectUscc: string }> } }>(GAPS, {
        asOf: gw.world.asOf,
      }),
    );
    expect(loopGaps.gaps).toContainEqual({
      kind: 'VIOLATION_NOT_TRANSFERRED',
      recordId: PROVINCE_ONLY_ID,
      subjectUscc: uscc,
    });
  });

  it("gives up on a slow province after its profile's 300 ms and still answers with the county's inspections", async () => {
    platform.mode = 'slow';
    try {
      const started = Date.now();
      const response = await gw.post<InspectionsData>(INSPECTIONS, { uscc });
      const elapsed = Date.now() - started;
      const { subject } = expectNoGraphQLErrors(response);
      expect(subject.inspections.map((i) => i.id)).toEqual(expect.arrayContaining([newer.id, older.id]));
      expect(response.body.extensions?.warnings).toContainEqual(
        expect.objectContaining({ code: 'UPSTREAM_SOURCE_UNAVAILABLE', source: 'zj-sjs', reason: 'UPSTREAM_TIMEOUT' }),
      );
      // Not the gateway's 2000 ms default, nor the county's: the province's own setting.
      expect(elapsed).toBeLessThan(1500);
    } finally {
      platform.mode = 'up';
    }
  });

  it("answers with the county's inspections when the province is down, naming it as unavailable", async () => {
    platform.mode = 'down';
    try {
      const response = await gw.post<InspectionsData>(INSPECTIONS, { uscc });
      const { subject } = expectNoGraphQLErrors(response);
      const ids = subject.inspections.map((i) => i.id);
      expect(ids).toEqual(expect.arrayContaining([newer.id, older.id]));
      expect(ids).not.toContain(PROVINCE_ONLY_ID);
      // The county's own copy, now that the province's newer one cannot be read.
      expect(subject.inspections.find((i) => i.id === newer.id)?.status).toBe(newer.status);
      expect(subject.timeline.unavailableSystems).toEqual([
        { system: 'SUPERVISION', source: 'zj-sjs', code: 'UPSTREAM_UNAVAILABLE' },
      ]);
      expect(response.body.extensions?.warnings).toContainEqual({
        code: 'UPSTREAM_SOURCE_UNAVAILABLE',
        message: expect.stringContaining('zj-sjs') as string,
        system: 'supervision',
        source: 'zj-sjs',
        resource: 'inspection',
        reason: 'UPSTREAM_UNAVAILABLE',
      });
    } finally {
      platform.mode = 'up';
    }
  });
});
