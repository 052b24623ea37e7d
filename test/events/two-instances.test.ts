import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair } from 'jose';
import pg from 'pg';
import { WEBHOOK_JWKS_PATH } from '../../src/modules/events/webhook-signature.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { TEST_DATABASE_URL } from '../support/stores.ts';
import { freshAuthority, penaltyDecided, TEST_AUTHORITIES } from './loop-events.ts';
import { LOCAL_RECEIVERS, startWebhookReceiver } from './webhook-receiver.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A database of its own on the server TEST_DATABASE_URL names, dropped after the file. */
async function freshDatabase(adminUrl: string): Promise<string> {
  const name = `gw_test_events_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`CREATE DATABASE "${name}"`);
  cleanups.push(() => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

describe.runIf(TEST_DATABASE_URL !== undefined)('two gateway instances on one PostgreSQL', () => {
  it('deliver every event exactly once between them, each subject in order', async () => {
    const databaseUrl = await freshDatabase(TEST_DATABASE_URL!);
    // Instances behind one load balancer share the signing key, so either's JWKS verifies both.
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const env = {
      ...LOCAL_RECEIVERS,
      WEBHOOK_SIGNING_KEY: JSON.stringify(await exportJWK(privateKey)),
      WEBHOOK_POLL_INTERVAL_MS: '10',
      WEBHOOK_MAX_IN_FLIGHT: '4',
    };
    const instances: TestGateway[] = [];
    for (let i = 0; i < 2; i += 1) {
      const instance = await startTestGateway({ authRequired: true, databaseUrl, env, authorities: TEST_AUTHORITIES });
      cleanups.push(() => instance.close());
      instances.push(instance);
    }
    const [a, b] = instances as [TestGateway, TestGateway];
    const hook = await startWebhookReceiver(`${b.url}${WEBHOOK_JWKS_PATH}`);
    cleanups.push(() => hook.close());
    const authority = freshAuthority();
    expectNoGraphQLErrors(
      await a.post(
        'mutation Subscribe($input: EventSubscriptionInput!) { createEventSubscription(input: $input) { id } }',
        { input: { authorityCode: authority, kinds: ['PENALTY_DECIDED'], webhookUrl: hook.url } },
        await a.as('admin'),
      ),
    );
    const subjects = ['SUBJECT-1', 'SUBJECT-2', 'SUBJECT-3', 'SUBJECT-4', 'SUBJECT-5'];
    const events = Array.from({ length: 40 }, (_, n) =>
      penaltyDecided(subjects[n % subjects.length]!, authority, { n }),
    );

    // Both publish (half each), both deliver.
    await Promise.all([
      a.gateway.events.publisher.publish(events.slice(0, 20)),
      b.gateway.events.publisher.publish(events.slice(20)),
    ]);
    await hook.until((seen) => seen.length >= events.length, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(hook.received.every((r) => r.verified)).toBe(true);
    const ids = hook.received.map((r) => r.envelope.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(events.length);
    // Both instances did part of the work (each counts its own attempts).
    for (const instance of instances) {
      const text = await (await fetch(`${instance.url}/metrics`)).text();
      const line = text
        .split('\n')
        .find((candidate) => candidate.startsWith('gateway_webhook_attempts_total{outcome="delivered"} '));
      expect(Number(line?.split(' ')[1])).toBeGreaterThan(0);
    }
    // In order of publication: the two publishers ran at once, so that is the outbox's commit order.
    const published = await a.gateway.store.prisma.outboxEvent.findMany({
      where: { dedupeKey: { in: events.map((event) => event.dedupeKey) } },
      orderBy: { seq: 'asc' },
      select: { id: true, subjectUscc: true },
    });
    for (const subject of subjects) {
      const received = hook.received.filter((r) => r.envelope.subject === subject).map((r) => r.envelope.id);
      expect(received).toEqual(published.filter((event) => event.subjectUscc === subject).map((event) => event.id));
    }
  }, 120_000);
});
