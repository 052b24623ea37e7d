import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findDemoPreset, type DemoPreset } from '../../src/auth/demo-presets.ts';
import type { World } from '../../simulators/index.ts';
import { expectGraphQLErrors, expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
});
afterAll(() => gw?.close());

/** The township the demo township team (安阳街道) serves. */
const TEAM_TOWNSHIP = findDemoPreset('township-officer')!.jurisdictionCode;
const MATTER = '瑞综执立〔2026〕101号';

/** A penalty whose case arose inside or outside the team's township, optionally one already executed. */
function penaltyWhoseCase(world: World, inside: boolean, executed = false) {
  const township = new Map(world.cases.map((c) => [c.caseNo, c.townshipCode]));
  const penalty = world.penalties.find(
    (p) => (township.get(p.caseNo) === TEAM_TOWNSHIP) === inside && (!executed || p.executedAt !== null),
  );
  if (!penalty) throw new Error(`the world has no penalty of a case ${inside ? 'inside' : 'outside'} ${TEAM_TOWNSHIP}`);
  return penalty;
}

const penaltyQuery = `query ($d: ID!) { penalty(decisionNo: $d) { decisionNo executionStatus executedAt } }`;
type PenaltyAnswer = { penalty: { decisionNo: string; executionStatus: string; executedAt: string | null } | null };

describe("a township team reads its own system's conditional fields only on records of its township", () => {
  it('reads the execution status of a penalty whose case arose in its township, without purpose or grant', async () => {
    const penalty = penaltyWhoseCase(gw.world, true);
    const data = expectNoGraphQLErrors(
      await gw.post<PenaltyAnswer>(penaltyQuery, { d: penalty.decisionNo }, await gw.as('township-officer')),
    );
    expect(data.penalty?.executionStatus).toBe(penalty.executionStatus);
  });

  it('is refused the execution status of a penalty whose case arose in another township of the county', async () => {
    const penalty = penaltyWhoseCase(gw.world, false, true);
    const response = await gw.post<PenaltyAnswer>(
      penaltyQuery,
      { d: penalty.decisionNo },
      await gw.as('township-officer'),
    );
    const errors = expectGraphQLErrors(response);
    expect(errors.map((error) => error.extensions?.['field'])).toEqual(
      expect.arrayContaining(['Penalty.executionStatus', 'Penalty.executedAt']),
    );
    expect(errors.map((error) => error.extensions?.['rule'])).toContain('purpose-required');
  });

  it('with a purpose but no grant, is refused it like every consumer without an agreement', async () => {
    const penalty = penaltyWhoseCase(gw.world, false);
    const [error] = expectGraphQLErrors(
      await gw.post(penaltyQuery, { d: penalty.decisionNo }, await gw.as('township-officer', MATTER)),
    );
    expect(error?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'no-grant' });
  });

  it('is refused it on that penalty when it reaches it through a subject, while reading it on its own', async () => {
    const outside = penaltyWhoseCase(gw.world, false);
    const response = await gw.post<{ subject: { penalties: Array<{ executionStatus: string }> | null } }>(
      `query ($u: USCC!) { subject(uscc: $u) { penalties { decisionNo executionStatus } } }`,
      { u: outside.subjectUscc },
      await gw.as('township-officer'),
    );
    expect(expectGraphQLErrors(response)[0]?.extensions).toMatchObject({ field: 'Penalty.executionStatus' });
    expect(JSON.stringify(response.body)).not.toContain(outside.executionStatus);
  });

  it('leaves the county bureau reading every penalty’s execution status in the county', async () => {
    const county = await gw.as('county-enforcement');
    for (const inside of [true, false]) {
      const penalty = penaltyWhoseCase(gw.world, inside);
      const data = expectNoGraphQLErrors(await gw.post<PenaltyAnswer>(penaltyQuery, { d: penalty.decisionNo }, county));
      expect(data.penalty?.executionStatus).toBe(penalty.executionStatus);
    }
  });

  it('costs the township team one enforcement request to place the penalties of a list, and the county none', async () => {
    const subject = penaltyWhoseCase(gw.world, false).subjectUscc;
    const query = `query ($u: USCC!) { subject(uscc: $u) { penalties { executionStatus } } }`;
    const enforcementRequests = async (preset: string) => {
      const headers = await gw.as(preset);
      const before = (await gw.upstreamRequestCounts()).enforcement;
      await gw.post(query, { u: subject }, headers);
      return (await gw.upstreamRequestCounts()).enforcement - before;
    };
    const county = await enforcementRequests('county-enforcement');
    expect(await enforcementRequests('township-officer')).toBe(county + 1);
  });

  it('shows no execution of another township’s penalty in a subject’s timeline', async () => {
    const outside = penaltyWhoseCase(gw.world, false, true);
    const data = expectNoGraphQLErrors(
      await gw.post<{ subject: { timeline: { events: Array<{ kind: string; recordId: string }> } } }>(
        `query ($u: USCC!) { subject(uscc: $u) { timeline { events { kind recordId } } } }`,
        { u: outside.subjectUscc },
        await gw.as('township-officer'),
      ),
    );
    expect(data.subject.timeline.events).not.toContainEqual({ kind: 'PENALTY_EXECUTED', recordId: outside.decisionNo });
  });
});

