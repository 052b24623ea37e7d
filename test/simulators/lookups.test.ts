import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulators, startSimulators } from '../../simulators/index.ts';
import { toJson } from '../../simulators/server/raw-json.ts';
import { supervisionSystem } from '../../simulators/systems/supervision.ts';
import { getJson, postJson } from './support/http-json.ts';

type Row = Record<string, unknown>;
interface ApprovalFeed {
  data: { items: Row[]; nextCursor: string; hasMore: boolean };
}
interface SupervisionFeed {
  result: { rows: Row[]; next_cursor: string; has_more: boolean };
}

let sims: Simulators;

beforeAll(async () => {
  sims = await startSimulators({ seed: 42, scale: 1 });
});
afterAll(async () => {
  await sims.close();
});

async function readApprovalFeed(
  url: string,
  cursor: string | null,
  limit: number,
): Promise<{ ids: string[]; cursor: string }> {
  const ids: string[] = [];
  let next = cursor;
  for (;;) {
    const { body } = await getJson<ApprovalFeed>(`${url}?limit=${limit}${next === null ? '' : `&cursor=${next}`}`);
    ids.push(...body.data.items.map((i) => String(i.uscc)));
    next = body.data.nextCursor;
    if (!body.data.hasMore) return { ids, cursor: next };
  }
}

describe('batch lookups, paging and change feeds', () => {
  it('answers a batch of 200 keys with the matching records in natural-id order, unknown keys simply absent', async () => {
    const usccs = sims.world.enterprises.slice(0, 199).map((e) => e.uscc);
    const { status, body } = await postJson<{ data: Row[] }>(`${sims.urls.approval}/api/enterprises/batch`, {
      usccs: [...usccs, '91330381MA00000000'],
    });
    expect(status).toBe(200);
    const returned = body.data.map((r) => String(r.uscc));
    expect(returned).toEqual([...usccs].sort());
  });

  it('finds every record of a subject by each batch field', async () => {
    const penalty = sims.world.penalties.find((p) => p.affectedPermitNo !== null)!;
    const url = `${sims.urls.enforcement}/zf/api/PENALTY/BATCH`;
    const keys = [
      ['CASE_NO', penalty.caseNo],
      ['PERMIT_NO', penalty.affectedPermitNo!],
      ['SUBJECT_USCC', penalty.subjectUscc],
    ];
    for (const [field, value] of keys) {
      const { body } = await postJson<{ DATA: Row[] }>(url, { FIELD: field, VALUES: [value] });
      expect(body.DATA.map((r) => r.DECISION_NO)).toContain(penalty.decisionNo);
    }
    const holder = sims.world.permits[0]!.holderUscc;
    const expected = sims.world.permits
      .filter((p) => p.holderUscc === holder)
      .map((p) => p.permitNo)
      .sort();
    const { body } = await getJson<{ data: { total: number; items: Row[] } }>(
      `${sims.urls.approval}/api/permits?holderUscc=${holder}`,
    );
    expect(body.data.total).toBe(expected.length);
    expect(body.data.items.map((p) => p.permitNo)).toEqual(expected);
  });

  it('pages a listing in natural-id order without gaps or repeats', async () => {
    const seen: string[] = [];
    let total: number | undefined;
    for (let page = 1; ; page++) {
      const url = `${sims.urls.enforcement}/zf/api/CASE/LIST?PAGE_NO=${page}&PAGE_SIZE=500`;
      const { body } = await getJson<{ DATA: { TOTAL: number; ROWS: Row[] } }>(url);
      total = body.DATA.TOTAL;
      if (body.DATA.ROWS.length === 0) break;
      seen.push(...body.DATA.ROWS.map((r) => String(r.CASE_NO)));
    }
    expect(total).toBe(sims.world.cases.length);
    expect(seen).toHaveLength(total);
    expect(seen).toEqual([...seen].sort((a, b) => (a < b ? -1 : 1)));
  });

  it('visits every record of a change feed exactly once, oldest first', async () => {
    const rows: Row[] = [];
    let cursor = '';
    for (;;) {
      const { body } = await getJson<SupervisionFeed>(
        `${sims.urls.supervision}/jg/inspections/changes?limit=777&cursor=${cursor}`,
      );
      rows.push(...body.result.rows);
      cursor = body.result.next_cursor;
      if (!body.result.has_more) break;
    }
    const ids = rows.map((r) => String(r.inspection_id));
    expect(new Set(ids).size).toBe(sims.world.inspections.length);
    expect(ids).toHaveLength(sims.world.inspections.length);
    const stamps = rows.map((r) => String(r.updated_at));
    expect(stamps).toEqual([...stamps].sort());
  });

  it('brings a mutated record back after the last cursor, in the system format, and only it', async () => {
    const feedUrl = `${sims.urls.approval}/api/enterprises/changes`;
    const first = await readApprovalFeed(feedUrl, null, 1000);
    expect(first.ids).toHaveLength(5000);
    const target = sims.world.enterprises[17]!;
    await sims.control('approval').mutate('enterprise', target.uscc, { entName: '瑞安市改名测试有限公司' });
    const after = await getJson<ApprovalFeed>(`${feedUrl}?cursor=${first.cursor}`);
    expect(after.body.data.items).toHaveLength(1);
    const item = after.body.data.items[0]!;
    expect(item.uscc).toBe(target.uscc);
    expect(item.entName).toBe('瑞安市改名测试有限公司');
    expect(String(item.updatedAt)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    const again = await readApprovalFeed(feedUrl, null, 1000);
    expect(again.ids).toHaveLength(5000);
    expect(again.ids.at(-1)).toBe(target.uscc);
    const batch = await postJson<{ data: Row[] }>(`${sims.urls.approval}/api/enterprises/batch`, {
      usccs: [target.uscc],
    });
    expect(batch.body.data[0]!.entName).toBe('瑞安市改名测试有限公司');
  });

  it('re-indexes a mutated lookup field so batches find the record under its new value', async () => {
    const clue = sims.world.clues.find((c) => c.inspectionId === null)!;
    await sims.control('enforcement').mutate('clue', clue.id, { STATUS: 2, SUBJECT_USCC: '91330381MA2TEST001' });
    const url = `${sims.urls.enforcement}/zf/api/CLUE/BATCH`;
    const moved = await postJson<{ DATA: Row[] }>(url, { FIELD: 'SUBJECT_USCC', VALUES: ['91330381MA2TEST001'] });
    expect(moved.body.DATA.map((r) => r.CLUE_ID)).toEqual([clue.id]);
    expect(moved.body.DATA[0]!.STATUS).toBe(2);
    const old = await postJson<{ DATA: Row[] }>(url, { FIELD: 'SUBJECT_USCC', VALUES: [clue.subjectUscc] });
    expect(old.body.DATA.map((r) => r.CLUE_ID)).not.toContain(clue.id);
  });

  it('answers a 200-key batch in well under a millisecond of server CPU', () => {
    const system = supervisionSystem(sims.world);
    const values = sims.world.inspections.slice(0, 200).map((i) => i.subjectCode);
    const ask = () =>
      system.route({
        method: 'POST',
        path: '/jg/inspections/batch',
        query: new URLSearchParams(),
        body: { by: 'subject_code', values },
        countBatch: () => {},
      });
    ask();
    const rounds = 200;
    const started = performance.now();
    for (let i = 0; i < rounds; i++) toJson(system.envelope.ok(ask()));
    // Typically 0.2–0.3 ms; the bound leaves room for a busy CI machine.
    expect((performance.now() - started) / rounds).toBeLessThan(2);
  });
});
