import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidUscc } from '../../src/identifiers/uscc.ts';
import { type Simulators, startSimulators } from '../../simulators/index.ts';
import { getJson, postJson } from './support/http-json.ts';

type Row = Record<string, unknown>;
interface ApprovalEnvelope {
  code: number;
  msg: string;
  data: Row[];
}
interface SupervisionEnvelope {
  success: boolean;
  result: Row[];
}
interface EnforcementEnvelope {
  RET_CODE: string;
  DATA: Row[];
}
interface CreditEnvelope {
  status: string;
  data: Row[];
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;
const SLASH_DATE = /^\d{4}\/\d{2}\/\d{2}$/;

let sims: Simulators;

beforeAll(async () => {
  sims = await startSimulators({ seed: 42, scale: 1 });
});
afterAll(async () => {
  await sims.close();
});

describe('each simulator speaks its own format', () => {
  it('approval: camelCase, ISO instants with +08:00, numeric statuses, { code, msg, data }', async () => {
    const permit = sims.world.permits.find((p) => p.commitmentBased)!;
    const { status, body } = await postJson<ApprovalEnvelope>(`${sims.urls.approval}/api/permits/batch`, {
      permitNos: [permit.permitNo],
    });
    expect(status).toBe(200);
    expect(body.code).toBe(0);
    const row = body.data[0]!;
    expect(row.decisionTime).toMatch(ISO_INSTANT);
    expect(row.validFrom).toMatch(/T00:00:00\+08:00$/);
    expect(row.verifyDeadline).toMatch(ISO_INSTANT);
    expect(row.promiseMode).toBe(true);
    expect(typeof row.status).toBe('number');
    expect(row.holderUscc).toBe(permit.holderUscc);
  });

  it('supervision: snake_case, YYYYMMDD dates, YYYYMMDDHHmmss stamps, Chinese labels', async () => {
    const url = `${sims.urls.supervision}/jg/inspections?limit=5`;
    const { body } = await getJson<{ success: boolean; result: { total: number; rows: Row[] } }>(url);
    expect(body.success).toBe(true);
    const row = body.result.rows[0]!;
    expect(row.inspect_date).toMatch(/^\d{8}$/);
    expect(row.updated_at).toMatch(/^\d{14}$/);
    expect(['双随机', '重点检查', '信用分级', '投诉举报', '综合查一次', '承诺核查']).toContain(row.inspection_type);
    expect(['未发现问题', '发现问题', '责令整改', '发现违法']).toContain(row.result);
    expect(['待检查', '已检查', '已办结']).toContain(row.status);
  });

  it('supervision: older records name the subject by its legacy number, matched only on that code', async () => {
    const legacy = sims.world.inspections.find((i) => i.subjectCodeKind === 'LEGACY_REG_NO')!;
    const enterprise = sims.world.enterprises.find((e) => e.legacyRegNo === legacy.subjectCode)!;
    const url = `${sims.urls.supervision}/jg/inspections/batch`;
    const byLegacy = await postJson<SupervisionEnvelope>(url, { by: 'subject_code', values: [legacy.subjectCode] });
    const byUscc = await postJson<SupervisionEnvelope>(url, { by: 'subject_code', values: [enterprise.uscc] });
    const legacyRow = byLegacy.body.result.find((r) => r.inspection_id === legacy.id)!;
    expect(legacyRow.subject_code_type).toBe('REGNO');
    expect(legacyRow.subject_code).toMatch(/^\d{15}$/);
    expect(byUscc.body.result.map((r) => r.inspection_id)).not.toContain(legacy.id);
    expect(byUscc.body.result.every((r) => r.subject_code_type === 'USCC')).toBe(true);
  });

  it('enforcement: UPPER_SNAKE_CASE, epoch milliseconds, fen, numeric codes, RET_CODE 0000', async () => {
    const penalty = sims.world.penalties.find((p) => p.fineFen > 0)!;
    const { body } = await postJson<EnforcementEnvelope>(`${sims.urls.enforcement}/zf/api/PENALTY/BATCH`, {
      FIELD: 'DECISION_NO',
      VALUES: [penalty.decisionNo],
    });
    expect(body.RET_CODE).toBe('0000');
    const row = body.DATA[0]!;
    expect(row.FINE_FEN).toBe(penalty.fineFen);
    expect(Number.isInteger(row.FINE_FEN)).toBe(true);
    expect(row.DECISION_TIME).toBe(penalty.decidedAt);
    expect(row.PENALTY_TYPES).toMatch(/^[1-7](,[1-7])*$/);
    expect(typeof row.EXEC_STATUS).toBe('number');
  });

  it('enforcement: reference data lists regions, organisations and power items with delegations', async () => {
    const regions = await getJson<{ DATA: Row[] }>(`${sims.urls.enforcement}/zf/api/REF/REGIONS`);
    expect(regions.body.DATA).toHaveLength(23);
    expect(regions.body.DATA).toContainEqual({
      REGION_CODE: '330381011',
      REGION_NAME: '塘下镇',
      LEVEL: 4,
      PARENT_CODE: '330381',
    });
    const orgs = await getJson<{ DATA: Row[] }>(`${sims.urls.enforcement}/zf/api/REF/ORGS`);
    expect(orgs.body.DATA).toContainEqual({
      ORG_CODE: '330381-ZHZFJ',
      ORG_NAME: '瑞安市综合行政执法局',
      ORG_TYPE: 4,
      REGION_CODE: '330381',
    });
    const items = await getJson<{ DATA: { ITEM_CODE: string; DELEGATIONS: Row[] }[] }>(
      `${sims.urls.enforcement}/zf/api/REF/ITEMS`,
    );
    expect(items.body.DATA[0]!.ITEM_CODE).toBe('330381-CF-0001');
    const modes = new Set(items.body.DATA.flatMap((i) => i.DELEGATIONS.map((d) => d.MODE)));
    expect([...modes].sort()).toEqual([1, 2, 3, 4]);
  });

  it('credit: pinyin initials, YYYY/MM/DD dates, fines in 万元 equal to fen / 1,000,000', async () => {
    const record = sims.world.creditRecords.find(
      (r) => r.kind === 'PENALTY_PUBLICITY' && r.fineFen! % 1_000_000 !== 0,
    )!;
    const { body } = await postJson<CreditEnvelope>(`${sims.urls.credit}/xy/records/batch`, {
      by: 'jlbh',
      values: [record.id],
    });
    expect(body.status).toBe('success');
    const row = body.data[0]!;
    expect(row.jllx).toBe('行政处罚');
    expect(row.cf_fkje).toBe(record.fineFen! / 1_000_000);
    expect(String(row.cf_fkje)).toMatch(/^\d+(\.\d{1,6})?$/);
    expect(row.gsrq).toMatch(SLASH_DATE);
    expect(row.gxsj).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(['公示中', '已撤下', '已修复']).toContain(row.gszt);
    const subject = await postJson<CreditEnvelope>(`${sims.urls.credit}/xy/subjects/batch`, {
      tyshxydm: [record.subjectUscc],
    });
    expect(subject.body.data[0]!.xydj).toMatch(/^[ABCD]$/);
    expect((subject.body.data[0]!.sxmd as Row).zt).toMatch(/^(未列入|列入|已移出)$/);
  });

  it('serves an enterprise whose USCC fails its check under that same code in every system', async () => {
    const penalty = sims.world.penalties.find((p) => !isValidUscc(p.subjectUscc))!;
    const code = penalty.subjectUscc;
    const approval = await postJson<ApprovalEnvelope>(`${sims.urls.approval}/api/enterprises/batch`, { usccs: [code] });
    const enforcement = await postJson<EnforcementEnvelope>(`${sims.urls.enforcement}/zf/api/PENALTY/BATCH`, {
      FIELD: 'SUBJECT_USCC',
      VALUES: [code],
    });
    const credit = await postJson<CreditEnvelope>(`${sims.urls.credit}/xy/subjects/batch`, { tyshxydm: [code] });
    expect(approval.body.data.map((r) => r.uscc)).toEqual([code]);
    expect(enforcement.body.DATA.map((r) => r.DECISION_NO)).toContain(penalty.decisionNo);
    expect(credit.body.data.map((r) => r.tyshxydm)).toEqual([code]);
    const inspected = sims.world.inspections.find((i) => i.subjectCodeKind === 'USCC' && !isValidUscc(i.subjectCode))!;
    const supervision = await postJson<SupervisionEnvelope>(`${sims.urls.supervision}/jg/inspections/batch`, {
      by: 'subject_code',
      values: [inspected.subjectCode],
    });
    expect(supervision.body.result.map((r) => r.inspection_id)).toContain(inspected.id);
  });

  it('serves the planted loop breaks at /__sim/manifest on every simulator', async () => {
    for (const system of ['approval', 'supervision', 'enforcement', 'credit'] as const) {
      expect(await sims.control(system).manifest()).toEqual(sims.world.manifest);
    }
  });
});
