import { describe, expect, it } from 'vitest';
import { UnmappableFieldError } from '../../../src/connectors/mapping/index.ts';
import { compileMapping } from '../../../src/connectors/profiles/compile-mapping.ts';
import { CONVERTERS, NORMALISERS } from '../../../src/connectors/profiles/converters.ts';

describe('profile converters', () => {
  it.each([
    ['date:YYYYMMDD', '20240229', '2024-02-29'],
    ['date:YYYY/MM/DD', '2024/01/15', '2024-01-15'],
    ['date:ISO', '2023-05-11T16:00:00Z', '2023-05-12'],
    ['date:epochMs', 1683820800000, '2023-05-12'],
    ['instant:ISO', '2023-05-12T01:30:00Z', '2023-05-12T09:30:00+08:00'],
    ['instant:epochMs', 1683855000000, '2023-05-12T09:30:00+08:00'],
    ['instant:YYYYMMDDHHmmss', '20230512093000', '2023-05-12T09:30:00+08:00'],
    ['instant:YYYY/MM/DD HH:mm:ss', '2023/05/12 09:30:00', '2023-05-12T09:30:00+08:00'],
  ] as const)('%s reads %j as %s', (name, raw, expected) => {
    expect(CONVERTERS[name]('f', raw)).toBe(expected);
  });

  it.each([
    ['date:YYYYMMDD', '20230230'],
    ['date:YYYYMMDD', '2023-02-01'],
    ['date:YYYY/MM/DD', '2023/13/01'],
    ['date:ISO', '2023-05-12'],
    ['instant:ISO', '2023-05-12T09:30:00'],
    ['instant:epochMs', '1683855000000'],
    ['instant:YYYYMMDDHHmmss', '20230512246000'],
  ] as const)('%s refuses %j, naming the field', (name, raw) => {
    expect(() => CONVERTERS[name]('a.b', raw)).toThrow(new UnmappableFieldError('a.b', raw));
  });

  it.each([
    ['money:fen', 500000, 500000],
    ['money:fen', '500000', 500000],
    ['money:yuan', '8950.00', 895000],
    ['money:yuan', 0.1, 10],
    ['money:yuan', '12.3', 1230],
    ['money:wanYuan', 0.35, 350000],
    ['money:wanYuan', '0.000001', 1],
    ['money:wanYuan', '1234.5678', 1234567800],
  ] as const)('%s reads %j as exactly %i fen', (name, raw, fen) => {
    expect(CONVERTERS[name]('fine', raw)).toBe(fen);
  });

  it.each([
    ['money:fen', 12.5],
    ['money:fen', -1],
    ['money:yuan', '1.005'],
    ['money:yuan', '-3'],
    ['money:yuan', '1,000'],
    ['money:wanYuan', 0.1234567],
    ['money:wanYuan', ''],
  ] as const)('%s refuses %j (no fraction of a fen, no sign, no grouping)', (name, raw) => {
    expect(() => CONVERTERS[name]('fine', raw)).toThrow(new UnmappableFieldError('fine', raw));
  });

  it('reads identifiers as recorded: a USCC of the right shape passes even with a wrong check character', () => {
    expect(CONVERTERS.uscc('c', '91330381MA2C8Y6K1Y')).toBe('91330381MA2C8Y6K1Y');
    expect(() => CONVERTERS.uscc('c', '91330381MA2C8Y6K1')).toThrow(UnmappableFieldError);
    expect(CONVERTERS.legacyRegNo('c', '330381000012345')).toBe('330381000012345');
    expect(() => CONVERTERS.legacyRegNo('c', '33038100001234X')).toThrow(UnmappableFieldError);
  });

  it.each([
    [1, true],
    ['1', true],
    [0, false],
    ['0', false],
  ] as const)('boolean:01 reads %j as %s', (raw, expected) => {
    expect(CONVERTERS['boolean:01']('f', raw)).toBe(expected);
  });

  it.each([2, true, '', 'Y', null])('boolean:01 refuses %j rather than guess', (raw) => {
    expect(() => CONVERTERS['boolean:01']('f', raw)).toThrow(new UnmappableFieldError('f', raw));
  });

  it('normalises full-width digits and surrounding blanks', () => {
    expect(NORMALISERS.fullWidthDigits('２０２４０１１５')).toBe('20240115');
    expect(NORMALISERS.trim(' 　A ')).toBe('A');
  });
});

