import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessLog } from '../../src/modules/audit/access-log.ts';
import { AccessLogWriter } from '../../src/modules/audit/access-log-writer.ts';
import { createEventDelivery, type EventDelivery } from '../../src/modules/events/event-delivery.ts';
import { loadWebhookConfig } from '../../src/modules/events/webhook-config.ts';
import { createLogger } from '../../src/platform/logger.ts';
import type { Store } from '../../src/platform/store/open-store.ts';
import { captureLogs } from '../http/log-capture.ts';
import { pgliteVariant } from '../support/stores.ts';
import { freshAuthority, penaltyDecided } from './loop-events.ts';
import { LOCAL_RECEIVERS } from './webhook-receiver.ts';

const variant = pgliteVariant();
const logs = captureLogs();
let store: Store;
let events: EventDelivery;

beforeAll(async () => {
  store = await variant.open();
  events = await createEventDelivery({
    prisma: store.prisma,
    config: loadWebhookConfig({
      ...LOCAL_RECEIVERS,
      WEBHOOK_POLL_INTERVAL_MS: '20',
      WEBHOOK_MAX_ATTEMPTS: '1',
    }),
    dataDir: 'memory://',
    logger: createLogger({ level: 'info', destination: logs.destination }),
    accessLog: new AccessLogWriter(new AccessLog(store.prisma)),
  });
  events.dispatcher.start();
});

afterAll(async () => {
  await events?.dispatcher.stop();
  await variant.dispose();
});

/** A port nothing listens on: one a server had a moment ago. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a webhook delivery that cannot connect', () => {
  it("is stored in the catalogue's words, the HTTP client's own (address and port) going to the server log", async () => {
    const port = await closedPort();
    const authority = freshAuthority();
    await events.subscriptions.create(
      { authorityCode: authority, kinds: ['PENALTY_DECIDED'], webhookUrl: `http://127.0.0.1:${port}/hook` },
      'test',
    );
    const event = penaltyDecided('91330381MA2G2YEE23', authority);

    await events.publisher.publish([event]);

    await expect.poll(() => logs.raw(), { timeout: 10_000 }).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
    const logged = logs.lines().find((line) => JSON.stringify(line).includes('webhook delivery attempt failed'));
    expect(logged).toMatchObject({ level: 'warn', subscriptionId: expect.any(String) });
    const [delivery] = await events.deliveries.ofEvent(await eventIdOf(event.dedupeKey));
    expect(delivery?.lastError).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      reason: 'connection_refused',
      message: 'The webhook receiver is unavailable (connection_refused).',
    });
  });
});

async function eventIdOf(dedupeKey: string): Promise<string> {
  return (await store.prisma.outboxEvent.findUniqueOrThrow({ where: { dedupeKey } })).id;
}

describe('stopping the webhook dispatcher', () => {
  it('can be asked twice, as a second signal or a cleanup does, and both calls end without throwing', async () => {
    const dispatcher = (
      await createEventDelivery({
        prisma: store.prisma,
        config: loadWebhookConfig({ ...LOCAL_RECEIVERS, WEBHOOK_POLL_INTERVAL_MS: '20' }),
        dataDir: 'memory://',
        logger: createLogger({ level: 'info', destination: logs.destination }),
        accessLog: new AccessLogWriter(new AccessLog(store.prisma)),
      })
    ).dispatcher;
    dispatcher.start();
    await expect(Promise.all([dispatcher.stop(), dispatcher.stop()])).resolves.toBeDefined();
    await expect(dispatcher.stop()).resolves.toBeUndefined();
  });
});
