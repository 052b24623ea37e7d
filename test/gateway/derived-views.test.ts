import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatChinaInstant } from '../../src/domain/china-time.ts';
import { expectGraphQLErrors, expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startLoopIndexedGateway, type TestGateway } from '../support/gateway.ts';

/*
 * Derived views (the timeline, loop breaks and their evidence, a subject's loop, assessment
 * figures) are decided by the same rules as the fields they are computed from, and what they
 * reveal is logged like a read of those fields. Each test below failed before the views were.
 */

let gw: TestGateway;
beforeAll(async () => {
  gw = await startLoopIndexedGateway();
}, 180_000);
afterAll(() => gw?.close());

const TIMELINE = `query Timeline($uscc: USCC!) { subject(uscc: $uscc) { timeline { events { at kind recordId summary } } } }`;
type TimelineData = {
  subject: { timeline: { events: Array<{ at: string; kind: string; recordId: string; summary: string }> } };
};

const GAPS = `query Gaps($filter: LoopGapFilter) { loopGaps(filter: $filter, first: 500) {
  totalCount countsByKind { kind count } gaps { kind recordId subjectUscc evidence { record id on } } } }`;
type GapsData = {
  loopGaps: {
    totalCount: number;
    countsByKind: Array<{ kind: string; count: number }>;
    gaps: Array<{ kind: string; recordId: string; evidence: Array<{ record: string; id: string }> }>;
  };
};

async function lastLogEntry(operationName: string, authorityCode: string) {
  const log = expectNoGraphQLErrors(
    await gw.post<{
      accessLog: {
        entries: Array<{ operationName: string | null; conditionalFields: string[]; deniedFields: string[] }>;
      };
    }>(
      `query ($a: String) { accessLog(authorityCode: $a, first: 20) { entries { operationName conditionalFields deniedFields } } }`,
      { a: authorityCode },
      await gw.as('auditor'),
    ),
  );
  return log.accessLog.entries.find((e) => e.operationName === operationName)!;
}

/** Runs `use` while the analysis office holds a grant of these enforcement fields for `matter`, revoked after. */
async function withEnforcementGrant(fields: string[], matter: string, use: () => Promise<void>) {
  const grant = expectNoGraphQLErrors(
    await gw.post<{ createGrant: { id: string } }>(
      `mutation ($input: GrantInput!) { createGrant(input: $input) { id } }`,
      {
        input: {
          ownerSystem: 'ENFORCEMENT',
          consumerAuthorityCode: '330381-SJFX',
          fields,
          purpose: 'some clue fields only',
          matters: [matter],
          validFrom: '2020-01-01T00:00:00+08:00',
          validUntil: '2099-01-01T00:00:00+08:00',
        },
      },
      await gw.as('admin'),
    ),
  ).createGrant;
  try {
    await use();
  } finally {
    await gw.gateway.grants!.revoke(grant.id, 'admin@330381-SJFX', 'test over');
  }
}

describe('a subject timeline', () => {
  it('shows no execution event to a caller refused Penalty.executedAt, and logs it as read for one allowed', async () => {
    const executed = gw.world.penalties.find((p) => p.executedAt !== null && p.subjectUscc.startsWith('9'))!;
    const at = formatChinaInstant(executed.executedAt!);
    const analyst = await gw.post<TimelineData>(
      TIMELINE,
      { uscc: executed.subjectUscc },
      await gw.as('county-analyst'),
    );
    const analystEvents = expectNoGraphQLErrors(analyst).subject.timeline.events;
    expect(analystEvents.some((e) => e.kind === 'PENALTY_DECIDED' && e.recordId === executed.decisionNo)).toBe(true);
    expect(analystEvents.filter((e) => e.kind === 'PENALTY_EXECUTED')).toEqual([]);
    expect(JSON.stringify(analyst.body)).not.toContain(`"${at}"`);
    expect((await lastLogEntry('Timeline', '330381-SJFX')).deniedFields).toContain('Penalty.executedAt');

    const enforcement = expectNoGraphQLErrors(
      await gw.post<TimelineData>(TIMELINE, { uscc: executed.subjectUscc }, await gw.as('county-enforcement')),
    );
    expect(enforcement.subject.timeline.events).toContainEqual(
      expect.objectContaining({ kind: 'PENALTY_EXECUTED', at, recordId: executed.decisionNo }),
    );
    expect((await lastLogEntry('Timeline', '330381-ZHZFJ')).conditionalFields).toContain('Penalty.executedAt');
  });
});

