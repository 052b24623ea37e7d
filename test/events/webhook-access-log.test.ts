import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/modules/audit/access-log-verify.ts';
import { WEBHOOK_JWKS_PATH } from '../../src/modules/events/webhook-signature.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { freshAuthority, penaltyDecided, TEST_AUTHORITIES } from './loop-events.ts';
import { LOCAL_RECEIVERS, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.ts';

const SUBJECT = '91330381MA2G2YEE23';
const SUBSCRIBE = /* GraphQL */ `
  mutation Subscribe($input: EventSubscriptionInput!) {
    createEventSubscription(input: $input) {
      id
    }
  }
`;
const WHO_RECEIVED = /* GraphQL */ `
  query WhoReceived($subject: USCC, $authority: String) {
    accessLog(subject: $subject, authorityCode: $authority, first: 10) {
      entries {
        callerSubject
        authorityCode
        operationName
        subjects
        outcome
        reason
        queryHash
      }
    }
  }
`;

let gw: TestGateway;
let admin: Record<string, string>;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  gw = await startTestGateway({
    authorities: TEST_AUTHORITIES,
    authRequired: true,
    env: {
      ...LOCAL_RECEIVERS,
      WEBHOOK_RETRY_INITIAL_MS: '20',
      WEBHOOK_RETRY_MAX_MS: '200',
      WEBHOOK_POLL_INTERVAL_MS: '20',
      // Enough that a log outage of a few seconds does not exhaust a delivery into the dead letters.
      WEBHOOK_MAX_ATTEMPTS: '100',
      // Short: the first test waits out one attempt its receiver leaves hanging.
      WEBHOOK_TIMEOUT_MS: '1500',
    },
  });
  admin = await gw.as('admin');
});

afterAll(async () => {
  await gw?.close();
  await Promise.all(receivers.map((receiver) => receiver.close()));
});

async function receiver(answer?: Parameters<typeof startWebhookReceiver>[1]) {
  const started = await startWebhookReceiver(`${gw.url}${WEBHOOK_JWKS_PATH}`, answer);
  receivers.push(started);
  return started;
}

async function subscribe(authorityCode: string, webhookUrl: string): Promise<string> {
  const data = expectNoGraphQLErrors(
    await gw.post<{ createEventSubscription: { id: string } }>(
      SUBSCRIBE,
      { input: { authorityCode, kinds: ['PENALTY_DECIDED'], webhookUrl } },
      admin,
    ),
  );
  return data.createEventSubscription.id;
}

/** The log's entries of one subscription, oldest first, read straight from the store. */
function entriesOf(subscriptionId: string) {
  return gw.gateway.store.prisma.accessLogEntry.findMany({
    where: { callerSubject: `webhook-subscription:${subscriptionId}` },
    orderBy: { seq: 'asc' },
  });
}

function deliveryOf(dedupeKey: string, subscriptionId: string) {
  return gw.gateway.store.prisma.eventDelivery.findFirstOrThrow({ where: { subscriptionId, event: { dedupeKey } } });
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

describe('a webhook delivery in the access log', () => {
  it('is written before the receiver gets the POST, naming the subject, the subscribing authority and the event kind, once per attempt', async () => {
    const authority = freshAuthority();
    let hangs = 1;
    // The first POST is left hanging: while the dispatcher still waits on it, its entry must already be there.
    const hook = await receiver(() => (hangs-- > 0 ? 'hang' : 200));
    const subscriptionId = await subscribe(authority, hook.url);
    const event = penaltyDecided(SUBJECT, authority);

    await gw.gateway.events.publisher.publish([event]);
    await hook.until((seen) => seen.length === 1);

    const [whileHanging] = await entriesOf(subscriptionId);
    expect(whileHanging).toMatchObject({
      issuer: 'gateway',
      authorityCode: authority,
      roles: [],
      operationName: 'webhook PENALTY_DECIDED',
      subjects: [SUBJECT],
      outcome: 'OK',
      reason: 'webhook_delivery',
      queryHash: sha256(hook.received[0]!.rawBody),
    });

    await hook.until((seen) => seen.some((r) => r.answered === 200));
    await expect.poll(async () => (await deliveryOf(event.dedupeKey, subscriptionId)).status).toBe('DELIVERED');
    // The retry is data possibly leaving again: it has an entry of its own, for the body it sent.
    const entries = await entriesOf(subscriptionId);
    expect(entries.map((entry) => entry.queryHash)).toEqual(hook.received.map((r) => sha256(r.rawBody)));

    // An auditor asking who received data about the enterprise finds the subscribing authority.
    const found = expectNoGraphQLErrors(
      await gw.post<{ accessLog: { entries: Array<Record<string, unknown>> } }>(
        WHO_RECEIVED,
        { subject: SUBJECT, authority },
        await gw.as('auditor'),
      ),
    );
    expect(found.accessLog.entries).toHaveLength(2);
    expect(found.accessLog.entries[0]).toMatchObject({
      callerSubject: `webhook-subscription:${subscriptionId}`,
      authorityCode: authority,
      operationName: 'webhook PENALTY_DECIDED',
      subjects: [SUBJECT],
      outcome: 'OK',
      reason: 'webhook_delivery',
    });
    expect(await verifyChain(gw.gateway.store.prisma)).toMatchObject({ ok: true });
  });

  it('is not sent while the access log cannot be written: the delivery stays pending, told why, spends no attempts, and is sent once the log recovers', async () => {
    const authority = freshAuthority();
    const hook = await receiver();
    const subscriptionId = await subscribe(authority, hook.url);
    const event = penaltyDecided(SUBJECT, authority);

    // Every insert into the log now fails, whichever way the log tries it.
    await gw.gateway.store.prisma.$executeRawUnsafe(
      'ALTER TABLE access_log ADD CONSTRAINT refuse_all CHECK (seq < 0) NOT VALID',
    );
    try {
      await gw.gateway.events.publisher.publish([event]);
      await expect
        .poll(async () => (await deliveryOf(event.dedupeKey, subscriptionId)).attempts, { timeout: 10_000 })
        .toBeGreaterThanOrEqual(1);
      // Retried every 20–200 ms were it claimed again: it is not, while the log cannot be written,
      // so an outage burns no attempts toward the dead letters (one already claimed may finish).
      await new Promise((resolve) => setTimeout(resolve, 1_500));

      const delivery = await deliveryOf(event.dedupeKey, subscriptionId);
      expect(delivery.attempts).toBeLessThanOrEqual(2);
      expect(delivery.status).toBe('PENDING');
      expect(delivery.lastError).toBe('The access log cannot be written, so the webhook was not sent.');
      const [told] = await gw.gateway.events.deliveries.ofEvent(delivery.eventId);
      expect(told?.lastError).toMatchObject({ code: 'ACCESS_LOG_UNAVAILABLE', reason: null });
      expect(hook.received).toEqual([]);
      expect(await entriesOf(subscriptionId)).toEqual([]);
    } finally {
      await gw.gateway.store.prisma.$executeRawUnsafe('ALTER TABLE access_log DROP CONSTRAINT refuse_all');
    }

    // The writer notices by itself; the delivery, retried as a receiver outage would be, goes out with its entry.
    await hook.until((seen) => seen.length === 1, 15_000);
    await expect.poll(async () => (await deliveryOf(event.dedupeKey, subscriptionId)).status).toBe('DELIVERED');
    const entries = await entriesOf(subscriptionId);
    expect(entries.map((entry) => entry.queryHash)).toEqual([sha256(hook.received[0]!.rawBody)]);
  });
});
