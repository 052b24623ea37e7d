import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConnectors } from '../../src/connectors/index.ts';
import type { Connectors } from '../../src/connectors/index.ts';
import { AGENCY_SYSTEMS } from '../../src/domain/types.ts';
import { createMetrics } from '../../src/platform/metrics.ts';
import type { Metrics } from '../../src/platform/metrics.ts';
import { rawEnterprise, rawPermit } from './builders/approval-records.ts';
import { rawCreditRecord, rawCreditSubject } from './builders/credit-records.ts';
import { rawCase, rawItem, rawDelegation } from './builders/enforcement-records.ts';
import { rawInspection } from './builders/supervision-records.ts';
import { metricValue } from './metric-values.ts';
import { recordingLogger } from './recording-logger.ts';
import { delay, sendJson, startTestServer } from './test-server.ts';
import type { ReceivedRequest, TestServer } from './test-server.ts';

/** Wraps a payload in the envelope of the system whose base path the request used. */
function envelope(url: string, data: unknown): unknown {
  if (url.startsWith('/api/')) return { code: 0, msg: 'ok', data };
  if (url.startsWith('/jg/')) return { success: true, result: data };
  if (url.startsWith('/zf/')) return { RET_CODE: '0000', RET_MSG: '成功', DATA: data };
  return { status: 'success', data };
}

/** What the fake agency answers; tests replace it. */
let answer: (request: ReceivedRequest) => unknown = () => [];
let server: TestServer;
let metrics: Metrics;
let logger: ReturnType<typeof recordingLogger>;
let connectors: Connectors;

beforeAll(async () => {
  server = await startTestServer(async (request, response) => {
    const data = answer(request);
    await delay(5);
    sendJson(response, 200, envelope(request.url, data));
  });
});

afterAll(() => server.close());

beforeEach(() => {
  server.requests.length = 0;
  metrics = createMetrics();
  logger = recordingLogger();
  const at = { baseUrl: server.url };
  connectors = createConnectors({ approval: at, supervision: at, enforcement: at, credit: at }, metrics, logger);
});

