import { describe, expect, it } from 'vitest';
import { DateScalar, DateTimeScalar } from '../../src/scalars/time-scalars.ts';

describe('the Date scalar', () => {
  it('accepts calendar dates, leap days included', () => {
    expect(DateScalar.parseValue('2024-02-29')).toBe('2024-02-29');
  });

  it.each(['2023-02-29', '2024-13-01', '2024-1-5', '20240105', '2024/01/05'])(
    'refuses %s with BAD_USER_INPUT',
    (value) => {
      expect(() => DateScalar.parseValue(value)).toThrow(
        expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }),
      );
    },
  );
});

describe('the DateTime scalar', () => {
  it('accepts an instant with a zone offset or Z', () => {
    expect(DateTimeScalar.parseValue('2024-01-31T09:30:00+08:00')).toBe('2024-01-31T09:30:00+08:00');
    expect(DateTimeScalar.parseValue('2024-01-31T01:30:00Z')).toBe('2024-01-31T01:30:00Z');
  });

  it.each(['2024-01-31T09:30:00', 'Wed, 31 Jan 2024 09:30:00 z', '2024-01-31Z', 'zz'])(
    'refuses %s, which has no ISO zone offset',
    (value) => {
      expect(() => DateTimeScalar.parseValue(value)).toThrow(/ISO-8601 with a zone offset/);
    },
  );

  it('only ever serialises China time', () => {
    expect(DateTimeScalar.serialize('2024-01-31T09:30:00+08:00')).toBe('2024-01-31T09:30:00+08:00');
    expect(() => DateTimeScalar.serialize('2024-01-31T01:30:00Z')).toThrow();
  });
});
