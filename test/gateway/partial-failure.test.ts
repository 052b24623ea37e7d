import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
let uscc: string;
beforeAll(async () => {
  // The usual timeout: on a loaded machine a healthy agency can take longer than a short one,
  // and these tests need every system but the failed one to answer.
  gw = await startTestGateway();
  const response = await gw.post<{ subjects: { nodes: Array<{ uscc: string; permits: unknown[] }> } }>(
    `{ subjects(first: 50, filter: { usccValid: true }) { nodes { uscc permits { permitNo } } } }`,
  );
  uscc = response.body.data!.subjects.nodes.find((n) => n.permits.length > 0)!.uscc;
});
afterEach(async () => {
  for (const system of ['approval', 'supervision', 'enforcement', 'credit'] as const) {
    await gw.simulators.control(system).clearFaults();
  }
});
afterAll(() => gw?.close());

const lifecycle = `query ($uscc: USCC!) { subject(uscc: $uscc) {
  name permits { permitNo } inspections { id } cases { caseNo }
  credit { grade }
  timeline { events { stage } unavailableSystems { system code } }
} }`;

describe('when one agency system fails', () => {
  it('answers everything the others hold, with the missing part null and an error naming the system', async () => {
    await gw.simulators.control('credit').setFaults({ down: true });
    const response = await gw.post<{
      subject: {
        name: string;
        permits: unknown[];
        credit: null;
        timeline: { events: Array<{ stage: string }>; unavailableSystems: Array<{ system: string; code: string }> };
      };
    }>(lifecycle, { uscc });

    const subject = response.body.data!.subject;
    expect(subject.name.length).toBeGreaterThan(0);
    expect(subject.permits.length).toBeGreaterThan(0);
    expect(subject.credit).toBeNull();
    const errors = expectGraphQLErrors(response);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      path: ['subject', 'credit'],
      extensions: { code: 'UPSTREAM_UNAVAILABLE', system: 'credit' },
    });
    expect(subject.timeline.unavailableSystems).toEqual([{ system: 'CREDIT', code: 'UPSTREAM_UNAVAILABLE' }]);
    expect(subject.timeline.events.some((e) => e.stage === 'APPROVAL')).toBe(true);
    expect(subject.timeline.events.some((e) => e.stage === 'CREDIT')).toBe(false);
  });

  it('says UPSTREAM_UNAVAILABLE when the system answers with server errors', async () => {
    await gw.simulators.control('enforcement').setFaults({ errorRate: 1 });
    const response = await gw.post(lifecycle, { uscc });
    const errors = expectGraphQLErrors(response);
    expect(errors.find((e) => e.path?.join('.') === 'subject.cases')?.extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      system: 'enforcement',
    });
  });

  it('still finds the subject through the registry while the approval platform is down', async () => {
    await gw.simulators.control('approval').setFaults({ down: true });
    const response = await gw.post<{ subject: { name: string; permits: null; credit: { grade: string } } }>(lifecycle, {
      uscc,
    });
    expect(response.body.data!.subject.name.length).toBeGreaterThan(0);
    expect(response.body.data!.subject.permits).toBeNull();
    expect(response.body.data!.subject.credit.grade).toMatch(/^[ABCD]$/);
  });
});

describe('when an agency never answers', () => {
  // A short timeout of its own, so giving up is quick to observe.
  let quick: TestGateway;
  beforeAll(async () => {
    quick = await startTestGateway({ upstreamTimeoutMs: 300, upstreamRetries: 1 });
  });
  afterAll(() => quick?.close());

  it('gives up on a system that never answers within its timeout, and answers the rest', async () => {
    await quick.simulators.control('supervision').setFaults({ timeoutRate: 1 });
    const started = performance.now();
    const response = await quick.post<{ subject: { permits: unknown[]; inspections: null } }>(lifecycle, { uscc });
    const elapsed = performance.now() - started;

    expect(response.body.data!.subject.inspections).toBeNull();
    expect(response.body.data!.subject.permits.length).toBeGreaterThan(0);
    const errors = expectGraphQLErrors(response);
    expect(errors.find((e) => e.path?.join('.') === 'subject.inspections')?.extensions).toMatchObject({
      code: 'UPSTREAM_TIMEOUT',
      system: 'supervision',
    });
    // Two attempts of 300 ms plus back-off: bounded well below any client's patience.
    expect(elapsed).toBeLessThan(3000);
  });
});

describe('when an agency sends a record the gateway cannot read', () => {
  it('leaves that record out, keeps the rest, and says so in the response', async () => {
    const holder = gw.world.enterprises.find(
      (e) => gw.world.permits.filter((p) => p.holderUscc === e.uscc).length >= 2,
    )!;
    const [broken, ...others] = gw.world.permits.filter((p) => p.holderUscc === holder.uscc);
    await gw.simulators.control('approval').mutate('permit', broken!.permitNo, { status: 9 });

    const response = await gw.post<{ subject: { permits: Array<{ permitNo: string }> } }>(
      `query ($u: USCC!) { subject(uscc: $u) { permits { permitNo } } }`,
      { u: holder.uscc },
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.subject.permits.map((p) => p.permitNo).sort()).toEqual(
      others.map((p) => p.permitNo).sort(),
    );
    expect(response.body.extensions?.warnings).toEqual([
      {
        code: 'UPSTREAM_RECORD_DROPPED',
        message: `The approval system's permit ${broken!.permitNo} could not be read (field status) and is left out of this answer.`,
        system: 'approval',
        resource: 'permit',
        id: broken!.permitNo,
        field: 'status',
      },
    ]);
  });

  it("does not carry one request's warnings into another", async () => {
    const response = await gw.post(`{ subjects(first: 1) { nodes { uscc } } }`);
    expect(response.body.extensions?.warnings).toBeUndefined();
  });
});
