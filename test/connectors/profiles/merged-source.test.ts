import { describe, expect, it } from 'vitest';
import type { Inspection } from '../../../src/domain/types.ts';
import { loadShippedProfile } from '../../../src/connectors/index.ts';
import type { RawRecord, RecordTransport, SourceFailure } from '../../../src/connectors/index.ts';
import { MergedSource } from '../../../src/connectors/profiles/merged-source.ts';
import { ProfileSource } from '../../../src/connectors/profiles/profile-source.ts';
import { createMetrics } from '../../../src/platform/metrics.ts';
import { UpstreamUnavailableError } from '../../../src/platform/errors.ts';
import { rawInspection } from '../builders/supervision-records.ts';

/** A transport answering lookups from `records`, or failing with `failure`; remembers the raw fields asked. */
function transport(raws: readonly object[], failure?: Error): RecordTransport & { asked: string[] } {
  const asked: string[] = [];
  const records = raws as RawRecord[];
  return {
    asked,
    cursorOrigin: 'agency-api',
    fetchBy: async (_resource, field, values) => {
      asked.push(field);
      if (failure) throw failure;
      return records.filter((record) => values.includes(String(record[field])));
    },
    list: async () => ({ total: records.length, items: records }),
    changes: async () => ({ items: records, nextCursor: null, hasMore: false }),
    ping: async () => {},
  };
}

const county = loadShippedProfile('supervision');
const province = { ...county, source: 'zj-sjs' };
const options = { metrics: createMetrics() };
const byId = (inspection: Inspection) => inspection.id;

function merged(countyTransport: RecordTransport, provinceTransport: RecordTransport, failures: SourceFailure[] = []) {
  return new MergedSource(
    [new ProfileSource(county, countyTransport, options), new ProfileSource(province, provinceTransport, options)],
    (failure) => failures.push(failure),
  );
}

describe('several sources of one system', () => {
  it('returns each id once, the copy updated last winning whichever source holds it', async () => {
    const source = merged(
      transport([rawInspection({ inspection_id: 'JC-1', status: '已检查', updated_at: '20230512103000' })]),
      transport([
        rawInspection({ inspection_id: 'JC-1', status: '已办结', updated_at: '20230601090000' }),
        rawInspection({ inspection_id: 'ZJ-2' }),
      ]),
    );
    const found = await source.lookup<Inspection>('inspection', 'subject.value', ['91330381MA2C8Y6K1X'], byId);
    expect(found.map((i) => [i.id, i.status]).sort()).toEqual([
      ['JC-1', 'CLOSED'],
      ['ZJ-2', 'INSPECTED'],
    ]);
  });

  it("keeps the system's own copy when both were updated at the same time", async () => {
    const source = merged(
      transport([rawInspection({ inspection_id: 'JC-1', status: '已检查' })]),
      transport([rawInspection({ inspection_id: 'JC-1', status: '已办结' })]),
    );
    const [only] = await source.lookup<Inspection>('inspection', 'id', ['JC-1'], byId);
    expect(only?.status).toBe('INSPECTED');
  });

  it('asks each source by the raw field its mapping reads the domain field from', async () => {
    const own = transport([]);
    await merged(own, transport([])).lookup<Inspection>('inspection', 'subject.value', ['X'], byId);
    await merged(own, transport([])).lookup<Inspection>('inspection', 'permitNo', ['X'], byId);
    expect(own.asked).toEqual(['subject_code', 'permit_no']);
  });

  it("answers with the other source's records when one fails, and names the failed source", async () => {
    const failures: SourceFailure[] = [];
    const source = merged(
      transport([rawInspection({ inspection_id: 'JC-1' })]),
      transport([], new UpstreamUnavailableError('supervision', 'connection_refused')),
      failures,
    );
    const found = await source.lookup<Inspection>('inspection', 'id', ['JC-1'], byId);
    expect(found.map(byId)).toEqual(['JC-1']);
    expect(failures).toEqual([
      {
        system: 'supervision',
        source: 'zj-sjs',
        resource: 'inspection',
        code: 'UPSTREAM_UNAVAILABLE',
        message: 'The supervision system is unavailable (connection_refused).',
      },
    ]);
  });

  it("fails with the system's own error when every source fails, naming each", async () => {
    const failures: SourceFailure[] = [];
    const own = new UpstreamUnavailableError('supervision', 'http_503');
    const source = merged(
      transport([], own),
      transport([], new UpstreamUnavailableError('supervision', 'connection_refused')),
      failures,
    );
    await expect(source.lookup<Inspection>('inspection', 'id', ['JC-1'], byId)).rejects.toBe(own);
    expect(failures.map((f) => f.source)).toEqual(['supervision', 'zj-sjs']);
  });

  it("never passes the gateway's own fault off as a partial answer", async () => {
    const source = merged(transport([rawInspection()]), transport([], new TypeError('bug')));
    await expect(source.lookup<Inspection>('inspection', 'id', ['JC2023000123'], byId)).rejects.toThrow('bug');
  });

  it('lists the sources one after another, totals added', async () => {
    const source = merged(
      transport([rawInspection({ inspection_id: 'JC-1' }), rawInspection({ inspection_id: 'JC-2' })]),
      transport([rawInspection({ inspection_id: 'ZJ-1' })]),
    );
    const page = await source.list<Inspection>('inspection', { page: 1, pageSize: 10 });
    expect(page.total).toBe(3);
    expect(page.items.map(byId)).toEqual(['JC-1', 'JC-2', 'ZJ-1']);
  });
});
