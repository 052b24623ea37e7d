import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet } from 'jose';
import { findDemoPreset } from '../../src/auth/index.ts';
import { WEBHOOK_JWKS_PATH } from '../../src/modules/events/webhook-signature.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { expectGraphQLErrors, expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { freshAuthority, penaltyDecided, TEST_AUTHORITIES } from './loop-events.ts';
import { LOCAL_RECEIVERS, startWebhookReceiver, verifyDetached, type WebhookReceiver } from './webhook-receiver.ts';

const SUBSCRIBE = /* GraphQL */ `
  mutation Subscribe($input: EventSubscriptionInput!) {
    createEventSubscription(input: $input) {
      id
      authorityCode
      kinds
      webhookUrl
      createdBy
      disabledAt
    }
  }
`;
const DEAD_LETTERS = /* GraphQL */ `
  query DeadLetters($subscriptionId: ID) {
    deadLetters(subscriptionId: $subscriptionId) {
      id
      status
      attempts
      lastError
      lastErrorCode
      lastErrorReason
      deadLetteredAt
      event {
        id
        kind
        subjectUscc
        dedupeKey
        payloadJson
      }
      subscription {
        id
        authorityCode
      }
    }
  }
`;
const REPLAY = /* GraphQL */ `
  mutation Replay($ids: [ID!]!) {
    replayDeadLetters(ids: $ids) {
      replayed {
        id
        status
        attempts
      }
      notDeadLettered
    }
  }
`;

const MAX_ATTEMPTS = 4;
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
      WEBHOOK_RETRY_MAX_MS: '80',
      WEBHOOK_POLL_INTERVAL_MS: '20',
      WEBHOOK_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      // Generous, so no attempt times out by accident on a loaded machine; one test waits it out.
      WEBHOOK_TIMEOUT_MS: '4000',
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

async function subscribe(authorityCode: string, webhookUrl: string, kinds = ['PENALTY_DECIDED']): Promise<string> {
  const data = expectNoGraphQLErrors(
    await gw.post<{ createEventSubscription: { id: string } }>(
      SUBSCRIBE,
      { input: { authorityCode, kinds, webhookUrl } },
      admin,
    ),
  );
  return data.createEventSubscription.id;
}

async function eventIdOf(dedupeKey: string): Promise<string> {
  const row = await gw.gateway.store.prisma.outboxEvent.findUniqueOrThrow({ where: { dedupeKey } });
  return row.id;
}

async function deliveryStatus(dedupeKey: string, subscriptionId: string) {
  return gw.gateway.store.prisma.eventDelivery.findFirstOrThrow({ where: { subscriptionId, event: { dedupeKey } } });
}