describe('a township team’s timeline while the enforcement system fails to place a penalty', () => {
  const timelineQuery = `query ($u: USCC!) { subject(uscc: $u) {
    timeline { events { kind recordId } unavailableSystems { system source code } } } }`;
  type TimelineAnswer = {
    subject: {
      timeline: {
        events: Array<{ kind: string; recordId: string }>;
        unavailableSystems: Array<{ system: string; source: string | null; code: string }>;
      };
    };
  };
  const enforcement = () => gw.simulators.control('enforcement');
  afterEach(() => enforcement().clearFaults());

  /** Until the simulator has been asked (not yet answered) once for each of these paths. */
  async function untilAsked(paths: readonly string[]): Promise<void> {
    for (;;) {
      const { requests } = await enforcement().stats();
      if (paths.every((path) => (requests[`POST ${path}`] ?? 0) + (requests[`GET ${path}`] ?? 0) > 0)) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  it('hides the events it could not place and names enforcement unavailable, instead of failing the timeline', async () => {
    const penalty = penaltyWhoseCase(gw.world, true, true);
    const headers = await gw.as('township-officer');
    const placed = expectNoGraphQLErrors(
      await gw.post<TimelineAnswer>(timelineQuery, { u: penalty.subjectUscc }, headers),
    );
    expect(placed.subject.timeline.events).toContainEqual({ kind: 'PENALTY_EXECUTED', recordId: penalty.decisionNo });

    // The subject's clues, cases and penalties are asked for before the failure and answered after
    // it; the case each penalty is placed by is asked for once the system fails.
    await enforcement().resetStats();
    await enforcement().setFaults({ latencyMs: 600 });
    const answer = gw.post<TimelineAnswer>(timelineQuery, { u: penalty.subjectUscc }, headers);
    await untilAsked(['/zf/api/CLUE/BATCH', '/zf/api/CASE/BATCH', '/zf/api/PENALTY/BATCH']);
    await enforcement().setFaults({ latencyMs: 0, errorRate: 1 });

    const { timeline } = expectNoGraphQLErrors(await answer).subject;
    expect(timeline.unavailableSystems).toEqual([
      { system: 'ENFORCEMENT', source: null, code: 'UPSTREAM_UNAVAILABLE' },
    ]);
    expect(timeline.events).not.toContainEqual({ kind: 'PENALTY_EXECUTED', recordId: penalty.decisionNo });
    // Cases are confined, never placed: they are still shown.
    expect(timeline.events).toContainEqual({ kind: 'CASE_FILED', recordId: penalty.caseNo });
  });
});

/** An approval office of one township: of the approval platform's kind, with a township's jurisdiction. */
const townshipApprovalOffice: DemoPreset = {
  ...findDemoPreset('permit-officer')!,
  authorityCode: '330381001-XZSPJ',
  authorityName: '瑞安市安阳街道便民服务中心',
  jurisdictionCode: TEAM_TOWNSHIP,
  subject: 'permit-officer-of-330381001',
};

describe('personal fields its system owns open to a township office only for subjects of its township', () => {
  const query = `query ($u: USCC!) { subject(uscc: $u) { legalRepresentative { idNumber } } }`;
  type Answer = { subject: { legalRepresentative: { idNumber: string } | null } };

  it("reads the legal representative's identity number of a subject registered in its township", async () => {
    const enterprise = gw.world.enterprises.find((e) => e.townshipCode === TEAM_TOWNSHIP)!;
    const data = expectNoGraphQLErrors(
      await gw.post<Answer>(query, { u: enterprise.uscc }, await gw.as(townshipApprovalOffice)),
    );
    expect(data.subject.legalRepresentative?.idNumber).toBe(enterprise.legalRepIdNumber);
  });

  it('sees it only masked for a subject of another township, with a purpose and no grant', async () => {
    const enterprise = gw.world.enterprises.find((e) => e.townshipCode !== TEAM_TOWNSHIP)!;
    const response = await gw.post<Answer>(query, { u: enterprise.uscc }, await gw.as(townshipApprovalOffice, MATTER));
    const data = expectNoGraphQLErrors(response);
    expect(data.subject.legalRepresentative?.idNumber).toBe(
      `${enterprise.legalRepIdNumber.slice(0, 4)}**********${enterprise.legalRepIdNumber.slice(-4)}`,
    );
    expect(JSON.stringify(response.body)).not.toContain(enterprise.legalRepIdNumber);
  });
});
