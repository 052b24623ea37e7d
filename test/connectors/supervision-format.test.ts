import { describe, expect, it } from 'vitest';
import { UnmappableFieldError } from '../../src/connectors/mapping/index.ts';
import type { PageRequest } from '../../src/connectors/paging.ts';
import { loadShippedProfile } from '../../src/connectors/profiles/load-profile.ts';
import { shippedMapper } from '../../src/connectors/profiles/shipped-mapper.ts';
import { pageQuery } from '../../src/connectors/transport/http-record-transport.ts';
import type { Inspection } from '../../src/domain/types.ts';
import { rawInspection, rawRectification } from './builders/supervision-records.ts';

// The supervision platform's format and paging, as profiles/supervision.yaml describes them.
const toInspection = shippedMapper<Inspection>('supervision', 'inspection');
const supervisionListQuery = (page: PageRequest) =>
  pageQuery(loadShippedProfile('supervision').transport.paging, (page.page - 1) * page.pageSize, page.pageSize);

describe('supervision format', () => {
  it('maps an inspection, compact dates and times becoming ISO in China time', () => {
    expect(toInspection(rawInspection())).toEqual({
      id: 'JC2023000123',
      taskId: 'RW2023000045',
      subject: { kind: 'USCC', value: '91330381MA2C8Y6K1X' },
      subjectName: '瑞安市安阳机械有限公司',
      permitNo: '浙审330381-2023-000123',
      kind: 'RANDOM',
      inspectedOn: '2023-05-12',
      leadAuthorityCode: '330381-SCJGJ',
      authorityCodes: ['330381-SCJGJ'],
      townshipCode: '330381001',
      outcome: 'NO_PROBLEM',
      status: 'INSPECTED',
      findings: '现场检查未发现问题',
      rectification: null,
      updatedAt: '2023-05-12T10:30:00+08:00',
    });
  });

  it('names a subject recorded by its old registration number (REGNO) as a legacy number', () => {
    const inspection = toInspection(rawInspection({ subject_code: '330381000012345', subject_code_type: 'REGNO' }));
    expect(inspection.subject).toEqual({ kind: 'LEGACY_REG_NO', value: '330381000012345' });
  });

  it('maps a joint inspection with a rectification order', () => {
    const inspection = toInspection(
      rawInspection({
        inspection_type: '综合查一次',
        depts: ['330381-SCJGJ', '330381-YJGLJ'],
        result: '责令整改',
        status: '已办结',
        permit_no: null,
        rectification: rawRectification({ status: '逾期未整改' }),
      }),
    );
    expect(inspection).toMatchObject({
      kind: 'JOINT',
      authorityCodes: ['330381-SCJGJ', '330381-YJGLJ'],
      outcome: 'RECTIFICATION_ORDERED',
      status: 'CLOSED',
      permitNo: null,
      rectification: { orderNo: 'ZG2023000012', deadline: '2023-06-12', status: 'OVERDUE' },
    });
  });

  it.each([
    ['双随机', 'RANDOM'],
    ['重点检查', 'KEY'],
    ['信用分级', 'CREDIT_GRADED'],
    ['投诉举报', 'COMPLAINT'],
    ['综合查一次', 'JOINT'],
    ['承诺核查', 'COMMITMENT_VERIFICATION'],
  ])('maps the inspection type 「%s」 to %s', (label, kind) => {
    expect(toInspection(rawInspection({ inspection_type: label })).kind).toBe(kind);
  });

  it.each([
    ['未发现问题', 'NO_PROBLEM'],
    ['发现问题', 'PROBLEM_FOUND'],
    ['责令整改', 'RECTIFICATION_ORDERED'],
    ['发现违法', 'VIOLATION_FOUND'],
  ])('maps the result 「%s」 to %s', (label, outcome) => {
    expect(toInspection(rawInspection({ result: label })).outcome).toBe(outcome);
  });

  it('keeps a planned inspection without findings as an empty text', () => {
    const inspection = toInspection(rawInspection({ status: '待检查', findings: null }));
    expect(inspection).toMatchObject({ status: 'PLANNED', findings: '' });
  });

  it('refuses an unknown status label, an unknown code type and an impossible date', () => {
    expect(() => toInspection(rawInspection({ status: '已归档' }))).toThrow(
      new UnmappableFieldError('status', '已归档'),
    );
    expect(() => toInspection(rawInspection({ subject_code_type: 'ORGCODE' }))).toThrow(UnmappableFieldError);
    expect(() => toInspection(rawInspection({ inspect_date: '20230231' }))).toThrow(UnmappableFieldError);
  });

  it('turns a page number into the offset the system pages by', () => {
    expect(supervisionListQuery({ page: 3, pageSize: 50 })).toEqual({ offset: 100, limit: 50 });
  });
});
