import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { base64url, compactVerify, createRemoteJWKSet } from 'jose';
import type { WebhookEnvelope } from '../../src/modules/events/webhook-envelope.ts';

/**
 * What a gateway needs to send to the receivers started here: they listen on loopback, on a port
 * the system picks, so the operator permits both explicitly, as for an agency's internal receiver
 * on a port of its own. The ports are the defaults (80, 443, 8080, 8443) and every unprivileged one.
 */
export const LOCAL_RECEIVERS = {
  WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8',
  WEBHOOK_ALLOWED_PORTS: '80,443,1024-65535',
} as const;

/** One POST as the receiver saw it, with what its own signature check concluded. */
export interface ReceivedWebhook {
  envelope: WebhookEnvelope;
  rawBody: string;
  signature: string;
  verified: boolean;
  /** The status the receiver answered with. */
  answered: number | 'hung';
}

/** A status with a body of the receiver's own (an error page, say). */
export interface AnswerWithBody {
  status: number;
  body: string;
}

/** Decides the answer to one request: a status, a status with a body, or `hang` to never answer (until closed). */
export type Answer = (envelope: WebhookEnvelope, seen: readonly ReceivedWebhook[]) => number | AnswerWithBody | 'hang';

/**
 * An agency's webhook endpoint, as a real one would be: a node:http server that checks each
 * request's detached JWS against the gateway's JWKS, fetched over HTTP with jose, refuses bad
 * signatures with 401, and otherwise answers as the test tells it.
 */
export async function startWebhookReceiver(jwksUrl: string, answer: Answer = () => 200) {
  const jwks = createRemoteJWKSet(new URL(jwksUrl));
  const received: ReceivedWebhook[] = [];
  const hanging = new Set<ServerResponse>();
  let decide = answer;
  const waiters: Array<() => void> = [];

  const server = createServer((request, response) => {
    void handle(request, response);
  });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const signature = String(request.headers['webhook-signature'] ?? '');
    const verified = await verifyDetached(rawBody, signature, jwks);
    const envelope = JSON.parse(rawBody) as WebhookEnvelope;
    const decided = verified ? decide(envelope, received) : 401;
    const answered = decided === 'hang' ? 'hung' : typeof decided === 'number' ? decided : decided.status;
    received.push({ envelope, rawBody, signature, verified, answered });
    for (const wake of waiters.splice(0)) wake();
    if (decided === 'hang') {
      hanging.add(response);
      return;
    }
    if (typeof decided === 'number') response.writeHead(decided).end();
    else response.writeHead(decided.status, { 'content-type': 'text/html' }).end(decided.body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    received,
    /** Answers from now on. */
    answerWith(next: Answer) {
      decide = next;
    },
    /** Requests the receiver acknowledged (2xx), in arrival order. */
    accepted(): WebhookEnvelope[] {
      return received.filter((r) => typeof r.answered === 'number' && r.answered < 300).map((r) => r.envelope);
    },
    /** Resolves once `condition` holds over what has arrived, or fails after `timeoutMs`. */
    async until(condition: (received: readonly ReceivedWebhook[]) => boolean, timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!condition(received)) {
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(
            `receiver: condition not met in ${timeoutMs} ms; got ${JSON.stringify(received.map(summary))}`,
          );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 200));
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

/** What a receiver does with the `webhook-signature` header: re-attach the body and verify. */
export async function verifyDetached(
  rawBody: string,
  signature: string,
  key: Parameters<typeof compactVerify>[1],
): Promise<boolean> {
  const [header, detached, sig] = signature.split('.');
  if (header === undefined || detached !== '' || sig === undefined) return false;
  try {
    await compactVerify(`${header}.${base64url.encode(rawBody)}.${sig}`, key);
    return true;
  } catch {
    return false;
  }
}

function summary(r: ReceivedWebhook) {
  return {
    id: r.envelope.id,
    kind: r.envelope.kind,
    subject: r.envelope.subject,
    attempt: r.envelope.attempt,
    answered: r.answered,
  };
}

/** A receiver's URL on each port webhooks may go to by default, with and without the port written. */
export const URLS_ON_DEFAULT_PORTS = [
  'http://receiver.example/hook',
  'https://receiver.example/hook',
  'http://receiver.example:80/hook',
  'https://receiver.example:443/hook',
  'http://receiver.example:8080/hook',
  'https://receiver.example:8443/hook',
];