describe('compiled field rules', () => {
  const tables = { kind: { 1: 'FINE', 2: 'WARNING' }, status: { 有效: 'VALID' } };

  it('builds nested objects, lists, code lists, constants, defaults and normalised values', () => {
    const map = compileMapping(
      {
        id: 'ID',
        on: { from: 'D', convert: 'date:YYYYMMDD', normalize: ['trim', 'fullWidthDigits'] },
        kinds: { codes: 'kind', from: 'K' },
        status: { code: 'status', from: 'S', normalize: ['trim'] },
        who: { object: { name: 'P.N' } },
        source: { const: 'x' },
        note: { from: 'NOTE', optional: true, default: '' },
        rows: { from: 'R', items: { v: { from: 'V', convert: 'integer' } } },
      },
      tables,
    );
    expect(
      map({ ID: 'A1', D: ' ２０２４０１１５ ', K: '1, 2', S: '有效 ', P: { N: '张三' }, NOTE: null, R: [{ V: 3 }] }),
    ).toEqual({
      id: 'A1',
      on: '2024-01-15',
      kinds: ['FINE', 'WARNING'],
      status: 'VALID',
      who: { name: '张三' },
      source: 'x',
      note: '',
      rows: [{ v: 3 }],
    });
  });

  it('names the full path of the field that failed', () => {
    const map = compileMapping({ rows: { from: 'R', items: { v: { from: 'V', convert: 'integer' } } } }, tables);
    expect(() => map({ R: [{ V: 'x' }] })).toThrow(new UnmappableFieldError('R.V', 'x'));
    const nested = compileMapping(
      { c: { from: 'cn', optional: true, object: { s: { from: 'S', code: 'status' } } } },
      tables,
    );
    expect(nested({ cn: null })).toEqual({ c: null });
    expect(() => nested({ cn: { S: '无效' } })).toThrow(new UnmappableFieldError('cn.S', '无效'));
  });

  it('reads an empty code list as no codes only when the rule allows it', () => {
    const lenient = compileMapping(
      { kinds: { codes: 'kind', from: 'K', normalize: ['trim'], allowEmpty: true } },
      tables,
    );
    expect(lenient({ K: ' ' })).toEqual({ kinds: [] });
    expect(lenient({ K: '2,1' })).toEqual({ kinds: ['WARNING', 'FINE'] });
    expect(() => lenient({ K: null })).toThrow(new UnmappableFieldError('K', null));
    const strict = compileMapping({ kinds: { codes: 'kind', from: 'K' } }, tables);
    expect(() => strict({ K: '' })).toThrow(new UnmappableFieldError('K', ''));
  });

  it('gathers an optional object from the record itself: null when none of its fields is there', () => {
    const map = compileMapping(
      {
        informant: {
          optional: true,
          object: {
            name: { from: 'NAME', optional: true, default: '' },
            phone: { from: 'PHONE', optional: true, default: '' },
          },
        },
      },
      tables,
    );
    expect(map({ NAME: null, PHONE: null })).toEqual({ informant: null });
    expect(map({})).toEqual({ informant: null });
    expect(map({ NAME: null, PHONE: '13900000000' })).toEqual({ informant: { name: '', phone: '13900000000' } });
    expect(() => map({ NAME: 7 })).toThrow(new UnmappableFieldError('NAME', 7));
  });

  it('refuses a required field that is absent, and an unknown code', () => {
    const map = compileMapping({ id: 'ID', kinds: { codes: 'kind', from: 'K' } }, tables);
    expect(() => map({ K: '1' })).toThrow(new UnmappableFieldError('ID', undefined));
    expect(() => map({ ID: 'a', K: '1,9' })).toThrow(new UnmappableFieldError('K', '9'));
  });
});
