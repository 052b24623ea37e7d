import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.ts';

describe('SERVED_JURISDICTION', () => {
  it('is unset by default: the served area is then the reference data’s townships', () => {
    expect(loadConfig({}).servedJurisdiction).toBeUndefined();
  });

  it('reads county-level and township division codes, comma-separated', () => {
    expect(loadConfig({ SERVED_JURISDICTION: '330381, 330382001' }).servedJurisdiction).toEqual([
      '330381',
      '330382001',
    ]);
  });

  it('refuses at start a value that names no division, saying which and what a division code is', () => {
    expect(() => loadConfig({ SERVED_JURISDICTION: '33038,330381,瑞安' })).toThrow(
      /SERVED_JURISDICTION="33038,330381,瑞安": "33038", "瑞安" are not division codes: each must be 6 digits .* or 9/,
    );
    expect(() => loadConfig({ SERVED_JURISDICTION: ' , ' })).toThrow(/SERVED_JURISDICTION=" , ": names no division/);
    expect(() => loadConfig({ SERVED_JURISDICTION: '3303810010' })).toThrow(/"3303810010" is not a division code/);
  });
});
