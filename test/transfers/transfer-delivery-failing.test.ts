import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorControl } from '../../simulators/control-client.ts';
import { expectGraphQLErrors, expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { anyangClue, sendClue } from './transfer-fixtures.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({
    authRequired: true,
    // Generous: the first registry sync must finish on a loaded machine, or subjects lack their township.
    upstreamTimeoutMs: 10_000,
    // Flagged as stalled after two failed attempts, retried within a fraction of a second.
    env: {
      TRANSFER_DELIVERY_STALLED_AFTER_ATTEMPTS: '2',
      TRANSFER_DELIVERY_RETRY_INITIAL_MS: '50',
      TRANSFER_DELIVERY_RETRY_MAX_MS: '200',
      TRANSFER_DELIVERY_POLL_INTERVAL_MS: '100',
    },
  });
});
afterAll(async () => {
  await simulatorControl(gw.simulators.urls.enforcement).clearFaults();
  await gw?.close();
});

const DELIVERY = `query ($id: ID!) { transfer(id: $id) { delivery { status attempts lastError stalledAt deadAt enforcementClueId } } }`;
interface Delivery {
  status: string;
  attempts: number;
  lastError: string | null;
  stalledAt: string | null;
  deadAt: string | null;
  enforcementClueId: string | null;
}

const REPLAY = `mutation ($ids: [ID!]!) { replayTransferDeliveries(transferIds: $ids) { replayed notDeadLettered } }`;

async function deliveryOf(id: string): Promise<Delivery> {
  const data = expectNoGraphQLErrors(
    await gw.post<{ transfer: { delivery: Delivery } }>(DELIVERY, { id }, await gw.as('industry-inspector')),
  );
  return data.transfer.delivery;
}

/** What the sender was told about this transfer's delivery failing (TRANSFER_DELIVERY_FAILING events). */
async function failingEventsOf(id: string): Promise<Array<Record<string, unknown>>> {
  const events = await gw.gateway.store.prisma.outboxEvent.findMany({
    where: { kind: 'TRANSFER_DELIVERY_FAILING' },
    orderBy: { seq: 'asc' },
  });
  return events
    .map((event) => event.payload as Record<string, unknown>)
    .filter((payload) => payload['transferId'] === id);
}

async function metric(name: string): Promise<string[]> {
  const text = await (await fetch(`${gw.url}/metrics`)).text();
  return text.split('\n').filter((line) => line.startsWith(name));
}

describe('a transfer the enforcement system does not take', { timeout: 90_000 }, () => {
  it('is flagged as stalled after many failed attempts, told to its sender once, and still retried until it is delivered', async () => {
    const control = simulatorControl(gw.simulators.urls.enforcement);
    await control.setFaults({ down: true });
    const { subject, powerItemCode } = anyangClue(gw.world, 40);
    const { transfer } = await sendClue(gw, { subject, powerItemCode, findings: '超范围经营', evidenceRefs: ['E40'] });

    await expect
      .poll(async () => (await deliveryOf(transfer.id)).attempts, { timeout: 30_000, interval: 200 })
      .toBeGreaterThanOrEqual(4);
    const stalled = await deliveryOf(transfer.id);
    expect(stalled).toMatchObject({ status: 'PENDING', deadAt: null, enforcementClueId: null });
    expect(stalled.stalledAt).not.toBeNull();
    expect(await failingEventsOf(transfer.id)).toEqual([
      expect.objectContaining({ state: 'STALLED', attempts: 2, senderCode: '330381-SCJGJ' }),
    ]);
    expect(await metric('gateway_transfer_deliveries{status="stalled"}')).toEqual([
      expect.stringMatching(/ [1-9]\d*$/),
    ]);

    await control.clearFaults();
    await expect
      .poll(
        async () => {
          await gw.gateway.transfers.deliverer.retryNow();
          return (await deliveryOf(transfer.id)).status;
        },
        { timeout: 45_000, interval: 500 },
      )
      .toBe('DELIVERED');
    expect((await deliveryOf(transfer.id)).enforcementClueId).toMatch(/^XS\d+$/);
  });

  it('is dead-lettered at once when the system refuses the submission itself, told to its sender, and delivered after an administrator replays it', async () => {
    const control = simulatorControl(gw.simulators.urls.enforcement);
    await control.setFaults({ down: true });
    const { subject, powerItemCode } = anyangClue(gw.world, 41);
    const { transfer } = await sendClue(gw, { subject, powerItemCode, findings: '无证经营', evidenceRefs: ['E41'] });
    // A stored transfer the case system will refuse (HTTP 400: REGION_CODE is required), changed
    // while no attempt is in flight (an attempt holds the submission it read when it began).
    await gw.gateway.transfers.deliverer.stop();
    await gw.gateway.store.prisma.clueTransfer.update({ where: { id: transfer.id }, data: { townshipCode: ' ' } });
    await control.clearFaults();
    gw.gateway.transfers.deliverer.start();

    await expect
      .poll(
        async () => {
          await gw.gateway.transfers.deliverer.retryNow();
          return (await deliveryOf(transfer.id)).status;
        },
        { timeout: 45_000, interval: 500 },
      )
      .toBe('DEAD');
    const dead = await deliveryOf(transfer.id);
    expect(dead.deadAt).not.toBeNull();
    expect(dead.lastError).toMatch(/http_400/);
    expect(await failingEventsOf(transfer.id)).toEqual([
      expect.objectContaining({ state: 'DEAD', lastError: expect.stringMatching(/http_400/) }),
    ]);
    expect(await metric('gateway_transfer_delivery_attempts_total{outcome="dead"}')).toEqual([
      expect.stringMatching(/ [1-9]\d*$/),
    ]);

    // Nothing retries it of its own accord: the operator corrects the cause, then replays it.
    await gw.gateway.transfers.deliverer.retryNow();
    expect((await deliveryOf(transfer.id)).status).toBe('DEAD');
    await gw.gateway.store.prisma.clueTransfer.update({
      where: { id: transfer.id },
      data: { townshipCode: '330381001' },
    });
    const unknown = '00000000-0000-4000-8000-000000000000';
    const variables = { ids: [transfer.id, unknown] };
    const refused = expectGraphQLErrors(await gw.post(REPLAY, variables, await gw.as('industry-inspector')));
    // Refused whole (a mutation with any refused part runs not at all): still dead-lettered.
    expect(refused.map((error) => error.extensions?.['code'])).toEqual(['FORBIDDEN']);
    expect((await deliveryOf(transfer.id)).status).toBe('DEAD');
    const replay = expectNoGraphQLErrors(
      await gw.post<{ replayTransferDeliveries: { replayed: string[]; notDeadLettered: string[] } }>(
        REPLAY,
        variables,
        await gw.as('admin'),
      ),
    );
    expect(replay.replayTransferDeliveries).toEqual({ replayed: [transfer.id], notDeadLettered: [unknown] });
    await expect
      .poll(async () => (await deliveryOf(transfer.id)).status, { timeout: 45_000, interval: 300 })
      .toBe('DELIVERED');
    expect(await deliveryOf(transfer.id)).toMatchObject({
      deadAt: null,
      attempts: 1,
      enforcementClueId: expect.stringMatching(/^XS\d+$/),
    });
  });
});
