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

  it('accepts a leap day, nine fraction digits, and the first and last instants it can give back in China time', () => {
    for (const instant of [
      '2024-02-29T23:59:59+08:00',
      '2024-01-31T09:30:00.123456789+08:00',
      '0100-01-01T00:00:00+08:00',
      '9999-12-31T15:59:59.999Z',
    ]) {
      expect(DateTimeScalar.parseValue(instant)).toBe(instant);
    }
  });

  it.each([
    '2023-02-29T00:00:00+08:00',
    '2024-04-31T00:00:00+08:00',
    '2024-01-31T24:00:00+08:00',
    '2024-01-31T09:60:00+08:00',
    '2024-01-31T09:30:60+08:00',
    '2024-01-31T09:30:00+24:00',
    '9999-12-31T16:00:00Z',
    '0099-12-31T23:59:59+08:00',
  ])('refuses %s, which names no instant it could store and give back', (value) => {
    expect(() => DateTimeScalar.parseValue(value)).toThrow(
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }),
    );
  });

  it('only ever serialises China time', () => {
    expect(DateTimeScalar.serialize('2024-01-31T09:30:00+08:00')).toBe('2024-01-31T09:30:00+08:00');
    expect(() => DateTimeScalar.serialize('2024-01-31T01:30:00Z')).toThrow();
  });
});
