import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PowerItem } from '../../src/domain/types.ts';
import { loadWorkingDayCalendar } from '../../src/platform/holiday-calendar-file.ts';
import {
  AuthorityPerformanceService,
  type AuthorityPerformanceReport,
} from '../../src/modules/assessment/authority-performance.ts';
import type { LoopRow } from '../../src/modules/loop/loop-index-tables.ts';
import { LoopIndexStore } from '../../src/modules/loop/loop-index-store.ts';
import { LoopPerformanceStore } from '../../src/modules/assessment/loop-performance-store.ts';
import { openStore, type Store } from '../../src/platform/store/open-store.ts';

/*
 * A hand-made March 2025 (no public holiday; weekends 1–2, 8–9, 15–16, 22–23, 29–30) in township
 * 330381001 with its team TEAM and the county bureau BUREAU. Every figure below is counted by hand.
 */
const T1 = '330381001';
const T2 = '330381002';
const TEAM = '330381001-ZFD';
const BUREAU = '330381-ZHZFJ';
const at = (day: string, time = '10:00:00') => `${day}T${time}+08:00`;

function clue(
  id: string,
  receiver: string,
  received: string,
  dueOn: string,
  responded: string | null,
  status: string,
  caseNo: string | null,
): LoopRow<'clue'> {
  return {
    id,
    source: 'INSPECTION',
    inspection_id: null,
    subject_uscc: '91330381MA2G2YEE23',
    power_item_code: 'CF-0001',
    sender_code: '330381-SCJGJ',
    receiver_code: receiver,
    township_code: T1,
    received_at: at(received),
    responded_at: responded && at(responded, '15:00:00'),
    answer_due_on: dueOn,
    status,
    case_no: caseNo,
    upstream_updated_at: at(received),
  };
}

function caseRecord(
  caseNo: string,
  authority: string,
  item: string,
  filed: string,
  decided: string | null,
): LoopRow<'case'> {
  return {
    case_no: caseNo,
    clue_id: null,
    subject_uscc: '91330381MA2G2YEE23',
    power_item_code: item,
    authority_code: authority,
    township_code: T1,
    procedure: 'GENERAL',
    status: decided ? 'DECIDED' : 'INVESTIGATING',
    lenient_handling: 'NONE',
    filed_at: at(filed, '16:00:00'),
    decided_at: decided && at(decided),
    closed_at: null,
    upstream_updated_at: at(filed),
  };
}

function penalty(decisionNo: string, caseNo: string, decided: string, executed: string | null): LoopRow<'penalty'> {
  return {
    decision_no: decisionNo,
    case_no: caseNo,
    subject_uscc: '91330381MA2G2YEE23',
    kinds: ['FINE'],
    affected_permit_no: null,
    decided_at: at(decided),
    publication_due_on: decided,
    execution_status: executed ? 'EXECUTED' : 'NOT_EXECUTED',
    executed_at: executed && at(executed),
    upstream_updated_at: at(decided),
  };
}

function item(code: string, delegations: PowerItem['delegations']): PowerItem {
  return { code, name: `item ${code}`, domain: '市场监管', legalBasis: '—', delegations };
}

const POWER_ITEMS: PowerItem[] = [
  item('CF-0001', [
    { townshipCode: T1, mode: 'DELEGATED', authorityCode: TEAM, validFrom: '2022-07-01', validUntil: null },
    { townshipCode: T2, mode: 'DELEGATED', authorityCode: '330381002-ZFD', validFrom: '2022-07-01', validUntil: null },
  ]),
  item('CF-0002', [
    { townshipCode: T1, mode: 'DELEGATED', authorityCode: TEAM, validFrom: '2022-07-01', validUntil: null },
  ]),
  item('CF-0003', [
    { townshipCode: T1, mode: 'STATIONED', authorityCode: '330381-SCJGJ', validFrom: '2022-07-01', validUntil: null },
  ]),
  item('CF-0004', [
    { townshipCode: T1, mode: 'DELEGATED', authorityCode: TEAM, validFrom: '2022-07-01', validUntil: '2024-12-31' },
  ]),
];

