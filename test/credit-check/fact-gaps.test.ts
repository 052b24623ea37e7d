import { describe, expect, it } from 'vitest';
import type { Case, CreditProfile, Penalty } from '../../src/domain/types.ts';
import type { SubjectFacts } from '../../src/modules/credit-check/evaluate-rules.ts';
import { gapsIn } from '../../src/modules/credit-check/fact-gaps.ts';

const USCC = '91330381MA2G2YEE23';

const profile: CreditProfile = {
  uscc: USCC,
  name: '瑞安市某食品有限公司',
  grade: 'B',
  gradedOn: '2026-01-01',
  dishonesty: { status: 'NOT_LISTED', listedOn: null, reason: null },
  updatedAt: '2026-01-01T00:00:00+08:00',
};

function penalty(overrides: Partial<Penalty> = {}): Penalty {
  return {
    decisionNo: '瑞综执罚决字〔2025〕第1号',
    caseNo: '瑞综执立〔2025〕1号',
    subjectUscc: USCC,
    kinds: ['PERMIT_REVOCATION'],
    fineFen: 0,
    confiscatedFen: 0,
    affectedPermitNo: '浙审330381-2024-000001',
    decidedAt: '2025-03-01T10:00:00+08:00',
    executionStatus: 'EXECUTED',
    executedAt: '2025-03-02T10:00:00+08:00',
    updatedAt: '2025-03-02T10:00:00+08:00',
    ...overrides,
  };
}

function openCase(powerItemCode: string, status: Case['status'] = 'INVESTIGATING'): Case {
  return {
    caseNo: '瑞综执立〔2026〕9号',
    clueId: null,
    subjectUscc: USCC,
    subjectName: '瑞安市某食品有限公司',
    powerItemCode,
    authorityCode: '330381-ZHZFJ',
    townshipCode: '330381001',
    procedure: 'GENERAL',
    status,
    lenientHandling: 'NONE',
    legalReviewed: false,
    filedAt: '2026-05-01T10:00:00+08:00',
    decidedAt: null,
    closedAt: null,
    updatedAt: '2026-05-01T10:00:00+08:00',
  };
}

/** Facts every agency answered in full: no gaps. */
function facts(overrides: Partial<SubjectFacts> = {}): SubjectFacts {
  return {
    uscc: USCC,
    penalties: [],
    affectedPermits: new Map(),
    cases: [],
    powerItemDomains: new Map([['330381-CF-0001', '市场监管']]),
    credit: profile,
    creditRecords: [],
    ...overrides,
  };
}

describe('the gaps in facts every agency answered', () => {
  it('are none when every record another names was found', () => {
    expect(gapsIn(facts({ cases: [openCase('330381-CF-0001')] }))).toEqual(new Set());
  });

  it('name the approval system for a revocation whose permit it does not hold', () => {
    expect(gapsIn(facts({ penalties: [penalty()] }))).toEqual(new Set(['approval.permit']));
  });

  it('name the enforcement system for a revocation naming no permit', () => {
    expect(gapsIn(facts({ penalties: [penalty({ affectedPermitNo: null })] }))).toEqual(
      new Set(['enforcement.penalty']),
    );
  });

  it('ignore a permit not found for a penalty that revokes nothing', () => {
    expect(gapsIn(facts({ penalties: [penalty({ kinds: ['PERMIT_SUSPENSION'] })] }))).toEqual(new Set());
  });

  it('name the power list for an open case on an item it lacks, not for a closed one', () => {
    expect(gapsIn(facts({ cases: [openCase('330381-CF-9999')] }))).toEqual(new Set(['enforcement.item']));
    expect(gapsIn(facts({ cases: [openCase('330381-CF-9999', 'CLOSED')] }))).toEqual(new Set());
  });

  it('name the credit platform when it holds no profile of the subject', () => {
    expect(gapsIn(facts({ credit: null }))).toEqual(new Set(['credit.subject']));
  });
});