describe('loop breaks', () => {
  it('give a permit officer no unanswered clue, counted or listed, while Subject.clues is refused to it', async () => {
    const filter = { kinds: ['CLUE_UNANSWERED'], asOf: gw.world.asOf };
    const permit = await gw.post<GapsData>(GAPS, { filter }, await gw.as('permit-officer'));
    expect(expectNoGraphQLErrors(permit).loopGaps).toEqual({ totalCount: 0, countsByKind: [], gaps: [] });
    const clueIds = gw.world.manifest.filter((m) => m.kind === 'CLUE_UNANSWERED').map((m) => m.refs['clueId']!);
    expect(clueIds.length).toBeGreaterThan(0);
    for (const id of clueIds) expect(JSON.stringify(permit.body)).not.toContain(id);
    expect((await lastLogEntry('Gaps', '330381-XZSPJ')).deniedFields).toContain('Subject.clues');

    const enforcement = expectNoGraphQLErrors(
      await gw.post<GapsData>(GAPS, { filter }, await gw.as('county-enforcement')),
    );
    expect(enforcement.loopGaps.gaps.map((g) => g.recordId)).toEqual(expect.arrayContaining(clueIds));
    expect((await lastLogEntry('Gaps', '330381-ZHZFJ')).conditionalFields).toEqual(
      expect.arrayContaining(['Subject.clues', 'Clue.id']),
    );
  });

  it('cite no evidence record of a kind the caller may not read, and keep the breaks whose sources it may', async () => {
    const analyst = expectNoGraphQLErrors(
      await gw.post<GapsData>(GAPS, { filter: { asOf: gw.world.asOf } }, await gw.as('county-analyst')),
    );
    const kinds = new Set(analyst.loopGaps.gaps.map((g) => g.kind));
    expect(kinds.has('PUBLICITY_OVERDUE')).toBe(true);
    expect(kinds.has('CLUE_UNANSWERED')).toBe(false);
    expect(kinds.has('VIOLATION_NOT_TRANSFERRED')).toBe(false);
    expect(analyst.loopGaps.gaps.flatMap((g) => g.evidence).filter((e) => e.record === 'CLUE')).toEqual([]);
    const everything = expectNoGraphQLErrors(
      await gw.post<GapsData>(GAPS, { filter: { asOf: gw.world.asOf } }, await gw.as('county-enforcement')),
    );
    expect(everything.loopGaps.totalCount).toBe(gw.world.manifest.length);
  });

  it('name each kind they leave out and the rule, the same whether or not such breaks exist, so none never means none found', async () => {
    const WITHHELD = `query Withheld($filter: LoopGapFilter) { loopGaps(filter: $filter, first: 1) {
      totalCount withheld { kind rule field } } }`;
    type WithheldData = {
      loopGaps: { totalCount: number; withheld: Array<{ kind: string; rule: string; field: string }> };
    };
    const asked = (kinds: string[], asOf: string) => ({ filter: { kinds, asOf } });
    const analyst = await gw.as('county-analyst');
    // Today there are unanswered clues; on the first day of 2000 there are none. The answer must not tell them apart.
    const now = expectNoGraphQLErrors(
      await gw.post<WithheldData>(
        WITHHELD,
        asked(['VIOLATION_NOT_TRANSFERRED', 'CLUE_UNANSWERED'], gw.world.asOf),
        analyst,
      ),
    ).loopGaps;
    const then = expectNoGraphQLErrors(
      await gw.post<WithheldData>(
        WITHHELD,
        asked(['VIOLATION_NOT_TRANSFERRED', 'CLUE_UNANSWERED'], '2000-01-01'),
        analyst,
      ),
    ).loopGaps;
    expect(now.totalCount).toBe(0);
    expect(now.withheld.map((w) => w.kind).sort()).toEqual(['CLUE_UNANSWERED', 'VIOLATION_NOT_TRANSFERRED']);
    for (const w of now.withheld) expect(w.rule).toMatch(/^[a-z-]+$/);
    expect(then.withheld).toEqual(now.withheld);
    expect((await lastLogEntry('Withheld', '330381-SJFX')).deniedFields.length).toBeGreaterThan(0);

    // A kind the caller may see is never listed; with every kind asked, only the refused ones are.
    const all = expectNoGraphQLErrors(
      await gw.post<WithheldData>(WITHHELD, { filter: { asOf: gw.world.asOf } }, analyst),
    ).loopGaps;
    expect(all.withheld.map((w) => w.kind)).not.toContain('PUBLICITY_OVERDUE');
    expect(all.withheld.map((w) => w.kind)).toEqual(expect.arrayContaining(['CLUE_UNANSWERED']));
    const enforcement = expectNoGraphQLErrors(
      await gw.post<WithheldData>(WITHHELD, { filter: { asOf: gw.world.asOf } }, await gw.as('county-enforcement')),
    ).loopGaps;
    expect(enforcement.withheld).toEqual([]);
  });
  it("withhold unanswered clues from a caller granted every clue field of the kind but the clue's township, which the break's place would tell", async () => {
    const planted = gw.world.manifest.find((m) => m.kind === 'CLUE_UNANSWERED')!;
    const matter = '核查 瑞综执立〔2026〕882号';
    const declared = ['Subject.clues', 'Clue.id', 'Clue.subjectUscc', 'Clue.receiver', 'Clue.receivedAt'];
    await withEnforcementGrant([...declared, 'Clue.respondedAt', 'Clue.status'], matter, async () => {
      const query = `query Township($filter: LoopGapFilter) { loopGaps(filter: $filter, first: 500) {
        gaps { recordId townshipCode } withheld { kind field } } }`;
      type Data = {
        loopGaps: { gaps: Array<{ recordId: string; townshipCode: string }>; withheld: Array<{ field: string }> };
      };
      const filter = { kinds: ['CLUE_UNANSWERED'], asOf: gw.world.asOf };
      const granted = expectNoGraphQLErrors(
        await gw.post<Data>(query, { filter }, await gw.as('county-analyst', matter)),
      ).loopGaps;
      expect(granted.gaps.map((g) => g.recordId)).not.toContain(planted.refs['clueId']);
      expect(granted.withheld).toEqual([{ kind: 'CLUE_UNANSWERED', field: 'Clue.township' }]);
    });
  });
});

