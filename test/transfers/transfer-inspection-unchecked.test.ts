import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isValidUscc } from '../../src/identifiers/uscc.ts';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { ANYANG, anyangClue, TRANSFER_CLUE } from './transfer-fixtures.ts';

/**
 * A clue's inspection is checked against the supervision system; while that system is away the
 * transfer still goes (the loop must not break), but its sender is told the link was not checked.
 */
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true, upstreamTimeoutMs: 500 });
});
afterEach(() => gw.simulators.control('supervision').clearFaults());
afterAll(() => gw?.close());

/** A clue about an Anyang subject naming an inspection of that subject. */
function clueWithItsInspection() {
  const { powerItemCode } = anyangClue(gw.world, 0);
  const inspection = gw.world.inspections.find(
    (i) => i.townshipCode === ANYANG && i.subjectCodeKind === 'USCC' && isValidUscc(i.subjectCode),
  )!;
  return {
    subject: inspection.subjectCode,
    powerItemCode,
    findings: '现场检查发现无证经营',
    evidenceRefs: [],
    inspectionId: inspection.id,
  };
}

async function send(input: Record<string, unknown>, key = randomUUID()) {
  return gw.post<{
    transferClue: { replayed: boolean; transfer: { id: string; status: string; inspectionId: string } };
  }>(TRANSFER_CLUE, { input, key }, await gw.as('industry-inspector'));
}

describe('a clue naming an inspection', () => {
  it('carries no warning while the supervision system answers and the inspection is checked', async () => {
    const answer = await send(clueWithItsInspection());
    expect(expectNoGraphQLErrors(answer).transferClue.transfer.status).toBe('SENT');
    expect(answer.body.extensions?.warnings).toBeUndefined();
  });

  it('is sent while the supervision system is down, and the answer warns that its inspection was not checked', async () => {
    await gw.simulators.control('supervision').setFaults({ down: true });
    const input = clueWithItsInspection();
    const answer = await send(input);

    expect(expectNoGraphQLErrors(answer).transferClue.transfer).toMatchObject({
      status: 'SENT',
      inspectionId: input.inspectionId,
    });
    expect(answer.body.extensions?.warnings).toEqual([
      {
        code: 'INSPECTION_NOT_CHECKED',
        message: `Inspection ${input.inspectionId} was not checked against the supervision system (UPSTREAM_UNAVAILABLE): it may not exist or be about another subject.`,
        system: 'supervision',
        inspectionId: input.inspectionId,
        reason: 'UPSTREAM_UNAVAILABLE',
      },
    ]);
  });

  it('is answered on a replay by its idempotency key as it was the first time, warning again though the system is back', async () => {
    await gw.simulators.control('supervision').setFaults({ down: true });
    const input = clueWithItsInspection();
    const key = randomUUID();
    const first = await send(input, key);
    await gw.simulators.control('supervision').clearFaults();

    const again = await send(input, key);

    expect(expectNoGraphQLErrors(again).transferClue).toMatchObject({
      replayed: true,
      transfer: { id: expectNoGraphQLErrors(first).transferClue.transfer.id },
    });
    expect(first.body.extensions?.warnings).toHaveLength(1);
    expect(again.body.extensions?.warnings).toEqual(first.body.extensions?.warnings);
  });

  it('is answered on a replay without a warning when its inspection was checked', async () => {
    const input = clueWithItsInspection();
    const key = randomUUID();
    await send(input, key);
    await gw.simulators.control('supervision').setFaults({ down: true });

    const again = await send(input, key);

    expect(expectNoGraphQLErrors(again).transferClue.replayed).toBe(true);
    expect(again.body.extensions?.warnings).toBeUndefined();
  });
});