describe('webhook delivery', () => {
  it('delivers an event to the concerned authority, signed so the receiver verifies it against the JWKS over HTTP', async () => {
    const authority = freshAuthority();
    const hook = await receiver();
    const subscriptionId = await subscribe(authority, hook.url);
    const event = penaltyDecided('91330381MA2G2YEE23', authority, { fineFen: 895000 });

    await gw.gateway.events.publisher.publish([event]);
    await hook.until((seen) => seen.length === 1);

    const [got] = hook.received;
    expect(got!.verified).toBe(true);
    expect(got!.envelope).toMatchObject({
      id: await eventIdOf(event.dedupeKey),
      kind: 'PENALTY_DECIDED',
      subject: '91330381MA2G2YEE23',
      dedupeKey: event.dedupeKey,
      payload: event.payload,
      subscriptionId,
      authorityCode: authority,
      attempt: 1,
    });
    // The same signature over a body changed by one character does not verify.
    const jwks = createRemoteJWKSet(new URL(`${gw.url}${WEBHOOK_JWKS_PATH}`));
    expect(await verifyDetached(got!.rawBody, got!.signature, jwks)).toBe(true);
    expect(await verifyDetached(got!.rawBody.replace('895000', '895001'), got!.signature, jwks)).toBe(false);
    await expect.poll(async () => (await deliveryStatus(event.dedupeKey, subscriptionId)).status).toBe('DELIVERED');
  });

  it('queues a delivery only for subscriptions of the authorities concerned and the kinds they chose', async () => {
    const concerned = freshAuthority();
    const bystander = freshAuthority();
    const hook = await receiver();
    const wanted = await subscribe(concerned, hook.url);
    await subscribe(concerned, hook.url, ['TRANSFER_STEP']);
    await subscribe(bystander, hook.url);
    const event = penaltyDecided('91330381MA2G2YEE23', concerned);

    await gw.gateway.events.publisher.publish([event]);

    const deliveries = await gw.gateway.events.deliveries.ofEvent(await eventIdOf(event.dedupeKey));
    expect(deliveries.map((delivery) => delivery.subscription.id)).toEqual([wanted]);
  });

  it('delivers an event published twice under one dedupe key once', async () => {
    const authority = freshAuthority();
    const hook = await receiver();
    await subscribe(authority, hook.url);
    const event = penaltyDecided('91330381MA2G2YEE23', authority);

    await gw.gateway.events.publisher.publish([event]);
    await gw.gateway.events.publisher.publish([{ ...event, payload: { changed: true } }]);
    await hook.until((seen) => seen.length >= 1);

    expect(await gw.gateway.store.prisma.outboxEvent.count({ where: { dedupeKey: event.dedupeKey } })).toBe(1);
    expect(
      await gw.gateway.store.prisma.eventDelivery.count({ where: { event: { dedupeKey: event.dedupeKey } } }),
    ).toBe(1);
    expect(hook.received[0]!.envelope.payload).toEqual(event.payload);
  });

  it('retries after the receiver fails and delivers once it recovers, with the same event id each time', async () => {
    const authority = freshAuthority();
    let failuresLeft = 2;
    const hook = await receiver(() => (failuresLeft-- > 0 ? 503 : 200));
    const subscriptionId = await subscribe(authority, hook.url);
    const event = penaltyDecided('91330381MA2G2YEE23', authority);

    await gw.gateway.events.publisher.publish([event]);
    await hook.until((seen) => seen.some((r) => r.answered === 200));

    expect(hook.received.map((r) => [r.envelope.attempt, r.answered])).toEqual([
      [1, 503],
      [2, 503],
      [3, 200],
    ]);
    expect(new Set(hook.received.map((r) => r.envelope.id))).toEqual(new Set([await eventIdOf(event.dedupeKey)]));
    await expect.poll(async () => (await deliveryStatus(event.dedupeKey, subscriptionId)).status).toBe('DELIVERED');
  });

  it('gives up on a receiver that does not answer within the timeout, and tries again', async () => {
    const authority = freshAuthority();
    let hangs = 1;
    const hook = await receiver(() => (hangs-- > 0 ? 'hang' : 200));
    const subscriptionId = await subscribe(authority, hook.url);
    const event = penaltyDecided('91330381MA2G2YEE23', authority);

    await gw.gateway.events.publisher.publish([event]);
    await hook.until((seen) => seen.some((r) => r.answered === 200));

    expect(hook.received.map((r) => [r.envelope.attempt, r.answered])).toEqual([
      [1, 'hung'],
      [2, 200],
    ]);
    await expect.poll(async () => (await deliveryStatus(event.dedupeKey, subscriptionId)).status).toBe('DELIVERED');
    expect((await deliveryStatus(event.dedupeKey, subscriptionId)).lastError).toBeNull();
  });

  it('keeps each subject in order while one of its deliveries is retried, without holding up other subjects', async () => {
    const authority = freshAuthority();
    const first = penaltyDecided('SUBJECT-A', authority, { n: 1 });
    const second = penaltyDecided('SUBJECT-A', authority, { n: 2 });
    const third = penaltyDecided('SUBJECT-A', authority, { n: 3 });
    const other = penaltyDecided('SUBJECT-B', authority, { n: 1 });
    let firstFailures = 3;
    const hook = await receiver((envelope) =>
      envelope.dedupeKey === first.dedupeKey && firstFailures-- > 0 ? 500 : 200,
    );
    await subscribe(authority, hook.url);

    await gw.gateway.events.publisher.publish([first, second, third, other]);
    await hook.until((seen) => seen.filter((r) => r.answered === 200).length === 4);

    const subjectA = hook.received.filter((r) => r.envelope.subject === 'SUBJECT-A');
    expect(subjectA.map((r) => [r.envelope.payload['n'], r.answered])).toEqual([
      [1, 500],
      [1, 500],
      [1, 500],
      [1, 200],
      [2, 200],
      [3, 200],
    ]);
    // SUBJECT-B went out while SUBJECT-A's first event was still failing.
    const otherAt = hook.received.findIndex((r) => r.envelope.subject === 'SUBJECT-B');
    const firstAcceptedAt = hook.received.findIndex(
      (r) => r.envelope.dedupeKey === first.dedupeKey && r.answered === 200,
    );
    expect(otherAt).toBeLessThan(firstAcceptedAt);
  });

  it('dead-letters at once when the receiver refuses with a 4xx other than 408 and 429', async () => {
    const authority = freshAuthority();
    const gone = penaltyDecided('SUBJECT-G', authority, { n: 1 });
    const next = penaltyDecided('SUBJECT-G', authority, { n: 2 });
    const hook = await receiver((envelope) => (envelope.dedupeKey === gone.dedupeKey ? 410 : 200));
    const subscriptionId = await subscribe(authority, hook.url);

    await gw.gateway.events.publisher.publish([gone, next]);
    await hook.until((seen) => seen.some((r) => r.envelope.dedupeKey === next.dedupeKey));

    expect(hook.received.map((r) => [r.envelope.payload['n'], r.envelope.attempt, r.answered])).toEqual([
      [1, 1, 410],
      [2, 1, 200],
    ]);
    expect(await deliveryStatus(gone.dedupeKey, subscriptionId)).toMatchObject({
      status: 'DEAD',
      attempts: 1,
      lastError: 'The webhook receiver gave an unusable response (http_410).',
    });
  });

  it('dead-letters after the bound, lets the next event of the subject go, lists the dead letter and replays it', async () => {
    const authority = freshAuthority();
    const doomed = penaltyDecided('SUBJECT-D', authority, { n: 1 });
    const next = penaltyDecided('SUBJECT-D', authority, { n: 2 });
    const hook = await receiver((envelope) => (envelope.dedupeKey === doomed.dedupeKey ? 500 : 200));
    const subscriptionId = await subscribe(authority, hook.url);

    await gw.gateway.events.publisher.publish([doomed, next]);
    await hook.until((seen) => seen.some((r) => r.envelope.dedupeKey === next.dedupeKey));

    expect(hook.received.map((r) => [r.envelope.payload['n'], r.envelope.attempt, r.answered])).toEqual([
      [1, 1, 500],
      [1, 2, 500],
      [1, 3, 500],
      [1, 4, 500],
      [2, 1, 200],
    ]);
    const listed = expectNoGraphQLErrors(
      await gw.post<{
        deadLetters: Array<Record<string, unknown> & { id: string; event: { id: string; payloadJson: string } }>;
      }>(DEAD_LETTERS, { subscriptionId }, admin),
    ).deadLetters;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      status: 'DEAD_LETTERED',
      attempts: MAX_ATTEMPTS,
      lastError: 'The webhook receiver is unavailable (http_500).',
      lastErrorCode: 'UPSTREAM_UNAVAILABLE',
      lastErrorReason: 'http_500',
      event: { id: await eventIdOf(doomed.dedupeKey), kind: 'PENALTY_DECIDED', subjectUscc: 'SUBJECT-D' },
      subscription: { id: subscriptionId, authorityCode: authority },
    });
    expect(JSON.parse(listed[0]!.event.payloadJson)).toEqual(doomed.payload);
    expect(listed[0]!['deadLetteredAt']).toMatch(/\+08:00$/);
    // An event read back is a read about its subject: the access log names it, so a search by subject finds it.
    const [entry] = await gw.gateway.store.prisma.accessLogEntry.findMany({ orderBy: { seq: 'desc' }, take: 1 });
    expect(entry?.subjects).toEqual(['SUBJECT-D']);

    hook.answerWith(() => 200);
    const replay = expectNoGraphQLErrors(
      await gw.post<{ replayDeadLetters: { replayed: Array<{ id: string }>; notDeadLettered: string[] } }>(
        REPLAY,
        { ids: [listed[0]!.id, '00000000-0000-4000-8000-000000000000'] },
        admin,
      ),
    ).replayDeadLetters;
    expect(replay.replayed.map((delivery) => delivery.id)).toEqual([listed[0]!.id]);
    expect(replay.notDeadLettered).toEqual(['00000000-0000-4000-8000-000000000000']);

    await hook.until((seen) => seen.some((r) => r.envelope.dedupeKey === doomed.dedupeKey && r.answered === 200));
    expect(hook.received.at(-1)!.envelope).toMatchObject({ id: listed[0]!.event.id, attempt: 1 });
    await expect.poll(async () => (await deliveryStatus(doomed.dedupeKey, subscriptionId)).status).toBe('DELIVERED');
    const after = expectNoGraphQLErrors(
      await gw.post<{ deadLetters: unknown[] }>(DEAD_LETTERS, { subscriptionId }, admin),
    );
    expect(after.deadLetters).toEqual([]);
  });
});

