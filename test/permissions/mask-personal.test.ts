import { describe, expect, it } from 'vitest';
import { maskPersonal } from '../../src/modules/access/mask-personal.ts';

describe('masking personal information', () => {
  it.each([
    ['330381198001011234', '3303**********1234'],
    ['33038119800101123X', '3303**********123X'],
    ['13800001234', '138****1234'],
    ['张三', '张*'],
    ['欧阳修文', '欧***'],
    ['', '*'],
  ])('shows %s as %s', (value, masked) => {
    expect(maskPersonal(value)).toBe(masked);
  });

  it('never leaves more than the first four and last four digits of an identity number', () => {
    const masked = maskPersonal('330381198001011234');
    expect(masked.replaceAll('*', '').length).toBe(8);
  });
});
