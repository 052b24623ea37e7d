import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { World } from '../../simulators/index.ts';
import { isValidUscc } from '../../src/identifiers/uscc.ts';
import { creditCheckEvents, CreditCheckService, startCreditCheck } from '../../src/modules/credit-check/index.ts';
import { receiverGroups } from '../../src/modules/credit-check/credit-check-events.ts';
import type { CreditCheckRule } from '../../src/modules/credit-check/credit-check-rules.ts';
import type { Authority, Penalty } from '../../src/domain/types.ts';
import type { Connectors } from '../../src/connectors/index.ts';
import { servedAreaSource, type ServedArea } from '../../src/modules/access/index.ts';
import type { LoopIndexStore } from '../../src/modules/loop/index.ts';
import { declarationSchema } from '../../src/schema-type-defs.ts';
import { EventOutbox } from '../../src/modules/events/event-outbox.ts';
import { receiverMayRead } from '../../src/modules/events/index.ts';
import { startLoopWorld, type LoopWorld } from '../loop/support/loop-world.ts';

const OPEN_CASE = new Set(['FILED', 'INVESTIGATING', 'LEGAL_REVIEW', 'DECIDED', 'SERVED']);
const RULE_ITEMS = new Set(Array.from({ length: 14 }, (_, i) => `330381-XK-${String(i + 1).padStart(4, '0')}`));

/**
 * An executed fine of a subject nothing else restricts, holding a permit of an item the rules
 * list: making it unexecuted flips the subject from CLEAR to CONDITIONS.
 */
function executedFineOfAClearHolder(world: World) {
  const flagged = new Set<string>();
  for (const p of world.creditProfiles) if (p.grade === 'D' || p.dishonestyStatus === 'LISTED') flagged.add(p.uscc);
  for (const r of world.creditRecords)
    if (r.kind === 'COMMITMENT' && r.commitment?.fulfilment === 'BREACHED') flagged.add(r.subjectUscc);
  for (const p of world.penalties)
    if ((p.fineFen > 0 && p.executionStatus !== 'EXECUTED') || p.kinds.includes('PERMIT_REVOCATION'))
      flagged.add(p.subjectUscc);
  for (const c of world.cases) if (OPEN_CASE.has(c.status)) flagged.add(c.subjectUscc);
  const holders = (uscc: string) =>
    world.permits.filter(
      (p) => p.holderUscc === uscc && (p.status === 'VALID' || p.status === 'SUSPENDED') && RULE_ITEMS.has(p.itemCode),
    );
  const penalty = world.penalties.find(
    (p) =>
      p.fineFen > 0 &&
      p.executionStatus === 'EXECUTED' &&
      isValidUscc(p.subjectUscc) &&
      !flagged.has(p.subjectUscc) &&
      holders(p.subjectUscc).length > 0,
  )!;
  return { penalty, issuers: [...new Set(holders(penalty.subjectUscc).map((p) => p.issuerCode))].sort() };
}

describe('CREDIT_CHECK_CHANGED from the loop index sync', () => {
  let world: LoopWorld;
  /** The issuing offices read as the schema lets them (an approval bureau reads no execution status) unless a test says otherwise. */
  let officesReadEverything = false;
  const outbox = async () =>
    (
      await world.store.prisma.outboxEvent.findMany({
        orderBy: { seq: 'asc' },
        select: { kind: true, subjectUscc: true, concerns: true, payload: true },
      })
    ).filter((e) => e.kind === 'CREDIT_CHECK_CHANGED');

  beforeAll(async () => {
    const service = startCreditCheck(declarationSchema());
    world = await startLoopWorld({
      seed: 42,
      publisher: (store) => new EventOutbox(store.prisma),
      moreEvents: (connectors, servedArea) => {
        const events = creditCheckEvents({
          service,
          connectors,
          servedArea,
          today: () => '2026-11-01',
          mayRead: (authority, area) => (officesReadEverything ? () => true : receiverMayRead(authority, area)),
        });
        return { penalties: events.ofPenalties, creditRecords: events.ofCreditRecords };
      },
    });
  }, 120_000);
  afterAll(() => world?.close());

  it('publishes nothing for the first backfill', async () => {
    expect(await outbox()).toEqual([]);
  });

  it("tells the offices that issued the subject's permits nothing when a fine becomes unexecuted: they may not read Penalty.executionStatus, which the flip would tell", async () => {
    const { penalty } = executedFineOfAClearHolder(world.world);
    await world.simulators.control('enforcement').mutate('penalty', penalty.decisionNo, { EXEC_STATUS: 0 });
    await world.loop.sync.syncOnce();
    expect(await outbox()).toEqual([]);
  });

  it('publishes nothing when a change leaves the verdict as it was', async () => {
    officesReadEverything = true;
    const { penalty } = executedFineOfAClearHolder(world.world);
    await world.simulators.control('enforcement').mutate('penalty', penalty.decisionNo, { EXEC_STATUS: 2 }); // partly paid: still unexecuted
    await world.loop.sync.syncOnce();
    expect(await outbox()).toEqual([]);
  });

  it('tells offices that may read the execution status when the fine is paid and the verdict flips, naming the items only', async () => {
    officesReadEverything = true;
    const { penalty, issuers } = executedFineOfAClearHolder(world.world);
    await world.simulators.control('enforcement').mutate('penalty', penalty.decisionNo, { EXEC_STATUS: 1 });
    await world.loop.sync.syncOnce();
    const events = await outbox();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ subjectUscc: penalty.subjectUscc, concerns: issuers });
    expect(events[0]!.payload).toMatchObject({
      uscc: penalty.subjectUscc,
      cause: { kind: 'PENALTY_DECIDED', ids: [penalty.decisionNo] },
    });
    expect(Object.keys(events[0]!.payload as object).sort()).toEqual(['cause', 'items', 'rulesVersion', 'uscc']);
  });
});

