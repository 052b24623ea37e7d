import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators } from '../../simulators/index.ts';
import type { Simulators } from '../../simulators/index.ts';
import type { World } from '../../simulators/index.ts';
import { createConnectors } from '../../src/connectors/index.ts';
import type { Connectors } from '../../src/connectors/index.ts';
import { dateFromEpochMs, instantFromEpochMs } from '../../src/connectors/mapping/index.ts';
import type { CreditRecord, Inspection, Penalty, Permit, Subject } from '../../src/domain/types.ts';
import { createMetrics } from '../../src/platform/metrics.ts';
import type { Metrics } from '../../src/platform/metrics.ts';
import { metricValue } from './metric-values.ts';

/**
 * The connectors against the real simulators: every record of a batch lookup arrives, none is
 * dropped, and each maps to exactly the world record the simulator rendered in its format.
 */

let simulators: Simulators;
let world: World;
let connectors: Connectors;
let metrics: Metrics;

beforeAll(async () => {
  simulators = await startSimulators({ scale: 1 });
  world = simulators.world;
  metrics = createMetrics();
  const { urls } = simulators;
  connectors = createConnectors(
    {
      approval: { baseUrl: urls.approval },
      supervision: { baseUrl: urls.supervision },
      enforcement: { baseUrl: urls.enforcement },
      credit: { baseUrl: urls.credit },
    },
    metrics,
  );
});

afterAll(() => simulators.close());

const date = (ms: number) => dateFromEpochMs('world', ms);
const instant = (ms: number) => instantFromEpochMs('world', ms);
const nullableDate = (ms: number | null) => (ms === null ? null : date(ms));
const nullableInstant = (ms: number | null) => (ms === null ? null : instant(ms));
const byKey =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a).localeCompare(key(b));

async function expectNothingDropped(system: string): Promise<void> {
  expect(await metricValue(metrics, 'gateway_upstream_bad_records_total', { system })).toBe(0);
}