describe("a subject's loop", () => {
  it('counts the enforcement stage without clues for a caller refused them, and shows no clue break', async () => {
    const planted = gw.world.manifest.find((m) => m.kind === 'CLUE_UNANSWERED')!;
    const query = `query Loop($uscc: USCC!, $asOf: Date) { subject(uscc: $uscc) { loop(asOf: $asOf) { stages { stage status records open } gaps { kind recordId } } } }`;
    type LoopData = {
      subject: {
        loop: {
          stages: Array<{ stage: string; status: string; records: number; open: number }>;
          gaps: Array<{ recordId: string }>;
        };
      };
    };
    const variables = { uscc: planted.subjectUscc, asOf: gw.world.asOf };
    const analyst = await gw.post<LoopData>(query, variables, await gw.as('county-analyst'));
    const enforcement = expectNoGraphQLErrors(
      await gw.post<LoopData>(query, variables, await gw.as('county-enforcement')),
    );
    const stage = (data: LoopData) => data.subject.loop.stages.find((s) => s.stage === 'ENFORCEMENT')!;
    const clues = gw.world.clues.filter((c) => c.subjectUscc === planted.subjectUscc).length;
    expect(clues).toBeGreaterThan(0);
    expect(stage(expectNoGraphQLErrors(analyst)).records).toBe(stage(enforcement).records - clues);
    expect(stage(enforcement).status).toBe('BROKEN');
    expect(JSON.stringify(analyst.body)).not.toContain(planted.refs['clueId']!);
  });
  it("counts no clue in a stage for a caller granted a clue's id and receipt but not its status, which its open count would tell", async () => {
    const open = gw.world.clues.find((c) => c.status === 'RECEIVED' || c.status === 'ACCEPTED')!;
    const matter = '核查 瑞综执立〔2026〕881号';
    await withEnforcementGrant(['Subject.clues', 'Clue.id', 'Clue.receivedAt'], matter, async () => {
      const query = `query Loop($uscc: USCC!) { subject(uscc: $uscc) { clues { id status } loop { stages { stage records open } } } }`;
      type LoopData = {
        subject: { clues: null; loop: { stages: Array<{ stage: string; records: number; open: number }> } };
      };
      const granted = await gw.post<LoopData>(query, { uscc: open.subjectUscc }, await gw.as('county-analyst', matter));
      // The clue's status itself is refused ...
      expect(expectGraphQLErrors(granted).map((e) => e.extensions?.['field'])).toContain('Clue.status');
      // ... so the enforcement stage is counted as for a caller refused clues: from cases and penalties alone.
      const refused = await gw.post<LoopData>(query, { uscc: open.subjectUscc }, await gw.as('county-analyst'));
      const stage = (data: LoopData) => data.subject.loop.stages.find((s) => s.stage === 'ENFORCEMENT')!;
      expect(stage(granted.body.data!)).toEqual(stage(refused.body.data!));
    });
  });
});

