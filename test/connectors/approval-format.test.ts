import { describe, expect, it } from 'vitest';
import { shippedMapper } from '../../src/connectors/profiles/shipped-mapper.ts';
import type { RegistryEntry } from '../../src/domain/feeds.ts';
import type { Permit, Subject } from '../../src/domain/types.ts';
import { UnmappableFieldError } from '../../src/connectors/mapping/index.ts';
import { rawEnterprise, rawPermit } from './builders/approval-records.ts';

// The approval platform's format, as profiles/approval.yaml maps it.
const toSubject = shippedMapper<Subject>('approval', 'subject');
const toPermit = shippedMapper<Permit>('approval', 'permit');
const toRegistryEntry = shippedMapper<RegistryEntry>('approval', 'registryEntry');

describe('approval format', () => {
  it('maps an enterprise to a subject, midnight instants becoming dates', () => {
    expect(toSubject(rawEnterprise())).toEqual({
      uscc: '91330381MA2C8Y6K1X',
      legacyRegNo: '330381000012345',
      name: '瑞安市安阳机械有限公司',
      kind: 'COMPANY',
      townshipCode: '330381001',
      industryCode: 'C34',
      establishedOn: '2012-03-05',
      address: '瑞安市安阳街道万松路1号',
      legalRepresentative: { name: '陈明', idNumber: '330381198001011234', phone: '13800000000' },
      updatedAt: '2024-01-02T10:00:00+08:00',
    });
  });

  it.each([
    [1, 'COMPANY'],
    [2, 'INDIVIDUAL_BUSINESS'],
    [3, 'FARMERS_COOPERATIVE'],
  ] as const)('maps entType %i to %s', (entType, kind) => {
    expect(toSubject(rawEnterprise({ entType })).kind).toBe(kind);
  });

  it('keeps a missing legacy number as null and a USCC that fails its check as it is', () => {
    const subject = toSubject(rawEnterprise({ legacyRegNo: null, uscc: '91330381MA2C8Y6K10' }));
    expect(subject.legacyRegNo).toBeNull();
    expect(subject.uscc).toBe('91330381MA2C8Y6K10');
  });

  it('maps a permit, with its decision instant and its validity dates', () => {
    expect(toPermit(rawPermit())).toEqual({
      permitNo: '浙审330381-2023-000123',
      itemCode: '330381-XK-0012',
      itemName: '食品经营许可',
      holderUscc: '91330381MA2C8Y6K1X',
      issuerCode: '330381-XZSPJ',
      decidedAt: '2023-05-12T09:30:00+08:00',
      validFrom: '2023-05-12',
      validUntil: '2028-05-11',
      status: 'VALID',
      commitmentBased: true,
      verificationDueOn: '2023-08-12',
      updatedAt: '2023-05-12T09:30:00+08:00',
    });
  });

  it('keeps an open-ended validity and an absent verification deadline as null', () => {
    const permit = toPermit(rawPermit({ validTo: null, promiseMode: false, verifyDeadline: null }));
    expect(permit.validUntil).toBeNull();
    expect(permit.commitmentBased).toBe(false);
    expect(permit.verificationDueOn).toBeNull();
  });

  it.each([
    [1, 'VALID'],
    [2, 'SUSPENDED'],
    [3, 'REVOKED'],
    [4, 'EXPIRED'],
    [5, 'CANCELLED'],
  ] as const)('maps permit status %i to %s', (status, expected) => {
    expect(toPermit(rawPermit({ status })).status).toBe(expected);
  });

  it('refuses a permit status it does not know, naming the field', () => {
    expect(() => toPermit(rawPermit({ status: 9 }))).toThrow(new UnmappableFieldError('status', 9));
  });

  it('makes a registry entry of an enterprise, with its township', () => {
    expect(toRegistryEntry(rawEnterprise())).toEqual({
      uscc: '91330381MA2C8Y6K1X',
      legacyRegNo: '330381000012345',
      name: '瑞安市安阳机械有限公司',
      townshipCode: '330381001',
      source: 'approval',
      updatedAt: '2024-01-02T10:00:00+08:00',
    });
  });
});
