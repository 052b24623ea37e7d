import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDemoPreset, type DemoPreset } from '../../src/auth/demo-presets.ts';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { anyangClue, READ_TRANSFER, sendClue, type TransferView } from './transfer-fixtures.ts';

let gw: TestGateway;
beforeAll(async () => {
  // Generous: the first registry sync must finish on a loaded machine, or subjects lack their township.
  gw = await startTestGateway({ authRequired: true, upstreamTimeoutMs: 10_000 });
});
afterAll(async () => gw?.close());

const REPLAY = `mutation ($ids: [ID!]!) { replayTransferDeliveries(transferIds: $ids) { replayed notDeadLettered } }`;
type Replayed = { replayTransferDeliveries: { replayed: string[]; notDeadLettered: string[] } };

/** A caller like a preset, but an administrator, optionally of another authority and place. */
function administrator(preset: string, change: Partial<DemoPreset> = {}): DemoPreset {
  return { ...findDemoPreset(preset)!, roles: ['ADMIN'], subject: `${preset}-admin`, ...change };
}

/** The market regulation bureau's administrator: of the sender of every clue sent here. */
const senderAdmin = administrator('industry-inspector');
/** The big-data office of 平阳县: of the operator's kind, but not of the county this gateway serves. */
const otherCountyOperator = administrator('admin', {
  authorityCode: '330382-SJFX',
  authorityName: '平阳县大数据分析办',
  jurisdictionCode: '330382',
});

/**
 * A clue sent by the market regulation bureau to the Anyang team whose delivery is dead-lettered.
 * The deliverer is stopped first, so a replay leaves it pending where the test can see it.
 */
async function deadLetteredTransfer(index: number): Promise<string> {
  const { subject, powerItemCode } = anyangClue(gw.world, index);
  const { transfer } = await sendClue(gw, {
    subject,
    powerItemCode,
    findings: '无证经营',
    evidenceRefs: [`E${index}`],
  });
  await gw.gateway.transfers.deliverer.stop();
  await gw.gateway.store.prisma.clueTransferDelivery.update({
    where: { transferId: transfer.id },
    data: { status: 'DEAD', deadAt: new Date() },
  });
  return transfer.id;
}

async function deliveryStatus(id: string): Promise<string | undefined> {
  const data = expectNoGraphQLErrors(
    await gw.post<{ transfer: TransferView }>(READ_TRANSFER, { id }, await gw.as('industry-inspector')),
  );
  return data.transfer.delivery?.status;
}

async function replayAs(caller: string | DemoPreset, ids: string[]) {
  return expectNoGraphQLErrors(await gw.post<Replayed>(REPLAY, { ids }, await gw.as(caller))).replayTransferDeliveries;
}

describe("an administrator replays only its own authority's transfer deliveries", { timeout: 60_000 }, () => {
  it("answers another agency's administrator as for unknown ids, and leaves the delivery dead-lettered", async () => {
    const id = await deadLetteredTransfer(60);
    expect(await replayAs('approval-admin', [id])).toEqual({ replayed: [], notDeadLettered: [id] });
    expect(await deliveryStatus(id)).toBe('DEAD');
  });

  it('answers the administrator of an authority of another county as for unknown ids', async () => {
    const id = await deadLetteredTransfer(61);
    expect(await replayAs(otherCountyOperator, [id])).toEqual({ replayed: [], notDeadLettered: [id] });
    expect(await deliveryStatus(id)).toBe('DEAD');
  });

  it("replays the sender's own transfer for its administrator, and any for the gateway's operator", async () => {
    const own = await deadLetteredTransfer(62);
    expect(await replayAs(senderAdmin, [own])).toEqual({ replayed: [own], notDeadLettered: [] });
    expect(await deliveryStatus(own)).toBe('PENDING');
    const any = await deadLetteredTransfer(63);
    expect(await replayAs('admin', [any])).toEqual({ replayed: [any], notDeadLettered: [] });
  });
});
