import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.ts';
import type { AuthorityKind } from '../../src/domain/types.ts';
import { decideField, type CallerStanding } from '../../src/modules/access/field-decision.ts';
import type { SharingDeclaration } from '../../src/modules/access/sharing-declarations.ts';

function caller(
  authorityKind: AuthorityKind,
  standing: Partial<Omit<CallerStanding, 'principal'>> = {},
): CallerStanding {
  const principal: Principal = {
    subject: 'u1',
    issuer: 'https://idp.example',
    kind: 'PERSON',
    authorityCode: `330381-${authorityKind}`,
    authorityKind,
    jurisdictionCode: '330381',
    roles: ['OFFICER'],
    purpose: null,
  };
  return {
    principal,
    purpose: standing.purpose ?? null,
    grantedFields: standing.grantedFields ?? new Map(),
    reachesServedArea: true,
  };
}

function field(coordinate: string, rest: Partial<SharingDeclaration>): SharingDeclaration {
  return { coordinate, sharingClass: 'UNCONDITIONAL', owner: null, personal: false, condition: null, ...rest };
}

const findings = field('Inspection.findings', {
  sharingClass: 'CONDITIONAL',
  owner: 'supervision',
  condition: 'supervision',
});
const idNumber = field('LegalRepresentative.idNumber', {
  sharingClass: 'CONDITIONAL',
  owner: 'approval',
  personal: true,
  condition: 'identity',
});
const informant = field('Clue.informant', { sharingClass: 'NOT_SHARED', owner: 'enforcement', personal: true });

describe('deciding one field for one caller', () => {
  it('An unconditional field is allowed to everyone', () => {
    expect(decideField(field('Permit.status', { owner: 'approval' }), caller('ANALYSIS_OFFICE'))).toEqual({
      outcome: 'allow',
    });
  });

  it('A field with no declaration is denied', () => {
    expect(decideField(undefined, caller('APPROVAL_BUREAU'))).toMatchObject({ outcome: 'deny', rule: 'undeclared' });
  });

  it('A not-shared field is allowed to its owning agency only', () => {
    expect(decideField(informant, caller('TOWNSHIP_ENFORCEMENT_TEAM'))).toEqual({ outcome: 'allow' });
    expect(
      decideField(
        informant,
        caller('CREDIT_CENTRE', { purpose: 'X-1', grantedFields: new Map([['Clue.informant', 'grant-1']]) }),
      ),
    ).toMatchObject({
      outcome: 'deny',
      rule: 'not-shared',
    });
  });

  it('A conditional field is allowed to its owning agency without purpose or grant', () => {
    expect(decideField(findings, caller('INDUSTRY_DEPARTMENT'))).toEqual({ outcome: 'allow' });
  });

  it('An authority of the owning kind whose jurisdiction does not reach the served area is decided like every other consumer', () => {
    const elsewhere = (standing: Partial<Omit<CallerStanding, 'principal'>> = {}) => ({
      ...caller('APPROVAL_BUREAU', standing),
      reachesServedArea: false,
    });
    expect(decideField(idNumber, elsewhere())).toMatchObject({ outcome: 'deny', rule: 'purpose-required' });
    expect(decideField(idNumber, elsewhere({ purpose: 'X-1' }))).toEqual({ outcome: 'mask' });
    expect(
      decideField(
        idNumber,
        elsewhere({ purpose: 'X-1', grantedFields: new Map([['LegalRepresentative.idNumber', 'g-1']]) }),
      ),
    ).toEqual({ outcome: 'allow', grantId: 'g-1' });
    expect(decideField({ ...informant, owner: 'approval' }, elsewhere())).toMatchObject({
      outcome: 'deny',
      rule: 'not-shared',
    });
  });

  it('A conditional field without a purpose is denied by the purpose rule, even with a grant', () => {
    const decision = decideField(
      findings,
      caller('ANALYSIS_OFFICE', { grantedFields: new Map([['Inspection.findings', 'grant-1']]) }),
    );
    expect(decision).toMatchObject({ outcome: 'deny', rule: 'purpose-required' });
  });

  it('A conditional field with a purpose but no grant is denied by the grant rule', () => {
    const decision = decideField(findings, caller('ANALYSIS_OFFICE', { purpose: '瑞综执立〔2024〕28号' }));
    expect(decision).toMatchObject({ outcome: 'deny', rule: 'no-grant' });
    if (decision.outcome === 'deny') expect(decision.reason).toContain('330381-ANALYSIS_OFFICE');
  });

  it('A conditional field with a purpose and a grant naming it is allowed', () => {
    const decision = decideField(
      findings,
      caller('ANALYSIS_OFFICE', { purpose: 'M-1', grantedFields: new Map([['Inspection.findings', 'grant-1']]) }),
    );
    expect(decision).toEqual({ outcome: 'allow', grantId: 'grant-1' });
  });

  it('A personal field with a purpose but no grant naming it is masked, not revealed', () => {
    expect(
      decideField(
        idNumber,
        caller('COUNTY_ENFORCEMENT_BUREAU', {
          purpose: 'M-1',
          grantedFields: new Map([['Inspection.findings', 'grant-1']]),
        }),
      ),
    ).toEqual({
      outcome: 'mask',
    });
  });

  it('A personal field whose grant names it and the purpose is shown in clear', () => {
    const standing = caller('COUNTY_ENFORCEMENT_BUREAU', {
      purpose: 'M-1',
      grantedFields: new Map([['LegalRepresentative.idNumber', 'grant-1']]),
    });
    expect(decideField(idNumber, standing)).toEqual({ outcome: 'allow', grantId: 'grant-1' });
  });
});

describe('deciding one field for one caller on one row', () => {
  const township = (standing: Partial<Omit<CallerStanding, 'principal'>> = {}): CallerStanding => {
    const base = caller('APPROVAL_BUREAU', standing);
    return { ...base, principal: { ...base.principal, jurisdictionCode: '330381001' }, coversServedArea: false };
  };

  it("A township owner reads its system's field as owner on a row of its township", () => {
    expect(decideField(idNumber, township(), '330381001')).toEqual({ outcome: 'allow' });
  });

  it('A township owner is a consumer on a row of another township, and on a row of unknown place', () => {
    expect(decideField(idNumber, township(), '330381002')).toMatchObject({ outcome: 'deny', rule: 'purpose-required' });
    expect(decideField(idNumber, township({ purpose: 'X-1' }), null)).toEqual({ outcome: 'mask' });
  });

  it('An owner whose jurisdiction covers the served area reads as owner on every row, wherever it lies', () => {
    expect(decideField(idNumber, { ...caller('APPROVAL_BUREAU'), coversServedArea: true }, '330381002')).toEqual({
      outcome: 'allow',
    });
  });
});
