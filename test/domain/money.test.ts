import { describe, expect, it } from 'vitest';
import { fenFromAmount, fenToWanYuan, fenToYuan } from '../../src/domain/money.ts';

describe('money formatting', () => {
  it('shows fen as yuan with two decimals', () => {
    expect(fenToYuan(500000)).toBe('5000.00');
    expect(fenToYuan(1)).toBe('0.01');
    expect(fenToYuan(0)).toBe('0.00');
    expect(fenToYuan(-250)).toBe('-2.50');
  });

  it('shows fen as 万元 without trailing zeros', () => {
    expect(fenToWanYuan(350000)).toBe('0.35');
    expect(fenToWanYuan(10_000_000)).toBe('10');
    expect(fenToWanYuan(1)).toBe('0.000001');
  });

  it('stays exact beyond what a float could hold in yuan', () => {
    expect(fenToYuan(9_007_199_254_740_991)).toBe('90071992547409.91');
  });

  it('refuses an amount that is not a whole number of fen', () => {
    expect(() => fenToYuan(1.5)).toThrow(RangeError);
  });
});

describe('reading amounts as exact fen', () => {
  it.each([
    [0.35, 'wanYuan', 350_000],
    [1.005, 'wanYuan', 1_005_000],
    ['0.35', 'wanYuan', 350_000],
    [' 12.5 ', 'yuan', 1_250],
    [12.34, 'yuan', 1_234],
    [500000, 'fen', 500000],
    ['500', 'fen', 500],
    [1e-6, 'wanYuan', 1],
  ] as const)('reads %j %s as %i fen', (written, unit, fen) => {
    expect(fenFromAmount(written, unit)).toBe(fen);
  });

  it.each([
    [12.5, 'fen'],
    ['0.001', 'yuan'],
    [0.0000001, 'wanYuan'],
    [-1, 'fen'],
    ['-1', 'yuan'],
    [Number.NaN, 'fen'],
    [Number.POSITIVE_INFINITY, 'fen'],
    ['', 'fen'],
    ['1,000', 'yuan'],
    [null, 'fen'],
    [1e20, 'wanYuan'],
    ['1e999999', 'fen'],
  ] as const)('reads no amount of fen from %j %s', (written, unit) => {
    expect(fenFromAmount(written, unit)).toBeNull();
  });
});
