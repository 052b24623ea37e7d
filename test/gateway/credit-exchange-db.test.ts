import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshExchangeDb, TEST_MARIADB_URL, type ExchangeDb } from '../support/exchange-db.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { expectGraphQLErrors } from '../support/graphql-client.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

/**
 * The gateway with CREDIT_EXCHANGE_DB_URL: a subject's credit is read from the credit
 * platform's 前置库 on MariaDB (filled by the simulators), never from its API, and a database
 * outage is the credit system unavailable, healed without a restart.
 */

const query = `query ($uscc: USCC!) { subject(uscc: $uscc) {
  name
  credit { grade gradedOn dishonesty { status listedOn } records { id status fine { yuan } } }
} }`;

interface Answer {
  subject: {
    name: string;
    credit: {
      grade: string;
      gradedOn: string;
      dishonesty: { status: string; listedOn: string | null };
      records: Array<{ id: string; status: string; fine: { yuan: string } | null }>;
    } | null;
  };
}

describe.runIf(TEST_MARIADB_URL !== undefined)('credit served from its 前置库 (MariaDB)', () => {
  let db: ExchangeDb;
  let proxy: TcpProxy;
  let gw: TestGateway;
  let uscc: string;

  beforeAll(async () => {
    db = await freshExchangeDb();
    proxy = await startTcpProxy({ host: db.host, port: db.port });
    gw = await startTestGateway({ upstreamTimeoutMs: 1000, creditExchangeDbUrl: db.urlVia('127.0.0.1', proxy.port) });
    // A subject with a fined penalty's publicity record, so the 万元 amount shows.
    uscc = gw.world.creditRecords.find((r) => r.fineFen !== null && r.status === 'PUBLISHED')!.subjectUscc;
    // The platform's API is down throughout: every credit answer below came from the database.
    await gw.simulators.control('credit').setFaults({ down: true });
  });
  afterAll(async () => {
    await gw?.close();
    await proxy?.close();
    await db?.drop();
  });

  it('answers a subject’s credit, records and fines from the exchange database', async () => {
    expect(gw.gateway.upstreams.credit).toBe(db.urlVia('127.0.0.1', proxy.port));
    const response = await gw.post<Answer>(query, { uscc });
    expect(response.body.errors).toBeUndefined();
    const profile = gw.world.creditProfiles.find((p) => p.uscc === uscc)!;
    const records = gw.world.creditRecords.filter((r) => r.subjectUscc === uscc);
    const credit = response.body.data!.subject.credit!;
    expect(credit.grade).toBe(profile.grade);
    expect(credit.dishonesty.status).toBe(profile.dishonestyStatus);
    expect(credit.records.map((r) => r.id).sort()).toEqual(records.map((r) => r.id).sort());
    const fined = records.find((r) => r.fineFen !== null)!;
    expect(credit.records.find((r) => r.id === fined.id)!.fine).toEqual({ yuan: (fined.fineFen! / 100).toFixed(2) });
    expect((await gw.simulators.control('credit').stats()).requests).toEqual({});
  });

  it('shows a change the platform writes to the exchange database', async () => {
    const record = gw.world.creditRecords.find((r) => r.subjectUscc === uscc && r.status === 'PUBLISHED')!;
    await gw.simulators.control('credit').mutate('record', record.id, { gszt: '已撤下' });
    const response = await gw.post<Answer>(query, { uscc });
    expect(response.body.data!.subject.credit!.records.find((r) => r.id === record.id)!.status).toBe('WITHDRAWN');
  });

  it('names credit unavailable while the database is unreachable, keeps the rest, and recovers by itself', async () => {
    await proxy.refuse();
    try {
      const response = await gw.post<Answer>(query, { uscc });
      expect(response.status).toBe(200);
      expect(response.body.data!.subject.name.length).toBeGreaterThan(0);
      expect(response.body.data!.subject.credit).toBeNull();
      expect(expectGraphQLErrors(response)).toEqual([
        expect.objectContaining({
          path: ['subject', 'credit'],
          extensions: expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE', system: 'credit' }),
        }),
      ]);
    } finally {
      await proxy.allow();
    }
    const until = Date.now() + 15_000;
    let credit: Answer['subject']['credit'] = null;
    while (credit === null && Date.now() < until) {
      credit = (await gw.post<Answer>(query, { uscc })).body.data!.subject.credit;
      if (credit === null) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(credit?.grade).toBe(gw.world.creditProfiles.find((p) => p.uscc === uscc)!.grade);
  });
});
