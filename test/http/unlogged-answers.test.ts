import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noteAccessLogged } from '../../src/http/access-logged-requests.ts';
import { guardUnloggedAnswers } from '../../src/http/unlogged-answers.ts';
import type { AccessLogInput } from '../../src/modules/audit/access-log.ts';
import { AccessLogWriter } from '../../src/modules/audit/access-log-writer.ts';

/**
 * The guard alone, in front of handlers that answer as the gateway's parts do: an answer nothing
 * recorded is recorded with its reason before it leaves (or replaced by 503), one already
 * recorded leaves untouched, and an outage's own 503 is not recorded.
 */
const appended: AccessLogInput[] = [];
let failing = false;
const writer = new AccessLogWriter({
  write: async (entries) => {
    if (failing) throw new Error('the log refuses');
    appended.push(...entries);
  },
  probe: async () => {
    if (failing) throw new Error('still refusing');
  },
});

let url: string;
let close: () => void;
beforeAll(async () => {
  const app = express();
  app.use(guardUnloggedAnswers({ writer, logger: pino({ level: 'silent' }), callerOf: () => undefined }));
  app.get('/issuer-down', (_req, res) => {
    res.status(503).json({ errors: [{ message: 'down', extensions: { code: 'ISSUER_UNAVAILABLE' } }] });
  });
  app.get('/fault', () => {
    throw new Error('unforeseen');
  });
  app.get('/logged', (req, res) => {
    noteAccessLogged(req);
    res.json({ data: { ok: true } });
  });
  app.get('/store-down', (_req, res) => {
    res.status(503).json({ errors: [{ message: 'store', extensions: { code: 'STORE_UNAVAILABLE' } }] });
  });
  app.use(((_error, _req, res, _next) => {
    res.status(500).json({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  }) as express.ErrorRequestHandler);
  const server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close?.());

async function answerOf(path: string) {
  const before = appended.length;
  const response = await fetch(`${url}${path}`);
  return { status: response.status, body: await response.json(), entries: appended.slice(before) };
}

describe('the access-log guard', () => {
  it('records an answer no one recorded, with its reason, and sends it as it was', async () => {
    const issuer = await answerOf('/issuer-down');
    expect(issuer.status).toBe(503);
    expect(issuer.body).toEqual({ errors: [{ message: 'down', extensions: { code: 'ISSUER_UNAVAILABLE' } }] });
    expect(issuer.entries).toEqual([expect.objectContaining({ reason: 'issuer_unavailable', outcome: 'ERROR' })]);
    const fault = await answerOf('/fault');
    expect(fault.status).toBe(500);
    expect(fault.entries).toEqual([expect.objectContaining({ reason: 'internal_error' })]);
  });

  it('leaves an answer already recorded, and an outage’s own 503, as they are', async () => {
    expect(await answerOf('/logged')).toEqual({ status: 200, body: { data: { ok: true } }, entries: [] });
    expect((await answerOf('/store-down')).entries).toEqual([]);
  });

  it('answers 503 with Retry-After instead when the entry cannot be written', async () => {
    failing = true;
    const response = await fetch(`${url}/fault`);
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await response.json()) as { errors: Array<{ extensions: unknown }> }).errors[0]?.extensions).toMatchObject(
      {
        code: 'ACCESS_LOG_UNAVAILABLE',
      },
    );
  });
});