describe('the offices a flip is judged for', () => {
  const office = (code: string): Authority => ({
    code,
    name: code,
    kind: 'APPROVAL_BUREAU',
    jurisdictionCode: '330381',
  });
  const authorities = new Map(['A', 'B', 'C'].map((code) => [code, office(code)]));
  const rules = [
    { id: 'OPEN_CASE', reveals: ['Case.status'] },
    { id: 'FINE_NOT_EXECUTED', reveals: ['Penalty.executionStatus'] },
  ] as unknown as CreditCheckRule[];
  const readsExecution = new Set(['A']);
  const mayReadOf = (authority: Authority) => (coordinate: string) =>
    coordinate !== 'Penalty.executionStatus' || readsExecution.has(authority.code);

  it('puts offices that may evaluate the same rules together and the others apart, leaving out offices the reference data does not know', () => {
    const groups = receiverGroups(['A', 'B', 'C', 'UNKNOWN'], authorities, rules, mayReadOf);
    expect(groups.map((group) => group.codes)).toEqual([['A'], ['B', 'C']]);
    expect(groups[0]!.mayRead('Penalty.executionStatus')).toBe(true);
    expect(groups[1]!.mayRead('Penalty.executionStatus')).toBe(false);
  });

  it('makes one group when every office may evaluate the same rules', () => {
    readsExecution.add('B').add('C');
    expect(receiverGroups(['A', 'B', 'C'], authorities, rules, mayReadOf).map((group) => group.codes)).toEqual([
      ['A', 'B', 'C'],
    ]);
  });

  it('keeps apart offices judging within different jurisdictions, though they may evaluate the same rules', () => {
    const scopeOf = (authority: Authority) =>
      authority.code === 'A' ? null : `33038100${authority.code === 'B' ? 1 : 2}`;
    const groups = receiverGroups(['A', 'B', 'C'], authorities, rules, mayReadOf, scopeOf);
    expect(groups.map((group) => [group.codes, group.jurisdictionCode])).toEqual([
      [['A'], null],
      [['B'], '330381001'],
      [['C'], '330381002'],
    ]);
  });
});

describe('the served area a flip is judged in', () => {
  const office: Authority = {
    code: '330381-XZSPJ',
    name: '瑞安市行政审批局',
    kind: 'APPROVAL_BUREAU',
    jurisdictionCode: '330381',
  };
  const uscc = '91330381MA2ABCDE1X';
  const held = {
    permitNo: 'P-1',
    itemCode: '330381-XK-0001',
    holderUscc: uscc,
    issuerCode: office.code,
    status: 'VALID',
  };
  /** Agencies that answer everything a flip reads, except the enforcement system's divisions. */
  const connectors = {
    approval: { permitsByHolder: async () => [held], permitsByNo: async () => [] },
    enforcement: {
      penaltiesBySubject: async () => [],
      casesBySubject: async () => [],
      powerItems: async () => [],
      authorities: async () => [office],
      jurisdictions: async () => {
        throw new Error('the enforcement system’s divisions are not where the served area comes from');
      },
    },
    credit: { profilesByUscc: async () => [], recordsBySubject: async () => [] },
  } as unknown as Connectors;
  const index = { client: { $queryRaw: async () => [] } } as unknown as LoopIndexStore;

  it('is the one requests are judged in (SERVED_JURISDICTION here), not one built from the enforcement system', async () => {
    const configured = servedAreaSource(['330381'], () => Promise.reject(new Error('never asked')));
    const areas: ServedArea[] = [];
    const events = creditCheckEvents({
      service: startCreditCheck(declarationSchema()),
      connectors,
      servedArea: configured,
      mayRead: (_authority, area) => {
        areas.push(area);
        return () => true;
      },
    });
    await events.ofPenalties(index, [
      { decisionNo: 'D-1', subjectUscc: uscc, updatedAt: '2026-11-01T00:00:00Z' } as Penalty,
    ]);
    expect(areas).toHaveLength(1);
    expect(areas[0]).toBe(await configured());
  });
});

