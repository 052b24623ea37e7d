import { describe, expect, it } from 'vitest';
import { fenToWanYuan, fenToYuan } from '../../src/domain/money.ts';

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
