import { describe, expect, it } from 'vitest';
import { ratio, ratioNear } from '../../bench/harness/summary.ts';

describe('a ratio printed beside its target', () => {
  it('shows a third decimal when two would round it onto the limit', () => {
    // The full run at 55ccc8d printed "0.60×" beside "≥ 0.6×" and "not met".
    expect(ratioNear(206.6, 345.1, 0.6)).toBe('0.599×');
    expect(ratioNear(2.004, 1, 2)).toBe('2.004×');
  });

  it('keeps two decimals when they already say which side of the limit it is on', () => {
    expect(ratioNear(4.2, 1.54, 2)).toBe('2.73×');
    expect(ratioNear(0.6, 1, 0.6)).toBe('0.60×');
  });

  it('prints a dash for a ratio that cannot be computed', () => {
    expect(ratio(1, 0 / 0)).toBe('–');
    expect(ratioNear(0, 0, 1)).toBe('–');
  });
});
