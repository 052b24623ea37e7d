import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WEBHOOK_JWKS_PATH } from '../../src/modules/events/webhook-signature.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { freshAuthority, penaltyDecided, TEST_AUTHORITIES } from './loop-events.ts';
import { LOCAL_RECEIVERS, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.ts';

const SETTINGS = {
  ...LOCAL_RECEIVERS,
  WEBHOOK_RETRY_INITIAL_MS: '20',
  WEBHOOK_RETRY_MAX_MS: '80',
  WEBHOOK_POLL_INTERVAL_MS: '20',
  WEBHOOK_TIMEOUT_MS: '30000',
  // The gateway stops while a request hangs: it waits this long, then gives the delivery back.
  WEBHOOK_STOP_GRACE_MS: '200',
};

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('a gateway restart in the middle of delivering', () => {
  it('loses nothing: the next gateway on the same store delivers every event, in order per subject, a repeat carrying the same event id', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'gw-events-restart-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const authority = freshAuthority();
    const events = [
      penaltyDecided('SUBJECT-R', authority, { n: 1 }),
      penaltyDecided('SUBJECT-R', authority, { n: 2 }),
      penaltyDecided('SUBJECT-R', authority, { n: 3 }),
      penaltyDecided('SUBJECT-S', authority, { n: 1 }),
    ];

    let first: TestGateway | undefined = await startTestGateway({
      authRequired: true,
      dataDir,
      env: SETTINGS,
      authorities: TEST_AUTHORITIES,
    });
    cleanups.push(() => first?.close() ?? Promise.resolve());
    // The receiver hangs on SUBJECT-R's first event, so that delivery is in flight when the gateway stops.
    const hook: WebhookReceiver = await startWebhookReceiver(`${first.url}${WEBHOOK_JWKS_PATH}`, (envelope) =>
      envelope.subject === 'SUBJECT-R' ? 'hang' : 200,
    );
    cleanups.push(() => hook.close());
    expectNoGraphQLErrors(
      await first.post(
        'mutation Subscribe($input: EventSubscriptionInput!) { createEventSubscription(input: $input) { id } }',
        { input: { authorityCode: authority, kinds: ['PENALTY_DECIDED'], webhookUrl: hook.url } },
        await first.as('admin'),
      ),
    );
    await first.gateway.events.publisher.publish(events);
    await hook.until(
      (seen) => seen.some((r) => r.answered === 'hung') && seen.some((r) => r.envelope.subject === 'SUBJECT-S'),
    );
    const firstKey = (await (await fetch(`${first.url}${WEBHOOK_JWKS_PATH}`)).json()) as {
      keys: Array<{ kid: string }>;
    };

    await first.close();
    first = undefined;
    const hungBeforeRestart = hook.received.filter((r) => r.answered === 'hung').map((r) => r.envelope.id);
    hook.answerWith(() => 200);
    const second = await startTestGateway({
      authRequired: true,
      dataDir,
      env: SETTINGS,
      authorities: TEST_AUTHORITIES,
    });
    cleanups.push(() => second.close());
    await hook.until((seen) => seen.filter((r) => r.answered === 200).length >= events.length);

    const ids = await second.gateway.store.prisma.outboxEvent.findMany({
      where: { dedupeKey: { in: events.map((event) => event.dedupeKey) } },
      orderBy: { seq: 'asc' },
      select: { id: true, subjectUscc: true },
    });
    const accepted = hook.accepted();
    // Every event arrived and was acknowledged exactly once; the one cut off was sent again under its own id.
    expect(accepted.map((envelope) => envelope.id).sort()).toEqual(ids.map((row) => row.id).sort());
    expect(hungBeforeRestart).toEqual([ids[0]!.id]);
    expect(hook.received.filter((r) => r.envelope.id === ids[0]!.id).map((r) => r.answered)).toEqual(['hung', 200]);
    // SUBJECT-R in publication order, none of its later events overtaking the interrupted one.
    const subjectR = hook.received
      .filter((r) => r.envelope.subject === 'SUBJECT-R')
      .map((r) => r.envelope.payload['n']);
    expect(subjectR).toEqual([1, 1, 2, 3]);
    // Every copy verified, before and after the restart: the signing key was kept in the data folder.
    expect(hook.received.every((r) => r.verified)).toBe(true);
    const secondKey = (await (await fetch(`${second.url}${WEBHOOK_JWKS_PATH}`)).json()) as {
      keys: Array<{ kid: string }>;
    };
    expect(secondKey.keys[0]!.kid).toBe(firstKey.keys[0]!.kid);
    await expect
      .poll(() =>
        second.gateway.store.prisma.eventDelivery.count({
          where: { eventId: { in: ids.map((row) => row.id) }, status: 'DELIVERED' },
        }),
      )
      .toBe(events.length);
    // Two gateways, each opening a file-backed store and syncing the registry: slow on a loaded machine.
  }, 120_000);
});
