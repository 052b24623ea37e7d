import { describe, expect, it } from 'vitest';
import { withinJurisdiction } from '../../src/modules/access/jurisdiction.ts';
import { ServedArea } from '../../src/modules/access/served-area.ts';

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

describe('the area the gateway serves', () => {
  const ruian = ServedArea.of([
    { code: '330300', name: '温州市', level: 'CITY', parentCode: '330000' },
    { code: '330381', name: '瑞安市', level: 'COUNTY', parentCode: '330300' },
    { code: '330381001', name: '安阳街道', level: 'TOWNSHIP', parentCode: '330381' },
    { code: '330381002', name: '玉海街道', level: 'TOWNSHIP', parentCode: '330381' },
  ]);

  it('is reached by the county, the bodies above it and its townships', () => {
    for (const code of ['330381', '330300', '330000', '330381001']) expect(ruian.reaches(code), code).toBe(true);
  });

  it('is reached by no code that is not a county-level or township division: empty, a digit, twelve digits, letters', () => {
    for (const code of ['', '3', '33', '330381001001', '33038A', ' 330381'])
      expect(ruian.reaches(code), code).toBe(false);
  });

  it('is not reached by another county, its townships, a township it does not list, or another city', () => {
    for (const code of ['330382', '330382001', '330381099', '330100']) expect(ruian.reaches(code), code).toBe(false);
  });

  it('is covered by the county and the bodies above it, never by one of its townships nor by a malformed code', () => {
    for (const code of ['330381', '330300', '330000']) expect(ruian.covers(code), code).toBe(true);
    for (const code of ['330381001', '330382', '', '33']) expect(ruian.covers(code), code).toBe(false);
  });

  it('is covered by nobody while it lists no township', () => {
    expect(new ServedArea([]).covers('330000')).toBe(false);
  });
});

describe('an area configured by division (SERVED_JURISDICTION)', () => {
  const county = new ServedArea(['330381']);
  const oneTownship = new ServedArea(['330381001']);

  it('a county is reached by itself, the bodies above it and every one of its townships', () => {
    for (const code of ['330381', '330300', '330000', '330381001', '330381020'])
      expect(county.reaches(code), code).toBe(true);
  });

  it('a county is not reached by another county or its townships', () => {
    for (const code of ['330382', '330382001', '330100']) expect(county.reaches(code), code).toBe(false);
  });

  it('a township is reached by its county and by itself, not by the township next to it', () => {
    expect(oneTownship.reaches('330381')).toBe(true);
    expect(oneTownship.reaches('330381001')).toBe(true);
    expect(oneTownship.reaches('330381002')).toBe(false);
  });

  it("is covered by its county and above, never by a township, even the one it names: the systems are the county's", () => {
    for (const area of [county, oneTownship]) {
      for (const code of ['330381', '330300', '330000']) expect(area.covers(code), code).toBe(true);
      for (const code of ['330381001', '330381002', '330382']) expect(area.covers(code), code).toBe(false);
    }
  });
});
