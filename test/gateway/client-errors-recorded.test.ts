import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/modules/audit/access-log-verify.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { exchangeRaw, type RawExchange } from '../support/raw-socket.ts';
import { postgresVariant, TEST_DATABASE_URL } from '../support/stores.ts';

/**
 * Bytes Node's HTTP parser refuses before Express has a request (headers over 16 KB, a request
 * line that is not HTTP) are answered in the gateway's error format and recorded in the access
 * log like every other refusal, over real TCP connections to a real gateway and its store: the
 * embedded one, and PostgreSQL when the tests have one.
 */
let gw: TestGateway;
const SECRET = 'Bearer do-not-echo-me-';
const oversizedHeaders = `POST /graphql HTTP/1.1\r\nHost: gateway\r\nAuthorization: ${SECRET}${'x'.repeat(17 * 1024)}\r\n\r\n`;

async function newestEntry() {
  const [entry] = await gw.gateway.store.prisma.accessLogEntry.findMany({ orderBy: { seq: 'desc' }, take: 1 });
  if (!entry) throw new Error('the access log is empty');
  return entry;
}

function expectRefusal(answer: RawExchange, status: number, code: string, reason: string): void {
  expect(answer.status, answer.text.slice(0, 200)).toBe(status);
  expect(answer.headers['connection']).toBe('close');
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  expect(JSON.parse(answer.body)).toEqual({
    errors: [{ message: expect.any(String), extensions: { code, reason } }],
  });
}

for (const store of ['PGlite', 'PostgreSQL'] as const) {
  describe.runIf(store === 'PGlite' || TEST_DATABASE_URL !== undefined)(
    `requests Node refuses before Express, on ${store}`,
    () => {
      const variant = postgresVariant(TEST_DATABASE_URL);
      beforeAll(async () => {
        gw = await startTestGateway({
          authRequired: true,
          databaseUrl: store === 'PostgreSQL' ? await databaseOf(variant) : undefined,
        });
      }, 180_000);
      afterAll(async () => {
        await gw?.close();
        await variant.dispose();
      });
      refusalCases();
    },
  );
}

/** A fresh, migrated PostgreSQL database's URL. */
async function databaseOf(variant: ReturnType<typeof postgresVariant>): Promise<string> {
  const opened = await variant.open();
  const [database] = await opened.prisma.$queryRaw<{ name: string }[]>`SELECT current_database() AS name`;
  const url = new URL(TEST_DATABASE_URL!);
  url.pathname = `/${database!.name}`;
  return url.toString();
}

function refusalCases(): void {
  it('answers headers over 16 KB 431 in the gateway’s format without echoing them, and records the refusal', async () => {
    const answer = await exchangeRaw(gw.url, oversizedHeaders);
    expectRefusal(answer, 431, 'HEADERS_TOO_LARGE', 'header_overflow');
    expect(answer.text).not.toContain('do-not-echo-me');
    expect(await newestEntry()).toMatchObject({
      callerSubject: '',
      issuer: '',
      roles: [],
      outcome: 'ERROR',
      reason: 'header_overflow',
      operationName: null,
      clientAddress: expect.stringMatching(/127\.0\.0\.1$/),
    });
  });

  it('answers a request line that is not HTTP 400 and records it as malformed_http', async () => {
    const answer = await exchangeRaw(gw.url, 'GARBAGE<script>alert(1)</script>\r\n\r\n');
    expectRefusal(answer, 400, 'MALFORMED_HTTP', 'malformed_http');
    expect(answer.text).not.toContain('script');
    expect(await newestEntry()).toMatchObject({ outcome: 'ERROR', reason: 'malformed_http', callerSubject: '' });
  });

  it('answers a header name that is not a token 400 and records it', async () => {
    const before = await gw.gateway.store.prisma.accessLogEntry.count();
    const answer = await exchangeRaw(gw.url, 'GET /healthz HTTP/1.1\r\nHost: gateway\r\nBad Header: 1\r\n\r\n');
    expectRefusal(answer, 400, 'MALFORMED_HTTP', 'malformed_http');
    expect(await gw.gateway.store.prisma.accessLogEntry.count()).toBe(before + 1);
  });

  it('answers an Expect it cannot meet 417 in the gateway’s format and records it as expectation_failed', async () => {
    // Node answered it itself, a bare 417 with no body, and nothing was recorded.
    const answer = await exchangeRaw(
      gw.url,
      'POST /graphql HTTP/1.1\r\nHost: gateway\r\nExpect: 200-ok\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
    );
    expectRefusal(answer, 417, 'MALFORMED_HTTP', 'expectation_failed');
    expect(await newestEntry()).toMatchObject({ outcome: 'ERROR', reason: 'expectation_failed', callerSubject: '' });
  });

  it('answers an HTTP/1.1 request without Host 400 in the gateway’s format and records it as missing_host', async () => {
    // Node answered it itself, a bare 400 with no body, and nothing was recorded.
    const answer = await exchangeRaw(
      gw.url,
      'POST /graphql HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
    );
    expectRefusal(answer, 400, 'MALFORMED_HTTP', 'missing_host');
    expect(await newestEntry()).toMatchObject({ outcome: 'ERROR', reason: 'missing_host', callerSubject: '' });
  });

  it('still serves an HTTP/1.0 request without Host, which that version allows', async () => {
    const answer = await exchangeRaw(gw.url, 'GET /healthz HTTP/1.0\r\n\r\n');
    expect(answer.text).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('records nothing for a connection the client resets mid-request, and keeps serving', async () => {
    const before = await gw.gateway.store.prisma.accessLogEntry.count();
    const { hostname, port } = new URL(gw.url);
    await new Promise<void>((resolve) => {
      const socket = connect({ host: hostname, port: Number(port) }, () => {
        socket.write('POST /graphql HTTP/1.1\r\nHost: gateway\r\n', () => {
          socket.resetAndDestroy();
          resolve();
        });
      });
    });
    const health = await fetch(`${gw.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await gw.gateway.store.prisma.accessLogEntry.count()).toBe(before);
  });

  it('leaves the access log’s hash chain intact', async () => {
    await Promise.all([
      exchangeRaw(gw.url, oversizedHeaders),
      exchangeRaw(gw.url, 'NOT HTTP\r\n\r\n'),
      exchangeRaw(gw.url, oversizedHeaders),
    ]);
    const entries = await gw.gateway.store.prisma.accessLogEntry.count();
    expect(await verifyChain(gw.gateway.store.prisma)).toMatchObject({ ok: true, entries });
  });

  it('still answers and closes the connection when the access log cannot be written', async () => {
    await gw.gateway.store.prisma.$executeRawUnsafe(
      'ALTER TABLE access_log ADD CONSTRAINT refuse_all CHECK (seq < 0) NOT VALID',
    );
    try {
      const before = await gw.gateway.store.prisma.accessLogEntry.count();
      const answer = await exchangeRaw(gw.url, oversizedHeaders);
      expectRefusal(answer, 431, 'HEADERS_TOO_LARGE', 'header_overflow');
      expect(await gw.gateway.store.prisma.accessLogEntry.count()).toBe(before);
    } finally {
      await gw.gateway.store.prisma.$executeRawUnsafe('ALTER TABLE access_log DROP CONSTRAINT refuse_all');
    }
  });
}
