import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simulatorControl } from '../../simulators/control-client.ts';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { MARKET_REGULATION, anyangClue, sendClue } from './transfer-fixtures.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'gw-transfer-restart-'));
const running: TestGateway[] = [];
afterAll(async () => {
  for (const gw of running) await gw.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const DELIVERY = `query ($id: ID!) { transfer(id: $id) { status delivery { status enforcementClueId } } }`;
type DeliveryView = { transfer: { status: string; delivery: { status: string; enforcementClueId: string | null } } };

describe('a transfer waiting for the enforcement system across a gateway restart', () => {
  it('is still there after the restart and is delivered once the system answers', async () => {
    const before = await startTestGateway({ authRequired: true, dataDir });
    running.push(before);
    // The power list has been read once (at start) before the system goes down.
    await before.gateway.transfers.service.referenceData();
    await simulatorControl(before.simulators.urls.enforcement).setFaults({ down: true });
    const { subject, powerItemCode } = anyangClue(before.world, 30);
    const { transfer } = await sendClue(before, {
      subject,
      powerItemCode,
      findings: '使用未经检定的计量器具',
      evidenceRefs: ['E9'],
    });
    await before.close();
    running.pop();

    // The same store, and an enforcement system that answers again.
    const after = await startTestGateway({ authRequired: true, dataDir });
    running.push(after);
    const headers = await after.as('industry-inspector');
    const kept = expectNoGraphQLErrors(await after.post<DeliveryView>(DELIVERY, { id: transfer.id }, headers));
    expect(kept.transfer.status).toBe('SENT');
    await expect
      .poll(
        async () => {
          await after.gateway.transfers.deliverer.retryNow();
          return expectNoGraphQLErrors(await after.post<DeliveryView>(DELIVERY, { id: transfer.id }, headers)).transfer
            .delivery.status;
        },
        { timeout: 45_000, interval: 500 },
      )
      .toBe('DELIVERED');

    const response = await fetch(`${after.simulators.urls.enforcement}/zf/api/CLUE/BATCH`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ FIELD: 'SUBJECT_USCC', VALUES: [subject] }),
    });
    const clues = ((await response.json()) as { DATA: Array<{ CLUE_ID: string; SENDER_ORG: string; SOURCE: number }> })
      .DATA;
    const transferred = clues.filter((clue) => clue.SENDER_ORG === MARKET_REGULATION && clue.SOURCE === 3);
    const delivered = expectNoGraphQLErrors(await after.post<DeliveryView>(DELIVERY, { id: transfer.id }, headers))
      .transfer.delivery;
    expect(transferred.map((clue) => clue.CLUE_ID)).toEqual([delivered.enforcementClueId]);
  }, 120_000);
});