describe('connectors against the simulators', () => {
  it('approval: looks up 500 subjects and the permits of 300 holders exactly as the world holds them', async () => {
    const enterprises = world.enterprises.slice(0, 500);
    const subjects = await connectors.approval.subjectsByUscc(enterprises.map((e) => e.uscc));
    const expectedSubjects: Subject[] = enterprises.map((e) => ({
      uscc: e.uscc,
      legacyRegNo: e.legacyRegNo,
      name: e.name,
      kind: e.kind,
      townshipCode: e.townshipCode,
      industryCode: e.industryCode,
      establishedOn: date(e.establishedOn),
      address: e.address,
      legalRepresentative: { name: e.legalRepName, idNumber: e.legalRepIdNumber, phone: e.legalRepPhone },
      updatedAt: instant(e.updatedAt),
    }));
    expect(subjects.sort(byKey((s) => s.uscc))).toEqual(expectedSubjects.sort(byKey((s) => s.uscc)));

    const holders = new Set(world.enterprises.slice(0, 300).map((e) => e.uscc));
    const permits = await connectors.approval.permitsByHolder([...holders]);
    const expectedPermits: Permit[] = world.permits
      .filter((p) => holders.has(p.holderUscc))
      .map((p) => ({
        permitNo: p.permitNo,
        itemCode: p.itemCode,
        itemName: p.itemName,
        holderUscc: p.holderUscc,
        issuerCode: p.issuerCode,
        decidedAt: instant(p.decidedAt),
        validFrom: date(p.validFrom),
        validUntil: nullableDate(p.validUntil),
        status: p.status,
        commitmentBased: p.commitmentBased,
        verificationDueOn: nullableDate(p.verificationDueOn),
        updatedAt: instant(p.updatedAt),
      }));
    expect(expectedPermits.length).toBeGreaterThan(0);
    expect(permits.sort(byKey((p) => p.permitNo))).toEqual(expectedPermits.sort(byKey((p) => p.permitNo)));
    await expectNothingDropped('approval');
  });

  it('supervision: looks up inspections by USCCs and legacy numbers mixed, keeping how each names its subject', async () => {
    const codes = new Set(world.inspections.slice(0, 400).map((i) => i.subjectCode));
    expect(world.inspections.slice(0, 400).some((i) => i.subjectCodeKind === 'LEGACY_REG_NO')).toBe(true);
    const inspections = await connectors.supervision.inspectionsBySubjectCode([...codes]);
    const expected: Inspection[] = world.inspections
      .filter((i) => codes.has(i.subjectCode))
      .map((i) => ({
        id: i.id,
        taskId: i.taskId,
        subject: { kind: i.subjectCodeKind, value: i.subjectCode },
        subjectName: i.subjectName,
        permitNo: i.permitNo,
        kind: i.kind,
        inspectedOn: date(i.inspectedOn),
        leadAuthorityCode: i.leadAuthorityCode,
        authorityCodes: [...i.authorityCodes],
        townshipCode: i.townshipCode,
        outcome: i.outcome,
        status: i.status,
        findings: i.findings,
        rectification: i.rectification && {
          orderNo: i.rectification.orderNo,
          deadline: date(i.rectification.deadline),
          status: i.rectification.status,
        },
        updatedAt: instant(i.updatedAt),
      }));
    expect(inspections.sort(byKey((i) => i.id))).toEqual(expected.sort(byKey((i) => i.id)));
    await expectNothingDropped('supervision');
  });

  it('enforcement: looks up every penalty, clue and case, and reads the reference data whole', async () => {
    const penalties = await connectors.enforcement.penaltiesByDecisionNo(world.penalties.map((p) => p.decisionNo));
    const expectedPenalties: Penalty[] = world.penalties.map((p) => ({
      decisionNo: p.decisionNo,
      caseNo: p.caseNo,
      subjectUscc: p.subjectUscc,
      kinds: [...p.kinds],
      fineFen: p.fineFen,
      confiscatedFen: p.confiscatedFen,
      affectedPermitNo: p.affectedPermitNo,
      decidedAt: instant(p.decidedAt),
      executionStatus: p.executionStatus,
      executedAt: nullableInstant(p.executedAt),
      updatedAt: instant(p.updatedAt),
    }));
    expect(penalties.sort(byKey((p) => p.decisionNo))).toEqual(expectedPenalties.sort(byKey((p) => p.decisionNo)));

    const clues = await connectors.enforcement.cluesById(world.clues.map((c) => c.id));
    expect(clues.map((c) => c.id).sort()).toEqual(world.clues.map((c) => c.id).sort());
    const cases = await connectors.enforcement.casesByNo(world.cases.map((c) => c.caseNo));
    expect(cases.map((c) => c.status).sort()).toEqual(world.cases.map((c) => c.status).sort());

    expect(await connectors.enforcement.jurisdictions()).toEqual(expect.arrayContaining(world.jurisdictions));
    expect(await connectors.enforcement.authorities()).toHaveLength(world.authorities.length);
    const items = await connectors.enforcement.powerItems();
    expect(items.map((item) => item.delegations.length)).toEqual(
      world.powerItems.map((item) => item.delegations.length),
    );
    await expectNothingDropped('enforcement');
  });

  it('credit: looks up every credit record with its 万元 fine converted to exactly the world’s fen', async () => {
    const records = await connectors.credit.recordsById(world.creditRecords.map((r) => r.id));
    const expected: CreditRecord[] = world.creditRecords.map((r) => ({
      id: r.id,
      kind: r.kind,
      subjectUscc: r.subjectUscc,
      decisionNo: r.decisionNo,
      fineFen: r.fineFen,
      authorityName: r.authorityName,
      publishedOn: date(r.publishedOn),
      publicityEndsOn: nullableDate(r.publicityEndsOn),
      status: r.status,
      commitment: r.commitment && { ...r.commitment },
      updatedAt: instant(r.updatedAt),
    }));
    expect(records.sort(byKey((r) => r.id))).toEqual(expected.sort(byKey((r) => r.id)));

    const profiles = await connectors.credit.profilesByUscc(world.creditProfiles.slice(0, 500).map((p) => p.uscc));
    expect(profiles).toHaveLength(500);
    await expectNothingDropped('credit');
  });

  it('pings every system and reads the first page of each change feed', async () => {
    await Promise.all([
      connectors.approval.ping(),
      connectors.supervision.ping(),
      connectors.enforcement.ping(),
      connectors.credit.ping(),
    ]);
    const approval = await connectors.approval.subjectChanges(null, 100);
    expect(approval.items).toHaveLength(100);
    const next = await connectors.approval.subjectChanges(approval.nextCursor, 100);
    expect(next.items[0]?.uscc).not.toBe(approval.items[0]?.uscc);
    const credit = await connectors.credit.subjectChanges(null, 50);
    expect(credit.items).toHaveLength(50);
    expect(credit.items.every((entry) => entry.townshipCode === null && entry.source === 'credit')).toBe(true);
    const penalties = await connectors.enforcement.penaltyChanges(null, 20);
    expect(penalties.items).toHaveLength(20);
  });
});