describe('a flip judged for an office whose jurisdiction is one township of the served area', () => {
  /** Of the enforcement system's kind: it reads a penalty's execution as owner only where its case arose in its township. */
  const team: Authority = {
    code: '330381001-ZFD',
    name: '瑞安市安阳街道综合行政执法队',
    kind: 'TOWNSHIP_ENFORCEMENT_TEAM',
    jurisdictionCode: '330381001',
  };
  const uscc = '91330381MA2ABCDE1X';
  const held = {
    permitNo: 'P-1',
    itemCode: '330381-XK-0001',
    holderUscc: uscc,
    issuerCode: team.code,
    status: 'VALID',
  };
  const caseIn = (caseNo: string, townshipCode: string) => ({
    caseNo,
    subjectUscc: uscc,
    townshipCode,
    status: 'CLOSED',
    powerItemCode: 'X',
    filedAt: '2026-01-05T00:00:00+08:00',
  });
  const defaultCases = [caseIn('C-OWN', '330381001'), caseIn('C-ELSEWHERE', '330381002')];
  const fine = (decisionNo: string, caseNo: string, executionStatus: Penalty['executionStatus']) =>
    ({
      decisionNo,
      caseNo,
      subjectUscc: uscc,
      kinds: ['FINE'],
      fineFen: 100_000,
      confiscatedFen: 0,
      affectedPermitNo: null,
      decidedAt: '2026-03-01T10:00:00+08:00',
      executionStatus,
      executedAt: null,
      updatedAt: '2026-11-01T00:00:00Z',
    }) satisfies Penalty;

  /**
   * The events of a page holding `paid` (unexecuted before), the subject's penalties now being
   * `penalties`; the bundled rules and the cases above unless `world` says otherwise.
   */
  async function eventsOfPaying(
    paid: Penalty,
    penalties: readonly Penalty[],
    world: {
      service?: CreditCheckService;
      cases?: ReadonlyArray<ReturnType<typeof caseIn>>;
      powerItems?: unknown[];
    } = {},
  ) {
    const cases = world.cases ?? defaultCases;
    const connectors = {
      approval: {
        permitsByHolder: async () => [held],
        permitsByNo: async () => [],
        subjectsByUscc: async () => [{ uscc, townshipCode: '330381001' }],
      },
      enforcement: {
        penaltiesBySubject: async () => penalties,
        casesBySubject: async () => cases,
        casesByNo: async (nos: readonly string[]) => cases.filter((c) => nos.includes(c.caseNo)),
        powerItems: async () => world.powerItems ?? [],
        authorities: async () => [team],
      },
      credit: { profilesByUscc: async () => [], recordsBySubject: async () => [] },
    } as unknown as Connectors;
    const index = {
      client: { $queryRaw: async () => [{ decisionNo: paid.decisionNo, executionStatus: 'NOT_EXECUTED' }] },
    } as unknown as LoopIndexStore;
    const events = creditCheckEvents({
      service: world.service ?? startCreditCheck(declarationSchema()),
      connectors,
      servedArea: servedAreaSource(['330381'], () => Promise.reject(new Error('never asked'))),
      today: () => '2026-11-01',
    });
    return events.ofPenalties(index, [paid]);
  }

  it('tells it nothing when a fine whose case arose in another township is paid: it may not read that execution there', async () => {
    const paid = fine('D-ELSEWHERE', 'C-ELSEWHERE', 'EXECUTED');
    expect(await eventsOfPaying(paid, [paid])).toEqual([]);
  });

  it('tells it when a fine of its township is paid, as its creditCheck sees it, though one beyond stays unpaid', async () => {
    const paid = fine('D-OWN', 'C-OWN', 'EXECUTED');
    const events = await eventsOfPaying(paid, [paid, fine('D-ELSEWHERE', 'C-ELSEWHERE', 'NOT_EXECUTED')]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ concerns: [team.code], payload: { items: ['330381-XK-0001'] } });
  });

  it('judges open cases within its township even under a rule that declares no Case field: a case open in another township neither tells nor hides a flip', async () => {
    const bundled = startCreditCheck(declarationSchema()).rules;
    const openCase = bundled.rules.find((rule) => rule.trigger === 'OPEN_CASE_SAME_ITEM')!;
    const fineRule = bundled.rules.find((rule) => rule.trigger === 'FINE_NOT_EXECUTED')!;
    // Subject.cases is unconditional and no Case field is named: nothing in the rule confines it.
    // A rules file saying so is refused at start (a rule must name what its reasons reveal): the
    // rules are built here, past that check, as a defence the producer keeps on its own.
    const service = new CreditCheckService({
      ...bundled,
      rules: [fineRule, { ...openCase, reveals: ['Subject.cases'] }],
    });
    const openElsewhere = {
      ...caseIn('C-OPEN-ELSEWHERE', '330381002'),
      status: 'INVESTIGATING',
      powerItemCode: 'FOOD',
    };
    const paid = fine('D-OWN', 'C-OWN', 'EXECUTED');

    const events = await eventsOfPaying(paid, [paid], {
      service,
      cases: [caseIn('C-OWN', '330381001'), openElsewhere],
      // The open case is of the permit's own domain (食品经营许可: 市场监管), so it would restrict the permit.
      powerItems: [{ code: 'FOOD', name: '食品', domain: '市场监管' }],
    });

    // Within its township the paid fine was the only restriction: the verdict flips to clear, as its creditCheck says.
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ concerns: [team.code], payload: { items: ['330381-XK-0001'] } });
  });
});
