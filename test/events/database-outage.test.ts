import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_JWKS_PATH } from '../../src/modules/events/webhook-signature.ts';
import {
  startGatewayOnProxiedDatabase,
  type GatewayOnProxiedDatabase,
} from '../support/gateway-on-proxied-database.ts';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { TEST_DATABASE_URL } from '../support/stores.ts';
import { freshAuthority, penaltyDecided, TEST_AUTHORITIES } from './loop-events.ts';
import { LOCAL_RECEIVERS, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.ts';

/**
 * Webhook deliveries on PostgreSQL while the database goes away: the store is reached only
 * through a proxy that refuses (every connection cut, new ones refused) in the middle of
 * delivering, right after the receiver acknowledged an event, so the gateway cannot record that
 * delivery. The contract (README, "Background deliveries"): at least once, receivers deduplicate
 * on the body's `id`. So after the database is back, without a restart, every event must have
 * been acknowledged, none missing, and any repeat must carry the same id as its first copy.
 */

const SETTINGS = {
  ...LOCAL_RECEIVERS,
  WEBHOOK_RETRY_INITIAL_MS: '20',
  WEBHOOK_RETRY_MAX_MS: '200',
  WEBHOOK_POLL_INTERVAL_MS: '20',
  // The lease (twice this plus 5 s) is what a delivery whose settling was lost waits for.
  WEBHOOK_TIMEOUT_MS: '1000',
};

const EVENTS = 24;
const OUTAGE_MS = 3000;

describe.runIf(TEST_DATABASE_URL !== undefined)('webhook deliveries across a database outage (PostgreSQL)', () => {
  let setup: GatewayOnProxiedDatabase;
  let hook: WebhookReceiver;

  beforeAll(async () => {
    setup = await startGatewayOnProxiedDatabase({ env: SETTINGS, authorities: TEST_AUTHORITIES });
  }, 120_000);
  afterAll(async () => {
    await hook?.close();
    await setup?.close();
  });

  it('delivers every event after the database comes back by itself, a repeat only under the same id', async () => {
    const { gw, proxy, direct } = setup;
    const authority = freshAuthority();
    let outage: Promise<void> | null = null;
    // The fifth acknowledgement takes the database away just as the gateway would record it.
    hook = await startWebhookReceiver(`${gw.url}${WEBHOOK_JWKS_PATH}`, (_, seen) => {
      if (seen.length === 4 && outage === null) {
        outage = proxy.refuse().then(() => new Promise((resolve) => setTimeout(resolve, OUTAGE_MS)));
      }
      return 200;
    });
    expectNoGraphQLErrors(
      await gw.post(
        'mutation Subscribe($input: EventSubscriptionInput!) { createEventSubscription(input: $input) { id } }',
        { input: { authorityCode: authority, kinds: ['PENALTY_DECIDED'], webhookUrl: hook.url } },
        await gw.as('admin'),
      ),
    );
    const events = Array.from({ length: EVENTS }, (_, n) => penaltyDecided(`SUBJECT-${n % 4}`, authority, { n }));
    await gw.gateway.events.publisher.publish(events);
    await hook.until(() => outage !== null, 20_000);
    await outage;
    await proxy.allow();

    const ids = (
      await direct.prisma.outboxEvent.findMany({
        where: { dedupeKey: { in: events.map((event) => event.dedupeKey) } },
        select: { id: true },
      })
    ).map((row) => row.id);
    expect(ids).toHaveLength(EVENTS);
    await hook.until((seen) => new Set(seen.map((r) => r.envelope.id)).size >= EVENTS, 60_000);
    await expect
      .poll(() => direct.prisma.eventDelivery.count({ where: { eventId: { in: ids }, status: 'DELIVERED' } }), {
        timeout: 30_000,
        interval: 250,
      })
      .toBe(EVENTS);

    const accepted = hook.accepted().map((envelope) => envelope.id);
    // No gap: every event acknowledged; nothing foreign; repeats are copies under the event's own id.
    expect([...new Set(accepted)].sort()).toEqual([...ids].sort());
    for (const id of new Set(accepted)) {
      const copies = hook.received.filter((r) => r.envelope.id === id).map((r) => r.rawBody);
      expect(new Set(copies.map((body) => JSON.parse(body).payload.n)).size).toBe(1);
    }
    // Per subject, first copies arrive in publication order.
    for (const subject of ['SUBJECT-0', 'SUBJECT-1', 'SUBJECT-2', 'SUBJECT-3']) {
      const firsts: number[] = [];
      for (const r of hook.received) {
        const n = r.envelope.payload['n'] as number;
        if (r.envelope.subject === subject && !firsts.includes(n)) firsts.push(n);
      }
      expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
    }
    expect(hook.received.every((r) => r.verified)).toBe(true);
  }, 150_000);
});
