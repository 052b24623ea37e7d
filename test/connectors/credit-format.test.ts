import { describe, expect, it } from 'vitest';
import { shippedMapper } from '../../src/connectors/profiles/shipped-mapper.ts';
import type { CreditProfile, CreditRecord } from '../../src/domain/types.ts';
import type { RegistryEntry } from '../../src/domain/feeds.ts';
import { UnmappableFieldError } from '../../src/connectors/mapping/index.ts';
import { rawCommitment, rawCreditRecord, rawCreditSubject } from './builders/credit-records.ts';

// The credit platform's format, as profiles/credit.yaml maps it.
const toCreditProfile = shippedMapper<CreditProfile>('credit', 'creditProfile');
const toCreditRecord = shippedMapper<CreditRecord>('credit', 'creditRecord');
const toRegistryEntry = shippedMapper<RegistryEntry>('credit', 'registryEntry');

describe('credit format', () => {
  it('maps a credit subject to a profile, slashed dates becoming ISO dates', () => {
    expect(toCreditProfile(rawCreditSubject())).toEqual({
      uscc: '91330381MA2C8Y6K1X',
      name: '瑞安市安阳机械有限公司',
      grade: 'B',
      gradedOn: '2024-01-15',
      dishonesty: { status: 'NOT_LISTED', listedOn: null, reason: null },
      updatedAt: '2024-01-15T10:00:00+08:00',
    });
  });

  it('maps a listing on the serious-dishonesty list', () => {
    const profile = toCreditProfile(
      rawCreditSubject({ xydj: 'D', sxmd: { zt: '列入', lrrq: '2023/06/01', lryy: '拒不履行行政处罚决定' } }),
    );
    expect(profile).toMatchObject({
      grade: 'D',
      dishonesty: { status: 'LISTED', listedOn: '2023-06-01', reason: '拒不履行行政处罚决定' },
    });
  });

  it('refuses a subject sent without its listing, rather than guessing it is not listed', () => {
    // A permit office relies on this status for joint sanctions (联合惩戒): unknown must not read as clean.
    expect(() => toCreditProfile(rawCreditSubject({ sxmd: null }))).toThrow(/sxmd/);
  });

  it('maps a penalty publicity record, its fine converted from 万元 to fen', () => {
    expect(toCreditRecord(rawCreditRecord())).toEqual({
      id: 'XY2023000123',
      kind: 'PENALTY_PUBLICITY',
      subjectUscc: '91330381MA2C8Y6K1X',
      decisionNo: '瑞综执罚决字〔2023〕第123号',
      fineFen: 500000,
      authorityName: '瑞安市综合行政执法局',
      publishedOn: '2023-06-01',
      publicityEndsOn: '2026-06-01',
      status: 'PUBLISHED',
      commitment: null,
      updatedAt: '2023-06-01T10:00:00+08:00',
    });
  });

  it.each([
    [0.000001, 1],
    [0.35, 350000],
    [1234.5678, 1234567800],
    [99999.999999, 99999999999],
  ])('converts a fine of %s 万元 to exactly %i fen', (cf_fkje, fen) => {
    expect(toCreditRecord(rawCreditRecord({ cf_fkje })).fineFen).toBe(fen);
  });

  it('refuses a fine with more than six decimals of 万元', () => {
    expect(() => toCreditRecord(rawCreditRecord({ cf_fkje: 0.1234567 }))).toThrow(
      new UnmappableFieldError('cf_fkje', 0.1234567),
    );
  });

  it('maps a commitment record, which has neither decision nor fine', () => {
    const record = toCreditRecord(
      rawCreditRecord({
        jllx: '信用承诺',
        cf_wsh: null,
        cf_fkje: null,
        gsjzrq: null,
        cn: rawCommitment({ lyzt: '违约' }),
      }),
    );
    expect(record).toMatchObject({
      kind: 'COMMITMENT',
      decisionNo: null,
      fineFen: null,
      publicityEndsOn: null,
      commitment: {
        type: '告知承诺',
        content: '承诺符合食品经营许可条件',
        fulfilment: 'BREACHED',
        permitNo: '浙审330381-2023-000123',
      },
    });
  });

  it.each([
    ['行政处罚', 'PENALTY_PUBLICITY'],
    ['信用承诺', 'COMMITMENT'],
    ['严重失信', 'SERIOUS_DISHONESTY'],
    ['守信激励', 'COMMENDATION'],
    ['信用修复', 'CREDIT_REPAIR'],
  ])('maps the record type 「%s」 to %s', (jllx, kind) => {
    expect(toCreditRecord(rawCreditRecord({ jllx })).kind).toBe(kind);
  });

  it.each([
    ['公示中', 'PUBLISHED'],
    ['已撤下', 'WITHDRAWN'],
    ['已修复', 'REPAIRED'],
  ])('maps the publicity status 「%s」 to %s', (gszt, status) => {
    expect(toCreditRecord(rawCreditRecord({ gszt })).status).toBe(status);
  });

  it('refuses an unknown grade and an unknown publicity status', () => {
    expect(() => toCreditProfile(rawCreditSubject({ xydj: 'AAA' }))).toThrow(UnmappableFieldError);
    expect(() => toCreditRecord(rawCreditRecord({ gszt: '已过期' }))).toThrow(
      new UnmappableFieldError('gszt', '已过期'),
    );
  });

  it('makes a registry entry without township or legacy number', () => {
    expect(toRegistryEntry(rawCreditSubject())).toEqual({
      uscc: '91330381MA2C8Y6K1X',
      legacyRegNo: null,
      name: '瑞安市安阳机械有限公司',
      townshipCode: null,
      source: 'credit',
      updatedAt: '2024-01-15T10:00:00+08:00',
    });
  });
});
