import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWebhookDestinationPolicy } from '../../src/modules/events/webhook-destination-policy.ts';
import { createWebhookSender, type WebhookSender } from '../../src/modules/events/webhook-sender.ts';
import { LOCAL_RECEIVERS } from './webhook-receiver.ts';

/** A receiver on this machine answering each path with the status it names (`/status/404`); it records every request. */
let server: Server;
let port: number;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(request.url ?? '');
    request.resume();
    const status = Number(/^\/status\/(\d{3})/.exec(request.url ?? '')?.[1] ?? 200);
    response.writeHead(status, status === 302 ? { location: `http://127.0.0.1:${port}/redirected` } : {}).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const senders: WebhookSender[] = [];
afterAll(() => Promise.all(senders.map((sender) => sender.close())));

function sender(env: NodeJS.ProcessEnv, addresses?: (hostname: string) => string[]): WebhookSender {
  const resolve =
    addresses &&
    (async (hostname: string): Promise<LookupAddress[]> =>
      addresses(hostname).map((address) => ({ address, family: 4 })));
  const created = createWebhookSender({ destinations: readWebhookDestinationPolicy(env).policy, resolve });
  senders.push(created);
  return created;
}

const send = (through: WebhookSender, url: string) =>
  through.send(
    { url, body: '{}', signature: 'h..s', eventId: 'e1' },
    { timeoutMs: 5000, abandon: new AbortController().signal },
  );

describe('sending a webhook', () => {
  it('refuses an internal address without connecting, as a permanent failure', async () => {
    const before = seen.length;
    const outcome = await send(sender({}), `http://127.0.0.1:${port}/status/200`);
    expect(outcome).toMatchObject({
      kind: 'failed',
      failure: { code: 'UPSTREAM_UNAVAILABLE', reason: 'destination_refused' },
      permanent: true,
    });
    expect(outcome.kind === 'failed' && outcome.detail).toContain('loopback');
    expect(seen.length).toBe(before);
  });

  it('refuses a name that resolves to an internal address at send time (DNS rebinding), without connecting', async () => {
    const before = seen.length;
    const outcome = await send(
      sender({ WEBHOOK_ALLOWED_PORTS: LOCAL_RECEIVERS.WEBHOOK_ALLOWED_PORTS }, () => ['127.0.0.1']),
      `http://rebound.example:${port}/status/200`,
    );
    expect(outcome).toMatchObject({ kind: 'failed', failure: { reason: 'destination_refused' }, permanent: true });
    // The address a name resolves to is for the log: the delivery's readers are told the reason only.
    expect(outcome.kind === 'failed' && outcome.detail).toContain('rebound.example resolves to 127.0.0.1');
    expect(outcome.kind === 'failed' && outcome.failure.message).not.toContain('127.0.0.1');
    expect(seen.length).toBe(before);
  });

  it('refuses a port the policy does not permit without connecting, as a permanent failure naming the port in the log only', async () => {
    const before = seen.length;
    const outcome = await send(
      sender({ WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8', WEBHOOK_ALLOWED_PORTS: '443' }),
      `http://127.0.0.1:${port}/status/200`,
    );
    expect(outcome).toMatchObject({ kind: 'failed', failure: { reason: 'destination_refused' }, permanent: true });
    expect(outcome.kind === 'failed' && outcome.detail).toBe(
      `destination refused: port ${port} is not one webhooks may go to (443) unless WEBHOOK_ALLOWED_PORTS permits it`,
    );
    expect(outcome.kind === 'failed' && outcome.failure.message).not.toContain(String(port));
    expect(seen.length).toBe(before);
  });

  it('refuses a cloud metadata name at send time without resolving it, as the subscription would have been', async () => {
    const looked: string[] = [];
    const outcome = await send(
      sender({}, (hostname) => {
        looked.push(hostname);
        return ['93.184.216.34'];
      }),
      `http://metadata.google.internal:${port}/computeMetadata/v1/`,
    );
    expect(outcome).toMatchObject({ kind: 'failed', failure: { reason: 'destination_refused' }, permanent: true });
    expect(outcome.kind === 'failed' && outcome.detail).toContain('cloud instance-metadata service');
    expect(looked).toEqual([]);
  });

  it('connects to the address it checked: a permitted name reaches the receiver through the checking lookup', async () => {
    const outcome = await send(
      sender(LOCAL_RECEIVERS, () => ['127.0.0.1']),
      `http://receiver.test:${port}/status/204`,
    );
    expect(outcome).toEqual({ kind: 'delivered' });
    expect(seen.at(-1)).toBe('/status/204');
  });

  it.each([400, 401, 403, 404, 410, 422])('treats HTTP %i as permanent', async (status) => {
    const outcome = await send(sender(LOCAL_RECEIVERS), `http://127.0.0.1:${port}/status/${status}`);
    expect(outcome).toEqual({
      kind: 'failed',
      failure: {
        code: 'UPSTREAM_BAD_RESPONSE',
        reason: `http_${status}`,
        message: `The webhook receiver gave an unusable response (http_${status}).`,
      },
      permanent: true,
    });
  });

  it.each([408, 429, 500, 503])('retries after HTTP %i', async (status) => {
    const outcome = await send(sender(LOCAL_RECEIVERS), `http://127.0.0.1:${port}/status/${status}`);
    expect(outcome).toEqual({
      kind: 'failed',
      failure: {
        code: 'UPSTREAM_UNAVAILABLE',
        reason: `http_${status}`,
        message: `The webhook receiver is unavailable (http_${status}).`,
      },
    });
  });

  it('does not follow a redirect', async () => {
    const outcome = await send(sender(LOCAL_RECEIVERS), `http://127.0.0.1:${port}/status/302`);
    expect(outcome).toMatchObject({ kind: 'failed', failure: { code: 'UPSTREAM_BAD_RESPONSE', reason: 'http_302' } });
    expect(outcome).not.toHaveProperty('permanent');
    expect(seen).not.toContain('/redirected');
  });
});