describe('authority performance on a hand-checked month', () => {
  let store: Store;
  let report: AuthorityPerformanceReport;

  beforeAll(async () => {
    store = await openStore({ dataDir: 'memory://' });
    const index = new LoopIndexStore(store.prisma);
    await index.upsert('clue', [
      // Monday; due Monday 10th; answered Wednesday (2 working days); case filed the same day.
      clue('C1', TEAM, '2025-03-03', '2025-03-10', '2025-03-05', 'CASE_FILED', 'K1'),
      // Friday; due Friday 14th; answered Monday 17th, late (6 working days); properly returned.
      clue('C2', TEAM, '2025-03-07', '2025-03-14', '2025-03-17', 'RETURNED', null),
      // Thursday; never answered.
      clue('C3', TEAM, '2025-03-20', '2025-03-27', null, 'RECEIVED', null),
      // Monday; answered Tuesday (1 working day); not filed, which is no handling.
      clue('C4', TEAM, '2025-03-10', '2025-03-17', '2025-03-11', 'NOT_FILED', null),
      // February: outside the period.
      clue('C5', TEAM, '2025-02-27', '2025-03-06', '2025-02-28', 'CASE_FILED', 'K9'),
      // To the bureau: Tuesday, answered Thursday (2 working days) with a case filed that day.
      clue('C6', BUREAU, '2025-03-04', '2025-03-11', '2025-03-06', 'CASE_FILED', 'K2'),
    ]);
    await index.upsert('case', [
      caseRecord('K1', TEAM, 'CF-0001', '2025-03-05', '2025-03-25'), // 14 working days to decide
      caseRecord('K2', BUREAU, 'CF-0002', '2025-03-06', null),
      caseRecord('K3', TEAM, 'CF-0002', '2025-02-24', '2025-03-03'), // filed in February: 5 working days to decide
      caseRecord('K9', TEAM, 'CF-0001', '2025-02-28', null),
    ]);
    await index.upsert('penalty', [
      penalty('P1', 'K3', '2025-03-03', '2025-03-10'), // 5 working days to execute
      penalty('P2', 'K1', '2025-03-25', '2025-04-02'), // executed in April: outside the period
    ]);
    const service = new AuthorityPerformanceService(
      new LoopPerformanceStore(store.prisma),
      loadWorkingDayCalendar(),
      async () => POWER_ITEMS,
    );
    report = await service.report({ from: '2025-03-01', to: '2025-03-31' }, null);
  }, 60_000);
  afterAll(() => store?.close());

  it('counts what the township team received, answered, answered in time and handled, with the rates', () => {
    expect(report.units.find((u) => u.authorityCode === TEAM)).toMatchObject({
      townshipCode: T1,
      transfersReceived: 4,
      answered: 3,
      answeredInTime: 2,
      responseRate: '0.7500',
      inTimeRate: '0.5000',
      handled: 2,
      handlingRate: '0.5000',
    });
  });

  it("averages the team's working days per step and counts its cases decided and executed", () => {
    const team = report.units.find((u) => u.authorityCode === TEAM)!;
    expect(team.averageWorkingDays).toEqual({
      toAnswer: '3.00',
      toCaseFiled: '2.00',
      toDecision: '9.50',
      toExecution: '5.00',
    });
    expect(team.casesDecided).toBe(2);
    expect(team.casesExecuted).toBe(1);
  });

  it('gives the bureau its own row, with no average for steps nothing reached', () => {
    expect(report.units.map((u) => u.authorityCode)).toEqual([BUREAU, TEAM]);
    expect(report.units[0]).toMatchObject({
      transfersReceived: 1,
      answered: 1,
      answeredInTime: 1,
      responseRate: '1.0000',
      handled: 1,
      handlingRate: '1.0000',
      averageWorkingDays: { toAnswer: '2.00', toCaseFiled: '2.00', toDecision: null, toExecution: null },
      casesDecided: 0,
      casesExecuted: 0,
    });
  });

  it('lists per township the delegated items it exercised and those it never did (接得住)', () => {
    expect(
      report.delegatedPowers.map((t) => ({
        township: t.townshipCode,
        delegated: t.delegatedItems,
        exercised: t.exercised.map((u) => [u.item.code, u.cases]),
        never: t.neverExercised.map((i) => i.code),
      })),
    ).toEqual([
      // CF-0002's only case in March was the bureau's, not the team's; CF-0004 ended in 2024; CF-0003 is stationed.
      { township: T1, delegated: 2, exercised: [['CF-0001', 1]], never: ['CF-0002'] },
      { township: T2, delegated: 1, exercised: [], never: ['CF-0001'] },
    ]);
  });

  it('keeps to one township or one authority when asked, and refuses a period that ends before it starts', async () => {
    const service = new AuthorityPerformanceService(
      new LoopPerformanceStore(store.prisma),
      loadWorkingDayCalendar(),
      async () => POWER_ITEMS,
    );
    const bureau = await service.report({ from: '2025-03-01', to: '2025-03-31', authorityCode: BUREAU }, null);
    expect(bureau.units.map((u) => u.authorityCode)).toEqual([BUREAU]);
    const t2 = await service.report({ from: '2025-03-01', to: '2025-03-31' }, T2);
    expect(t2.units).toEqual([]);
    expect(t2.delegatedPowers.map((t) => t.townshipCode)).toEqual([T2]);
    await expect(service.report({ from: '2025-03-31', to: '2025-03-01' }, null)).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});
