import { describe, expect, it } from 'vitest';
import {
  UnmappableFieldError,
  dateFromCompact,
  dateFromEpochMs,
  dateFromIso,
  dateFromSlashed,
  fenFromFen,
  fenFromWanYuan,
  instantFromCompact,
  instantFromEpochMs,
  instantFromIso,
  instantFromSlashed,
} from '../../src/connectors/mapping/index.ts';

describe('万元 to fen', () => {
  it.each([
    [0.000001, 1],
    [0.35, 350_000],
    [0.5, 500_000],
    [1234.5678, 1_234_567_800],
    [99999.999999, 99_999_999_999],
    [0, 0],
    [20, 20_000_000],
  ])('converts %s 万元 to exactly %i fen', (wanYuan, fen) => {
    expect(fenFromWanYuan('cf_fkje', wanYuan)).toBe(fen);
  });

  it('gets right what multiplying the float would get wrong', () => {
    expect(Math.trunc(1.005 * 1_000_000)).not.toBe(1_005_000);
    expect(fenFromWanYuan('cf_fkje', 1.005)).toBe(1_005_000);
  });

  it.each([[0.0000001], [1.2345678], [0.1 + 0.2], [-0.5], [Number.NaN], ['0.5'], [1e20]])(
    'rejects %s, which is no whole number of fen',
    (value) => {
      expect(() => fenFromWanYuan('cf_fkje', value)).toThrow(UnmappableFieldError);
    },
  );

  it('passes fen through and rejects fractions of a fen', () => {
    expect(fenFromFen('FINE_FEN', 500000)).toBe(500000);
    expect(() => fenFromFen('FINE_FEN', 12.5)).toThrow(UnmappableFieldError);
  });
});

describe('China time', () => {
  it('writes epoch milliseconds as a +08:00 instant', () => {
    expect(instantFromEpochMs('T', 1683858600000)).toBe('2023-05-12T10:30:00+08:00');
    expect(instantFromEpochMs('T', 1683858600123)).toBe('2023-05-12T10:30:00.123+08:00');
  });

  it('takes the China date of epoch milliseconds, not the UTC one', () => {
    // 2023-05-12 00:00 in China is still 2023-05-11 in UTC.
    expect(dateFromEpochMs('T', 1683820800000)).toBe('2023-05-12');
    expect(dateFromEpochMs('T', 1683820799000)).toBe('2023-05-11');
  });

  it('rewrites ISO instants of any offset with +08:00', () => {
    expect(instantFromIso('T', '2023-05-12T09:30:00+08:00')).toBe('2023-05-12T09:30:00+08:00');
    expect(instantFromIso('T', '2023-05-12T01:30:00Z')).toBe('2023-05-12T09:30:00+08:00');
    expect(dateFromIso('T', '2023-05-12T00:00:00+08:00')).toBe('2023-05-12');
  });

  it('reads YYYYMMDD and YYYYMMDDHHmmss as China time', () => {
    expect(dateFromCompact('T', '20230512')).toBe('2023-05-12');
    expect(instantFromCompact('T', '20230512103000')).toBe('2023-05-12T10:30:00+08:00');
  });

  it('reads YYYY/MM/DD and YYYY/MM/DD HH:mm:ss', () => {
    expect(dateFromSlashed('T', '2024/01/15')).toBe('2024-01-15');
    expect(instantFromSlashed('T', '2024/01/15 10:00:00')).toBe('2024-01-15T10:00:00+08:00');
  });

  it.each([
    ['20230230', dateFromCompact],
    ['2023-05-12', dateFromCompact],
    ['20231312103000', instantFromCompact],
    ['2024-01-15', dateFromSlashed],
    ['2024/1/5', dateFromSlashed],
    ['2023-05-12 09:30:00', instantFromIso],
    [null, instantFromIso],
  ] as const)('rejects %s', (value, parse) => {
    expect(() => parse('T', value)).toThrow(UnmappableFieldError);
  });
});