describe('assessment figures', () => {
  it('refuse figures computed from clues and executions with FORBIDDEN and the rule, and give those from cases', async () => {
    const query = `query Performance($period: LoopPeriod!) { authorityPerformance(period: $period) {
      units { authorityCode transfersReceived responseRate casesDecided casesExecuted averageWorkingDays { toAnswer toDecision toExecution } } } }`;
    type Unit = {
      authorityCode: string;
      transfersReceived: number | null;
      casesDecided: number;
      casesExecuted: number | null;
    };
    const period = { from: '2025-01-01', to: '2025-12-31' };
    const analyst = await gw.post<{ authorityPerformance: { units: Unit[] } }>(
      query,
      { period },
      await gw.as('county-analyst'),
    );
    const units = analyst.body.data!.authorityPerformance.units;
    expect(units.length).toBeGreaterThan(0);
    expect(units.every((u) => u.transfersReceived === null && u.casesExecuted === null && u.casesDecided > 0)).toBe(
      true,
    );
    const refused = expectGraphQLErrors(analyst);
    expect(
      refused.every((e) => e.extensions?.['code'] === 'FORBIDDEN' && e.extensions['rule'] === 'purpose-required'),
    ).toBe(true);
    expect(new Set(refused.map((e) => e.path!.at(-1)))).toEqual(
      new Set(['transfersReceived', 'responseRate', 'casesExecuted', 'toAnswer', 'toExecution']),
    );

    const enforcement = expectNoGraphQLErrors(
      await gw.post<{ authorityPerformance: { units: Unit[] } }>(query, { period }, await gw.as('county-enforcement')),
    );
    expect(
      enforcement.authorityPerformance.units.reduce((sum, u) => sum + (u.transfersReceived ?? 0), 0),
    ).toBeGreaterThan(0);
  });
});

describe('warnings about records left out', () => {
  it('report a dropped clue without its id, which could name a record outside the caller jurisdiction', async () => {
    const clue = gw.world.clues.find(
      (c) =>
        c.townshipCode === '330381001' && gw.world.clues.filter((o) => o.subjectUscc === c.subjectUscc).length >= 2,
    )!;
    await gw.simulators.control('enforcement').mutate('clue', clue.id, { STATUS: 99 });
    const query = `query Clues($u: USCC!) { subject(uscc: $u) { clues { id } } }`;
    for (const preset of ['county-enforcement', 'township-officer']) {
      const response = await gw.post<{ subject: { clues: Array<{ id: string }> } }>(
        query,
        { u: clue.subjectUscc },
        await gw.as(preset),
      );
      expect(response.body.data!.subject.clues.map((c) => c.id)).not.toContain(clue.id);
      expect(response.body.extensions?.warnings).toContainEqual(
        expect.objectContaining({ code: 'UPSTREAM_RECORD_DROPPED', resource: 'clue', id: null }),
      );
      expect(JSON.stringify(response.body)).not.toContain(clue.id);
    }
  });
});
