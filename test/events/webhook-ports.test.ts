import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessLog } from '../../src/modules/audit/access-log.ts';
import { AccessLogWriter } from '../../src/modules/audit/access-log-writer.ts';
import { createEventDelivery, type EventDelivery } from '../../src/modules/events/event-delivery.ts';
import {
  EventSubscriptionInputError,
  EventSubscriptionStore,
} from '../../src/modules/events/event-subscription-store.ts';
import { loadWebhookConfig } from '../../src/modules/events/webhook-config.ts';
import { PUBLIC_DESTINATIONS_ONLY } from '../../src/modules/events/webhook-destination-policy.ts';
import { destinationRefused } from '../../src/modules/events/webhook-failure.ts';
import { createLogger } from '../../src/platform/logger.ts';
import type { Store } from '../../src/platform/store/open-store.ts';
import { captureLogs } from '../http/log-capture.ts';
import { pgliteVariant } from '../support/stores.ts';
import { freshAuthority, penaltyDecided } from './loop-events.ts';
import { LOCAL_RECEIVERS, URLS_ON_DEFAULT_PORTS } from './webhook-receiver.ts';

const variant = pgliteVariant();
const logs = captureLogs();
let store: Store;
/** Events modules whose dispatcher is still to be stopped (a dispatcher is stopped once). */
const assembled = new Set<EventDelivery>();

/** A receiver on this machine that acknowledges every POST and records the event id it carried. */
let receiver: Server;
let receiverPort: number;
const received: string[] = [];

beforeAll(async () => {
  store = await variant.open();
  receiver = createServer((request, response) => {
    received.push(String(request.headers['webhook-id']));
    request.resume();
    response.writeHead(204).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverPort = (receiver.address() as AddressInfo).port;
});

afterAll(async () => {
  await Promise.all([...assembled].map(stop));
  await new Promise((resolve) => receiver.close(resolve));
  await variant.dispose();
});

/** The events module of a gateway started with these webhook settings, over the one store. */
async function gatewayWith(env: NodeJS.ProcessEnv): Promise<EventDelivery> {
  const events = await createEventDelivery({
    prisma: store.prisma,
    config: loadWebhookConfig({ WEBHOOK_POLL_INTERVAL_MS: '20', ...env }),
    dataDir: 'memory://',
    logger: createLogger({ level: 'info', destination: logs.destination }),
    accessLog: new AccessLogWriter(new AccessLog(store.prisma)),
  });
  assembled.add(events);
  return events;
}

async function stop(events: EventDelivery): Promise<void> {
  assembled.delete(events);
  await events.dispatcher.stop();
}

const publicResolver = async (): Promise<LookupAddress[]> => [{ address: '93.184.216.34', family: 4 }];

describe('subscribing a webhook under the default port list', () => {
  const subscriptions = () => new EventSubscriptionStore(store.prisma, PUBLIC_DESTINATIONS_ONLY, publicResolver);

  it.each([22, 25, 6379])('refuses a receiver on port %i, naming the port, and stores nothing', async (port) => {
    const authorityCode = freshAuthority();
    const creating = subscriptions().create(
      { authorityCode, kinds: ['PENALTY_DECIDED'], webhookUrl: `http://receiver.example:${port}/hook` },
      'test',
    );

    await expect(creating).rejects.toThrow(EventSubscriptionInputError);
    await expect(creating).rejects.toMatchObject({
      problems: [
        `webhookUrl: port ${port} is not one webhooks may go to (80, 443, 8080, 8443) unless WEBHOOK_ALLOWED_PORTS permits it`,
      ],
      webhookUrlReason: 'destination_port_not_allowed',
    });
    expect(await store.prisma.eventSubscription.count({ where: { authorityCode } })).toBe(0);
  });

  it.each(URLS_ON_DEFAULT_PORTS)('accepts %s', async (webhookUrl) => {
    const authorityCode = freshAuthority();
    const created = await subscriptions().create({ authorityCode, kinds: ['PENALTY_DECIDED'], webhookUrl }, 'test');
    expect(created).toMatchObject({ authorityCode, webhookUrl });
  });
});

describe('subscribing a webhook whose host name resolves to an internal address now', () => {
  it('is refused as destination_address_not_public, naming the address, and stores nothing', async () => {
    const authorityCode = freshAuthority();
    const resolvingInside = async (): Promise<LookupAddress[]> => [{ address: '10.0.0.5', family: 4 }];
    const creating = new EventSubscriptionStore(store.prisma, PUBLIC_DESTINATIONS_ONLY, resolvingInside).create(
      { authorityCode, kinds: ['PENALTY_DECIDED'], webhookUrl: 'https://receiver.example/hook' },
      'test',
    );

    await expect(creating).rejects.toMatchObject({
      problems: [expect.stringContaining('webhookUrl: host receiver.example resolves to 10.0.0.5 is a private')],
      webhookUrlReason: 'destination_address_not_public',
    });
    expect(await store.prisma.eventSubscription.count({ where: { authorityCode } })).toBe(0);
  });
});

describe('a subscription stored before the port list was narrowed', () => {
  it('is dead-lettered at its first send as destination_refused, nothing sent; replayed once the port is permitted again, it is delivered exactly once', async () => {
    const authorityCode = freshAuthority();
    const before = await gatewayWith(LOCAL_RECEIVERS);
    const webhookUrl = `http://127.0.0.1:${receiverPort}/hook`;
    await before.subscriptions.create({ authorityCode, kinds: ['PENALTY_DECIDED'], webhookUrl }, 'test');

    // The gateway restarts with the default ports: the receiver's port is no longer among them.
    const narrowed = await gatewayWith({ WEBHOOK_ALLOWED_CIDRS: LOCAL_RECEIVERS.WEBHOOK_ALLOWED_CIDRS });
    narrowed.dispatcher.start();
    const event = penaltyDecided('91330381MA2G2YEE23', authorityCode);
    await narrowed.publisher.publish([event]);
    const eventId = (await store.prisma.outboxEvent.findUniqueOrThrow({ where: { dedupeKey: event.dedupeKey } })).id;

    await expect
      .poll(async () => (await narrowed.deliveries.ofEvent(eventId)).map((d) => d.status), { timeout: 10_000 })
      .toEqual(['DEAD']);
    const [dead] = await narrowed.deliveries.ofEvent(eventId);
    expect(dead).toMatchObject({ attempts: 1, lastError: destinationRefused() });
    expect(received).not.toContain(eventId);
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        reason: 'destination_refused',
        detail: `destination refused: port ${receiverPort} is not one webhooks may go to (80, 443, 8080, 8443) unless WEBHOOK_ALLOWED_PORTS permits it`,
      }),
    );
    await stop(narrowed);

    // The operator permits the port again and replays the dead letter.
    const widened = await gatewayWith(LOCAL_RECEIVERS);
    widened.dispatcher.start();
    expect((await widened.deliveries.replay([dead!.id])).replayed.map((d) => d.id)).toEqual([dead!.id]);
    widened.dispatcher.wake();

    await expect
      .poll(async () => (await widened.deliveries.ofEvent(eventId)).map((d) => d.status), { timeout: 10_000 })
      .toEqual(['DELIVERED']);
    expect(received.filter((id) => id === eventId)).toHaveLength(1);
  });
});
