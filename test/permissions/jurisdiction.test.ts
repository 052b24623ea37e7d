import { describe, expect, it } from 'vitest';
import { withinJurisdiction } from '../../src/modules/access/jurisdiction.ts';

describe('jurisdiction', () => {
  it('A township team sees its own township only', () => {
    expect(withinJurisdiction({ jurisdictionCode: '330381001' }, '330381001')).toBe(true);
    expect(withinJurisdiction({ jurisdictionCode: '330381001' }, '330381002')).toBe(false);
  });

  it('A county body sees every township of its county and none of another', () => {
    expect(withinJurisdiction({ jurisdictionCode: '330381' }, '330381020')).toBe(true);
    expect(withinJurisdiction({ jurisdictionCode: '330381' }, '330382001')).toBe(false);
  });

  it('A city or province body sees everything beneath it', () => {
    expect(withinJurisdiction({ jurisdictionCode: '330300' }, '330381007')).toBe(true);
    expect(withinJurisdiction({ jurisdictionCode: '330000' }, '330381007')).toBe(true);
    expect(withinJurisdiction({ jurisdictionCode: '330300' }, '330102001')).toBe(false);
  });
});