describe('what a failed delivery tells its readers', () => {
  /** The subscription's one dead letter, read as an administrator reads it: through the GraphQL API. */
  async function deadLetterOf(subscriptionId: string) {
    const listed = expectNoGraphQLErrors(
      await gw.post<{ deadLetters: Array<Record<string, unknown>> }>(DEAD_LETTERS, { subscriptionId }, admin),
    ).deadLetters;
    expect(listed).toHaveLength(1);
    return listed[0]!;
  }

  async function deadLetteredTo(webhookUrl: string): Promise<string> {
    const authority = freshAuthority();
    const subscriptionId = await subscribe(authority, webhookUrl);
    const event = penaltyDecided('91330381MA2G2YEE23', authority);
    await gw.gateway.events.publisher.publish([event]);
    await expect
      .poll(async () => (await deliveryStatus(event.dedupeKey, subscriptionId)).status, { timeout: 10_000 })
      .toBe('DEAD');
    return subscriptionId;
  }

  it("tells a receiver's error page by its status in the catalogue's words, never by what the page says", async () => {
    const marker = 'MARKER-5f1c-receiver-page';
    const hook = await receiver(() => ({
      status: 500,
      body: `<html><body><h1>${marker}</h1><p>upstream app01.agency.internal:8080 failed</p></body></html>`,
    }));

    const told = await deadLetterOf(await deadLetteredTo(hook.url));

    expect(told).toMatchObject({
      lastError: 'The webhook receiver is unavailable (http_500).',
      lastErrorCode: 'UPSTREAM_UNAVAILABLE',
      lastErrorReason: 'http_500',
    });
    expect(JSON.stringify(told)).not.toContain(marker);
    expect(JSON.stringify(told)).not.toContain('agency.internal');
  });

  it('tells a refused connection by its reason, without the address and port the HTTP client named', async () => {
    const gone = await receiver();
    await gone.close();
    const port = new URL(gone.url).port;

    const told = await deadLetterOf(await deadLetteredTo(gone.url));

    expect(told).toMatchObject({
      attempts: MAX_ATTEMPTS,
      lastError: 'The webhook receiver is unavailable (connection_refused).',
      lastErrorCode: 'UPSTREAM_UNAVAILABLE',
      lastErrorReason: 'connection_refused',
    });
    const failure = [told['lastError'], told['lastErrorCode'], told['lastErrorReason']].join(' ');
    expect(failure).not.toMatch(new RegExp(`127\\.0\\.0\\.1|${port}|ECONNREFUSED`));
  });

  it('tells a failure stored before in raw words as an unexpected error, hiding those words', async () => {
    const hook = await receiver(() => 410);
    const subscriptionId = await deadLetteredTo(hook.url);
    // What the gateway stored before failures were told by the catalogue: the HTTP client's own words.
    await gw.gateway.store.prisma.eventDelivery.updateMany({
      where: { subscriptionId },
      data: { lastError: 'ECONNREFUSED: connect ECONNREFUSED 10.20.30.40:8443' },
    });

    expect(await deadLetterOf(subscriptionId)).toMatchObject({
      lastError: 'Unexpected error.',
      lastErrorCode: 'INTERNAL_SERVER_ERROR',
      lastErrorReason: null,
    });
  });
});

