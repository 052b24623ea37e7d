import { describe, expect, it } from 'vitest';
import { UnmappableFieldError } from '../../src/connectors/mapping/index.ts';
import { shippedMapper } from '../../src/connectors/profiles/shipped-mapper.ts';
import type { Authority, Case, Clue, Jurisdiction, Penalty, PowerItem } from '../../src/domain/types.ts';
import {
  rawCase,
  rawClue,
  rawDelegation,
  rawItem,
  rawOrg,
  rawPenalty,
  rawRegion,
} from './builders/enforcement-records.ts';

// The enforcement case system's format, as profiles/enforcement.yaml maps it.
const toClue = shippedMapper<Clue>('enforcement', 'clue');
const toCase = shippedMapper<Case>('enforcement', 'case');
const toPenalty = shippedMapper<Penalty>('enforcement', 'penalty');
const toJurisdiction = shippedMapper<Jurisdiction>('enforcement', 'jurisdiction');
const toAuthority = shippedMapper<Authority>('enforcement', 'authority');
const toPowerItem = shippedMapper<PowerItem>('enforcement', 'powerItem');

describe('enforcement format', () => {
  it('maps a clue, epoch milliseconds becoming +08:00 instants', () => {
    expect(toClue(rawClue())).toEqual({
      id: 'XS2023000123',
      source: 'INSPECTION',
      inspectionId: 'JC2023000123',
      subjectUscc: '91330381MA2C8Y6K1X',
      powerItemCode: '330381-CF-0042',
      senderCode: '330381-SCJGJ',
      receiverCode: '330381001-ZFD',
      townshipCode: '330381001',
      receivedAt: '2023-05-12T10:30:00+08:00',
      respondedAt: '2023-05-13T09:46:40+08:00',
      status: 'CASE_FILED',
      caseNo: '瑞综执立〔2023〕123号',
      informant: null,
      updatedAt: '2023-05-13T09:46:40+08:00',
    });
  });

  it('keeps an unanswered clue without a response time and carries a complaint informant', () => {
    const clue = toClue(
      rawClue({
        SOURCE: 2,
        INSPECTION_ID: null,
        RESPONDED_TIME: null,
        STATUS: 1,
        CASE_NO: null,
        INFORMANT_NAME: '王芳',
        INFORMANT_PHONE: '13900000000',
      }),
    );
    expect(clue).toMatchObject({
      source: 'COMPLAINT',
      inspectionId: null,
      respondedAt: null,
      status: 'RECEIVED',
      caseNo: null,
      informant: { name: '王芳', phone: '13900000000' },
    });
  });

  it('maps a case and its numeric codes', () => {
    expect(toCase(rawCase())).toEqual({
      caseNo: '瑞综执立〔2023〕123号',
      clueId: 'XS2023000123',
      subjectUscc: '91330381MA2C8Y6K1X',
      subjectName: '瑞安市安阳机械有限公司',
      powerItemCode: '330381-CF-0042',
      authorityCode: '330381001-ZFD',
      townshipCode: '330381001',
      procedure: 'GENERAL',
      status: 'DECIDED',
      lenientHandling: 'NONE',
      legalReviewed: true,
      filedAt: '2023-05-12T10:30:00+08:00',
      decidedAt: '2023-05-13T09:46:40+08:00',
      closedAt: null,
      updatedAt: '2023-05-13T09:46:40+08:00',
    });
  });

  it.each([
    [10, 'FILED'],
    [20, 'INVESTIGATING'],
    [30, 'LEGAL_REVIEW'],
    [40, 'DECIDED'],
    [50, 'SERVED'],
    [60, 'EXECUTED'],
    [70, 'CLOSED'],
    [90, 'WITHDRAWN'],
  ] as const)('maps case status %i to %s', (STATUS, status) => {
    expect(toCase(rawCase({ STATUS })).status).toBe(status);
  });

  it('maps simple procedure and lenient handling without legal review', () => {
    const mapped = toCase(rawCase({ PROCEDURE: 1, LENIENT: 1, LEGAL_REVIEW: 0, CLUE_ID: null, DECISION_TIME: null }));
    expect(mapped).toMatchObject({
      procedure: 'SIMPLE',
      lenientHandling: 'FIRST_VIOLATION_NO_PENALTY',
      legalReviewed: false,
      clueId: null,
      decidedAt: null,
    });
  });

  it('maps a penalty, passing fen through unchanged', () => {
    expect(toPenalty(rawPenalty())).toEqual({
      decisionNo: '瑞综执罚决字〔2023〕第123号',
      caseNo: '瑞综执立〔2023〕123号',
      subjectUscc: '91330381MA2C8Y6K1X',
      kinds: ['WARNING', 'FINE'],
      fineFen: 500000,
      confiscatedFen: 0,
      affectedPermitNo: null,
      decidedAt: '2023-05-13T09:46:40+08:00',
      executionStatus: 'NOT_EXECUTED',
      executedAt: null,
      updatedAt: '2023-05-13T09:46:40+08:00',
    });
  });

  it('reads PENALTY_TYPES "1,5" as a warning and a permit revocation on the affected permit', () => {
    const penalty = toPenalty(
      rawPenalty({
        PENALTY_TYPES: '1,5',
        FINE_FEN: 0,
        PERMIT_NO: '浙审330381-2023-000123',
        EXEC_STATUS: 1,
        EXEC_TIME: 1683942400000,
      }),
    );
    expect(penalty).toMatchObject({
      kinds: ['WARNING', 'PERMIT_REVOCATION'],
      affectedPermitNo: '浙审330381-2023-000123',
      executionStatus: 'EXECUTED',
      executedAt: '2023-05-13T09:46:40+08:00',
    });
  });

  it('refuses an unknown penalty type, a fraction of a fen and an unknown execution status', () => {
    expect(() => toPenalty(rawPenalty({ PENALTY_TYPES: '1,8' }))).toThrow(
      new UnmappableFieldError('PENALTY_TYPES', '8'),
    );
    expect(() => toPenalty(rawPenalty({ FINE_FEN: 100.5 }))).toThrow(UnmappableFieldError);
    expect(() => toPenalty(rawPenalty({ EXEC_STATUS: 4 }))).toThrow(UnmappableFieldError);
  });

  it('maps reference data: jurisdictions, authorities and the power list with its delegations', () => {
    expect(toJurisdiction(rawRegion())).toEqual({
      code: '330381001',
      name: '安阳街道',
      level: 'TOWNSHIP',
      parentCode: '330381',
    });
    expect(toJurisdiction(rawRegion({ REGION_CODE: '330000', LEVEL: 1, PARENT_CODE: null })).parentCode).toBeNull();
    expect(toAuthority(rawOrg())).toEqual({
      code: '330381001-ZFD',
      name: '瑞安市安阳街道综合行政执法队',
      kind: 'TOWNSHIP_ENFORCEMENT_TEAM',
      jurisdictionCode: '330381001',
    });
    const item = toPowerItem(
      rawItem({ DELEGATIONS: [rawDelegation(), rawDelegation({ MODE: 3, VALID_TO: 1683820800000 })] }),
    );
    expect(item.delegations).toEqual([
      {
        townshipCode: '330381001',
        mode: 'DELEGATED',
        authorityCode: '330381001-ZFD',
        validFrom: '2024-01-01',
        validUntil: null,
      },
      {
        townshipCode: '330381001',
        mode: 'ONE_PLUS_X',
        authorityCode: '330381001-ZFD',
        validFrom: '2024-01-01',
        validUntil: '2023-05-12',
      },
    ]);
  });

  it('refuses a power item with a delegation mode it does not know', () => {
    expect(() => toPowerItem(rawItem({ DELEGATIONS: [rawDelegation({ MODE: 7 })] }))).toThrow(UnmappableFieldError);
  });
});