describe('HTTP connectors over a fake agency', () => {
  it('splits a lookup of 450 keys into batches of 200, 200 and 50 sent at once', async () => {
    answer = (request) => {
      const body = request.body as { usccs: string[] };
      return body.usccs.map((uscc) => rawEnterprise({ uscc }));
    };
    const keys = Array.from({ length: 450 }, (_, i) => `91330381MA${String(i).padStart(8, '0')}`);
    const subjects = await connectors.approval.subjectsByUscc(keys);
    expect(subjects.map((subject) => subject.uscc).sort()).toEqual([...keys].sort());
    const sizes = server.requests.map((request) => (request.body as { usccs: string[] }).usccs.length);
    expect(sizes.sort((a, b) => b - a)).toEqual([200, 200, 50]);
    expect(server.maxInFlight()).toBeGreaterThan(1);
    const labels = { system: 'approval', operation: 'enterprise.batch.usccs' };
    expect(await metricValue(metrics, 'gateway_upstream_batch_keys', labels, 'gateway_upstream_batch_keys_count')).toBe(
      3,
    );
  });

  it('sends nothing for an empty key list and each duplicate key once', async () => {
    answer = () => [];
    await expect(connectors.enforcement.penaltiesBySubject([])).resolves.toEqual([]);
    expect(server.requests).toHaveLength(0);
    await connectors.credit.recordsById(['XY1', 'XY1', 'XY2']);
    expect(server.requests.map((request) => request.body)).toEqual([{ by: 'jlbh', values: ['XY1', 'XY2'] }]);
  });

  it.each([
    {
      system: 'approval',
      resource: 'permit',
      records: [rawPermit({ permitNo: 'P-GOOD' }), rawPermit({ permitNo: 'P-BAD', status: 9 })],
      lookup: (c: Connectors) => c.approval.permitsByNo(['P-GOOD', 'P-BAD']),
      bad: { id: 'P-BAD', field: 'status', value: 9 },
    },
    {
      system: 'supervision',
      resource: 'inspection',
      records: [
        rawInspection({ inspection_id: 'JC-GOOD' }),
        rawInspection({ inspection_id: 'JC-BAD', status: '已归档' }),
      ],
      lookup: (c: Connectors) => c.supervision.inspectionsById(['JC-GOOD', 'JC-BAD']),
      bad: { id: 'JC-BAD', field: 'status', value: '已归档' },
    },
    {
      system: 'enforcement',
      resource: 'case',
      records: [rawCase({ CASE_NO: 'C-GOOD' }), rawCase({ CASE_NO: 'C-BAD', STATUS: 99 })],
      lookup: (c: Connectors) => c.enforcement.casesByNo(['C-GOOD', 'C-BAD']),
      bad: { id: 'C-BAD', field: 'STATUS', value: 99 },
    },
    {
      system: 'credit',
      resource: 'record',
      records: [rawCreditRecord({ jlbh: 'XY-GOOD' }), rawCreditRecord({ jlbh: 'XY-BAD', gszt: '已过期' })],
      lookup: (c: Connectors) => c.credit.recordsById(['XY-GOOD', 'XY-BAD']),
      bad: { id: 'XY-BAD', field: 'gszt', value: '已过期' },
    },
  ])('$system: drops a $resource with an unknown status, keeps the rest, logs and counts it', async (example) => {
    answer = () => example.records;
    const found = await example.lookup(connectors);
    expect(found).toHaveLength(1);
    expect(logger.warnings).toEqual([
      expect.objectContaining({ system: example.system, resource: example.resource, ...example.bad }),
    ]);
    const labels = { system: example.system, resource: example.resource };
    expect(await metricValue(metrics, 'gateway_upstream_bad_records_total', labels)).toBe(1);
  });

  it('drops a power item whose delegation mode is unknown and keeps the others', async () => {
    answer = () => [
      rawItem({ ITEM_CODE: 'GOOD' }),
      rawItem({ ITEM_CODE: 'BAD', DELEGATIONS: [rawDelegation({ MODE: 9 })] }),
    ];
    const items = await connectors.enforcement.powerItems();
    expect(items.map((item) => item.code)).toEqual(['GOOD']);
    expect(server.requests[0]?.url).toBe('/zf/api/REF/ITEMS');
  });

  it('asks each system for the right batch field', async () => {
    answer = () => [];
    await connectors.supervision.inspectionsBySubjectCode(['330381000012345']);
    await connectors.enforcement.penaltiesByPermit(['浙审330381-2023-000123']);
    await connectors.approval.permitsByHolder(['91330381MA2C8Y6K1X']);
    await connectors.credit.profilesByUscc(['91330381MA2C8Y6K1X']);
    expect(server.requests.map((request) => [request.url, request.body])).toEqual([
      ['/jg/inspections/batch', { by: 'subject_code', values: ['330381000012345'] }],
      ['/zf/api/PENALTY/BATCH', { FIELD: 'PERMIT_NO', VALUES: ['浙审330381-2023-000123'] }],
      ['/api/permits/batch', { holderUsccs: ['91330381MA2C8Y6K1X'] }],
      ['/xy/subjects/batch', { tyshxydm: ['91330381MA2C8Y6K1X'] }],
    ]);
  });

  it('passes the feed cursor through and maps each system’s page fields', async () => {
    answer = (request) =>
      request.url.startsWith('/api/')
        ? { items: [rawEnterprise()], nextCursor: 'c-2', hasMore: true }
        : { jg: [rawCreditSubject()], xyg: 'x-2', gd: false };
    const approval = await connectors.approval.subjectChanges(null, 100);
    const credit = await connectors.credit.subjectChanges('x-1', 50);
    expect(approval).toMatchObject({
      nextCursor: 'c-2',
      hasMore: true,
      items: [{ source: 'approval', townshipCode: '330381001' }],
    });
    expect(credit).toMatchObject({
      nextCursor: 'x-2',
      hasMore: false,
      items: [{ source: 'credit', townshipCode: null }],
    });
    expect(server.requests.map((request) => request.url)).toEqual([
      '/api/enterprises/changes?limit=100',
      '/xy/subjects/changes?cursor=x-1&limit=50',
    ]);
  });

  it('pings each system with a one-record page of a real list, never the simulator API', async () => {
    answer = (request) => {
      if (request.url.startsWith('/api/')) return { total: 0, page: 1, pageSize: 1, items: [] };
      if (request.url.startsWith('/jg/')) return { total: 0, rows: [] };
      if (request.url.startsWith('/zf/')) return { TOTAL: 0, ROWS: [] };
      return { zs: 0, jg: [] };
    };
    await Promise.all(AGENCY_SYSTEMS.map((system) => connectors[system].ping()));
    const urls = server.requests.map((request) => request.url).sort();
    expect(urls).toEqual([
      '/api/permits?page=1&pageSize=1',
      '/jg/inspections?offset=0&limit=1',
      '/xy/records?page=1&size=1',
      '/zf/api/CASE/LIST?PAGE_NO=1&PAGE_SIZE=1',
    ]);
  });
});