describe('delivery metrics', () => {
  it('counts attempts by outcome and shows the backlog at /metrics', async () => {
    const authority = freshAuthority();
    const hook = await receiver(() => 500);
    await subscribe(authority, hook.url);
    await gw.gateway.events.publisher.publish([penaltyDecided('SUBJECT-M', authority)]);
    await hook.until((seen) => seen.length === MAX_ATTEMPTS);
    await expect
      .poll(async () =>
        metric(await (await fetch(`${gw.url}/metrics`)).text(), 'gateway_webhook_deliveries{status="dead"}'),
      )
      .toBeGreaterThanOrEqual(1);

    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metric(text, 'gateway_webhook_attempts_total{outcome="retry"}')).toBeGreaterThanOrEqual(MAX_ATTEMPTS - 1);
    expect(metric(text, 'gateway_webhook_attempts_total{outcome="dead"}')).toBeGreaterThanOrEqual(1);
    expect(metric(text, 'gateway_webhook_attempts_total{outcome="delivered"}')).toBeGreaterThanOrEqual(1);
  });
});

function metric(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
}

describe('subscription administration', () => {
  it('lists subscriptions and stops delivering to a disabled one', async () => {
    const authority = freshAuthority();
    const hook = await receiver();
    const id = await subscribe(authority, hook.url);

    const disabled = expectNoGraphQLErrors(
      await gw.post<{ disableEventSubscription: { id: string; disabledAt: string | null; disabledBy: string } }>(
        'mutation Disable($id: ID!) { disableEventSubscription(id: $id) { id disabledAt disabledBy } }',
        { id },
        admin,
      ),
    ).disableEventSubscription;
    expect(disabled.disabledAt).not.toBeNull();
    expect(disabled.disabledBy).toBe('demo-admin@' + disabled.disabledBy.split('@')[1]);
    const event = penaltyDecided('91330381MA2G2YEE23', authority);
    await gw.gateway.events.publisher.publish([event]);
    expect(await gw.gateway.events.deliveries.ofEvent(await eventIdOf(event.dedupeKey))).toEqual([]);

    const listQuery =
      'query List($code: String, $all: Boolean) { eventSubscriptions(authorityCode: $code, includeDisabled: $all) { id disabledAt } }';
    const active = expectNoGraphQLErrors(
      await gw.post<{ eventSubscriptions: unknown[] }>(listQuery, { code: authority, all: false }, admin),
    );
    const all = expectNoGraphQLErrors(
      await gw.post<{ eventSubscriptions: Array<{ id: string }> }>(listQuery, { code: authority, all: true }, admin),
    );
    expect(active.eventSubscriptions).toEqual([]);
    expect(all.eventSubscriptions.map((subscription) => subscription.id)).toEqual([id]);
  });

  it('answers NOT_FOUND for disabling a subscription that does not exist', async () => {
    const errors = expectGraphQLErrors(
      await gw.post(
        'mutation { disableEventSubscription(id: "00000000-0000-4000-8000-000000000000") { id } }',
        {},
        admin,
      ),
    );
    expect(errors[0]!.extensions?.['code']).toBe('NOT_FOUND');
  });

  it.each([
    ['ftp://receiver.example/hook', 'must be an http or https URL, not ftp', 'destination_scheme'],
    ['javascript:alert(1)', 'must be an http or https URL, not javascript', 'destination_scheme'],
    ['receiver.example/hook', 'is not an absolute URL', 'invalid_url'],
    ['https://user:secret@receiver.example/hook', 'must not carry a user name or password', 'destination_credentials'],
    ['https://receiver.example/hook#events', 'must not carry a fragment', 'destination_fragment'],
    // This gateway permits 127.0.0.0/8 only (its test receivers); every other internal address stays refused.
    ['http://169.254.169.254/latest/meta-data', 'link-local', 'destination_address_not_public'],
    ['http://10.0.0.8/hook', 'private', 'destination_address_not_public'],
    ['http://3232235777/hook', 'private', 'destination_address_not_public'],
    ['http://[::ffff:10.0.0.1]/hook', 'private', 'destination_address_not_public'],
    ['http://[fd00::1]/hook', 'unique-local', 'destination_address_not_public'],
    // Names that reach inside whatever DNS says are refused now, not only when a send resolves them.
    [
      'http://metadata.google.internal/computeMetadata/v1/',
      'cloud instance-metadata service',
      'destination_host_name_internal',
    ],
    ['http://metadata/computeMetadata/v1/', 'single-label name', 'destination_host_name_internal'],
    ['http://kubernetes.default.svc/api', 'in .svc', 'destination_host_name_internal'],
  ])(
    'refuses the webhook URL %s with BAD_USER_INPUT, saying why in its message (%s) and as reason %s, and stores nothing',
    async (webhookUrl, problem, reason) => {
      const authority = freshAuthority();
      const errors = expectGraphQLErrors(
        await gw.post(
          SUBSCRIBE,
          { input: { authorityCode: authority, kinds: ['PENALTY_DECIDED'], webhookUrl } },
          admin,
        ),
      );

      expect(errors[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'webhookUrl', reason });
      expect(errors[0]!.message).toContain(`webhookUrl: `);
      expect(errors[0]!.message).toContain(problem);
      expect(await gw.gateway.store.prisma.eventSubscription.count({ where: { authorityCode: authority } })).toBe(0);
    },
  );

  it.each([
    ['http://receiver.example:22/hook', 22],
    ['https://receiver.example:25/hook', 25],
  ])(
    'refuses the webhook URL %s for its port as it refuses an internal address, naming port %i',
    async (webhookUrl, port) => {
      const authority = freshAuthority();
      const subscribing = (url: string) =>
        gw.post(SUBSCRIBE, { input: { authorityCode: authority, kinds: ['PENALTY_DECIDED'], webhookUrl: url } }, admin);
      const byAddress = await subscribing('http://10.0.0.8/hook');
      const byPort = await subscribing(webhookUrl);

      expect(byPort.status).toBe(byAddress.status);
      const [error] = expectGraphQLErrors(byPort);
      expect(error?.extensions).toEqual({
        code: 'BAD_USER_INPUT',
        argument: 'webhookUrl',
        reason: 'destination_port_not_allowed',
        problems: [
          `webhookUrl: port ${port} is not one webhooks may go to (80, 443, 1024-65535) unless WEBHOOK_ALLOWED_PORTS permits it`,
        ],
      });
      expect(Object.keys(error?.extensions ?? {})).toEqual(
        Object.keys(expectGraphQLErrors(byAddress)[0]!.extensions ?? {}),
      );
      expect(await gw.gateway.store.prisma.eventSubscription.count({ where: { authorityCode: authority } })).toBe(0);
    },
  );

  it('refuses a webhook URL of over 2000 characters as too_long, storing nothing', async () => {
    const authority = freshAuthority();
    const webhookUrl = `https://receiver.example/${'a'.repeat(2000)}`;
    const [error] = expectGraphQLErrors(
      await gw.post(SUBSCRIBE, { input: { authorityCode: authority, kinds: ['PENALTY_DECIDED'], webhookUrl } }, admin),
    );

    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'webhookUrl', reason: 'too_long' });
    expect(error?.message).toContain('webhookUrl: at most 2000 characters (got 2025)');
    expect(await gw.gateway.store.prisma.eventSubscription.count({ where: { authorityCode: authority } })).toBe(0);
  });

  it('names the webhook URL’s reason beside the other problems of a subscription refused for several', async () => {
    const [error] = expectGraphQLErrors(
      await gw.post(
        SUBSCRIBE,
        { input: { authorityCode: freshAuthority(), kinds: [], webhookUrl: 'http://10.0.0.8/hook' } },
        admin,
      ),
    );
    expect(error?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'webhookUrl',
      reason: 'destination_address_not_public',
      problems: ['kinds: at least one event kind is required', expect.stringContaining('webhookUrl: host 10.0.0.8')],
    });
  });

  it('gives no reason when only something other than the webhook URL is wrong', async () => {
    const [error] = expectGraphQLErrors(
      await gw.post(
        SUBSCRIBE,
        { input: { authorityCode: freshAuthority(), kinds: [], webhookUrl: 'https://receiver.example/hook' } },
        admin,
      ),
    );
    expect(error?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      problems: ['kinds: at least one event kind is required'],
    });
  });

  it.each([
    ['another county’s enforcement bureau', '330382-ZHZFJ'],
    ['a mistyped code', '330381-ZHZJF'],
  ])('refuses even the operator a subscription for %s, storing nothing', async (_, code) => {
    const [error] = expectGraphQLErrors(
      await gw.post(
        SUBSCRIBE,
        { input: { authorityCode: code, kinds: ['PENALTY_DECIDED'], webhookUrl: 'https://receiver.example/hook' } },
        admin,
      ),
    );

    expect(error?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'authorityCode',
      reason: 'unknown_authority',
      authorityCode: code,
    });
    expect(error?.message).toContain(`no authority "${code}" is on the reference list`);
    expect(await gw.gateway.store.prisma.eventSubscription.count({ where: { authorityCode: code } })).toBe(0);
  });

  it('refuses an empty set of kinds with BAD_USER_INPUT', async () => {
    const errors = expectGraphQLErrors(
      await gw.post(
        SUBSCRIBE,
        { input: { authorityCode: freshAuthority(), kinds: [], webhookUrl: 'https://receiver.example/hook' } },
        admin,
      ),
    );
    expect(errors[0]!.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(errors[0]!.message).toContain('kinds: at least one event kind is required');
  });

  it.each([
    [
      'createEventSubscription',
      SUBSCRIBE,
      {
        input: {
          authorityCode: 'TEST-NOT-ADMIN',
          kinds: ['PENALTY_DECIDED'],
          webhookUrl: 'https://receiver.example/hook',
        },
      },
    ],
    ['eventSubscriptions', '{ eventSubscriptions { id } }', {}],
    ['deadLetters', '{ deadLetters { id } }', {}],
    ['replayDeadLetters', REPLAY, { ids: ['00000000-0000-4000-8000-000000000000'] }],
  ])('refuses %s to a caller who is not an administrator (FORBIDDEN)', async (_field, query, variables) => {
    const errors = expectGraphQLErrors(await gw.post(query, variables, await gw.as('county-analyst')));

    expect(errors.map((error) => error.extensions?.['code'])).toContain('FORBIDDEN');
    expect(await gw.gateway.store.prisma.eventSubscription.count({ where: { authorityCode: 'TEST-NOT-ADMIN' } })).toBe(
      0,
    );
  });
});

