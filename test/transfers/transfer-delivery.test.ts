import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorControl } from '../../simulators/control-client.ts';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { MARKET_REGULATION, anyangClue, sendClue } from './transfer-fixtures.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
});
afterAll(async () => {
  await simulatorControl(gw.simulators.urls.enforcement).clearFaults();
  await gw?.close();
});

interface RawClue {
  CLUE_ID: string;
  SOURCE: number;
  SUBJECT_USCC: string;
  ITEM_CODE: string;
  SENDER_ORG: string;
  RECEIVER_ORG: string;
  STATUS: number;
}

/** The enforcement system's own answer, read straight from it. */
async function enforcement<T>(path: string, body?: unknown): Promise<{ status: number; data: T; message: string }> {
  const response = await fetch(`${gw.simulators.urls.enforcement}/zf/api/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const envelope = (await response.json()) as { DATA: T; RET_MSG: string };
  return { status: response.status, data: envelope.DATA, message: envelope.RET_MSG };
}

async function transferredCluesOf(subject: string): Promise<RawClue[]> {
  const { data } = await enforcement<RawClue[]>('CLUE/BATCH', { FIELD: 'SUBJECT_USCC', VALUES: [subject] });
  return data.filter((clue) => clue.SENDER_ORG === MARKET_REGULATION && clue.SOURCE === 3);
}

const DELIVERY = `query ($id: ID!) { transfer(id: $id) { id status delivery { status attempts lastError enforcementClueId } } }`;
interface DeliveryView {
  transfer: {
    id: string;
    status: string;
    delivery: { status: string; attempts: number; lastError: string | null; enforcementClueId: string | null };
  };
}

async function deliveryOf(id: string): Promise<DeliveryView['transfer']['delivery']> {
  return expectNoGraphQLErrors(await gw.post<DeliveryView>(DELIVERY, { id }, await gw.as('industry-inspector')))
    .transfer.delivery;
}

/** Waits until the transfer is delivered, asking the deliverer to retry now (the circuit half-opens within seconds). */
async function deliveredClueId(id: string): Promise<string> {
  await expect
    .poll(
      async () => {
        await gw.gateway.transfers.deliverer.retryNow();
        return (await deliveryOf(id)).status;
      },
      { timeout: 45_000, interval: 500 },
    )
    .toBe('DELIVERED');
  return (await deliveryOf(id)).enforcementClueId!;
}

// Deliveries are waited for (with a circuit breaker that half-opens after seconds): more time than the default on a loaded machine.
describe('writing transfers to the enforcement system', { timeout: 90_000 }, () => {
  it('delivers a transfer at once while the system is up, as a department-transfer clue it lists', async () => {
    const { subject, powerItemCode } = anyangClue(gw.world, 20);
    const { transfer } = await sendClue(gw, { subject, powerItemCode, findings: '未明码标价', evidenceRefs: ['E1'] });
    const clueId = await deliveredClueId(transfer.id);
    const upstream = await transferredCluesOf(subject);
    expect(upstream).toHaveLength(1);
    expect(upstream[0]).toMatchObject({
      CLUE_ID: clueId,
      ITEM_CODE: powerItemCode,
      RECEIVER_ORG: transfer.receiverCode,
      STATUS: 1,
    });
  });

  it('keeps a transfer made while the system is down, readable, and delivers it exactly once when it is back', async () => {
    const control = simulatorControl(gw.simulators.urls.enforcement);
    const { subject, powerItemCode } = anyangClue(gw.world, 21);
    await control.setFaults({ down: true });
    const { transfer } = await sendClue(gw, { subject, powerItemCode, findings: '无照经营', evidenceRefs: ['E2'] });
    expect(transfer.status).toBe('SENT');

    await expect
      .poll(async () => (await deliveryOf(transfer.id)).attempts, { timeout: 30_000, interval: 300 })
      .toBeGreaterThanOrEqual(1);
    // An attempt is counted when it is claimed; wait until its failure is recorded too.
    await expect
      .poll(async () => (await deliveryOf(transfer.id)).lastError, { timeout: 30_000, interval: 300 })
      .not.toBeNull();
    const waiting = await deliveryOf(transfer.id);
    expect(waiting).toMatchObject({ status: 'PENDING', enforcementClueId: null });
    expect(waiting.lastError).toMatch(/enforcement system/);

    await control.clearFaults();
    const clueId = await deliveredClueId(transfer.id);
    const upstream = await transferredCluesOf(subject);
    expect(upstream.map((clue) => clue.CLUE_ID)).toEqual([clueId]);
  });

  it('never doubles a clue when a delivery is repeated after its acknowledgement was lost', async () => {
    const { subject, powerItemCode } = anyangClue(gw.world, 22);
    const { transfer } = await sendClue(gw, { subject, powerItemCode, findings: '发布虚假广告', evidenceRefs: ['E3'] });
    const clueId = await deliveredClueId(transfer.id);
    // As if the gateway had crashed after the system took the clue but before it recorded so.
    await gw.gateway.store.prisma.clueTransferDelivery.update({
      where: { transferId: transfer.id },
      data: { status: 'PENDING', deliveredAt: null, upstreamClueId: null },
    });
    expect(await deliveredClueId(transfer.id)).toBe(clueId);
    expect((await transferredCluesOf(subject)).map((clue) => clue.CLUE_ID)).toEqual([clueId]);
  });

  it('shows the delivered clue at the end of the system change feed', async () => {
    const { subject, powerItemCode } = anyangClue(gw.world, 23);
    const { transfer } = await sendClue(gw, { subject, powerItemCode, findings: '店外经营', evidenceRefs: [] });
    const clueId = await deliveredClueId(transfer.id);
    let cursor = '';
    let last: RawClue[] = [];
    for (;;) {
      const { data } = await enforcement<{ ROWS: RawClue[]; NEXT_CURSOR: string; HAS_MORE: boolean }>(
        `CLUE/CHANGES?CURSOR=${encodeURIComponent(cursor)}&LIMIT=500`,
      );
      if (data.ROWS.length > 0) last = data.ROWS;
      cursor = data.NEXT_CURSOR;
      if (!data.HAS_MORE) break;
    }
    expect(last.map((clue) => clue.CLUE_ID)).toContain(clueId);
  });
});

describe('the enforcement system clue submission endpoint', () => {
  const submission = (externalId: string) => ({
    EXTERNAL_ID: externalId,
    SUBJECT_USCC: gw.world.enterprises[0]!.uscc,
    ITEM_CODE: gw.world.powerItems[0]!.code,
    SENDER_ORG: MARKET_REGULATION,
    RECEIVER_ORG: '330381-ZHZFJ',
    REGION_CODE: '330381001',
    INSPECTION_ID: null,
    SEND_TIME: Date.now(),
  });

  it('answers a resubmission with the clue it made the first time', async () => {
    const first = await enforcement<{ CLUE_ID: string; CREATED: number }>('CLUE/SUBMIT', submission('ext-1'));
    const again = await enforcement<{ CLUE_ID: string; CREATED: number }>('CLUE/SUBMIT', submission('ext-1'));
    expect(first.data.CREATED).toBe(1);
    expect(again.data).toEqual({ CLUE_ID: first.data.CLUE_ID, CREATED: 0 });
  });

  it('refuses a submission without its fields, naming the first missing', async () => {
    const { EXTERNAL_ID: _omitted, ...rest } = submission('ext-2');
    const answer = await enforcement<null>('CLUE/SUBMIT', rest);
    expect(answer.status).toBe(400);
    expect(answer.message).toMatch(/EXTERNAL_ID is required/);
  });
});
