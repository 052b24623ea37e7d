import { describe, expect, it } from 'vitest';
import { digitsAt } from '../../src/domain/written-digits.ts';

describe('digitsAt', () => {
  it('reads the number the digits at a position write', () => {
    expect(digitsAt('2023-05-12T09:30:00+08:00', 0, 4)).toBe(2023);
    expect(digitsAt('2023-05-12T09:30:00+08:00', 5, 2)).toBe(5);
    expect(digitsAt('2023-05-12T09:30:00+08:00', 17, 2)).toBe(0);
  });

  it('reads leading zeros as a number would', () => {
    expect(digitsAt('0099-01-01', 0, 4)).toBe(99);
  });
});