describe("an agency's administrator", () => {
  const ENFORCEMENT = '330381-ZHZFJ';
  /** An administrator of the county enforcement bureau, which owns a system: it acts for its own authority only. */
  const agencyAdmin = () =>
    gw.as({ ...findDemoPreset('county-enforcement')!, subject: 'demo-enforcement-admin', roles: ['ADMIN'] });

  it("cannot subscribe another authority's events to its webhook, and subscribes its own", async () => {
    const other = freshAuthority();
    const [error] = expectGraphQLErrors(
      await gw.post(
        SUBSCRIBE,
        { input: { authorityCode: other, kinds: ['PENALTY_DECIDED'], webhookUrl: 'https://receiver.example/hook' } },
        await agencyAdmin(),
      ),
    );
    expect(error?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'other-authority' });
    expect(await gw.gateway.store.prisma.eventSubscription.count({ where: { authorityCode: other } })).toBe(0);

    const own = expectNoGraphQLErrors(
      await gw.post<{ createEventSubscription: { authorityCode: string } }>(
        SUBSCRIBE,
        {
          input: {
            authorityCode: ENFORCEMENT,
            kinds: ['PENALTY_DECIDED'],
            webhookUrl: 'https://receiver.example/hook',
          },
        },
        await agencyAdmin(),
      ),
    ).createEventSubscription;
    expect(own.authorityCode).toBe(ENFORCEMENT);
  });

  it("sees, replays and disables only its own authority's subscriptions and dead letters", async () => {
    const other = freshAuthority();
    const gone = penaltyDecided('SUBJECT-T', other, { n: 1 });
    const hook = await receiver(() => 410);
    const theirs = await subscribe(other, hook.url);
    await gw.gateway.events.publisher.publish([gone]);
    await expect.poll(async () => (await deliveryStatus(gone.dedupeKey, theirs)).status).toBe('DEAD');
    const deadId = (await deliveryStatus(gone.dedupeKey, theirs)).id;
    const headers = await agencyAdmin();

    const listed = expectNoGraphQLErrors(
      await gw.post<{ eventSubscriptions: Array<{ authorityCode: string }> }>(
        '{ eventSubscriptions(includeDisabled: true) { authorityCode } }',
        {},
        headers,
      ),
    ).eventSubscriptions;
    expect(listed.filter((subscription) => subscription.authorityCode !== ENFORCEMENT)).toEqual([]);
    const [named] = expectGraphQLErrors(
      await gw.post('query ($c: String) { eventSubscriptions(authorityCode: $c) { id } }', { c: other }, headers),
    );
    expect(named?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'other-authority' });

    const dead = expectNoGraphQLErrors(
      await gw.post<{ deadLetters: Array<{ id: string }> }>(DEAD_LETTERS, { subscriptionId: theirs }, headers),
    ).deadLetters;
    expect(dead).toEqual([]);
    const replay = expectNoGraphQLErrors(
      await gw.post<{ replayDeadLetters: { replayed: unknown[]; notDeadLettered: string[] } }>(
        REPLAY,
        { ids: [deadId] },
        headers,
      ),
    ).replayDeadLetters;
    expect(replay).toEqual({ replayed: [], notDeadLettered: [deadId] });
    expect((await deliveryStatus(gone.dedupeKey, theirs)).status).toBe('DEAD');

    const [disable] = expectGraphQLErrors(
      await gw.post('mutation ($id: ID!) { disableEventSubscription(id: $id) { id } }', { id: theirs }, headers),
    );
    expect(disable?.extensions?.['code']).toBe('NOT_FOUND');
    expect((await gw.gateway.events.subscriptions.find(theirs))?.disabledAt).toBeNull();
  });
});
