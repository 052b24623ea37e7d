import { describe, expect, it } from 'vitest';
import {
  chinaToday,
  compareInstants,
  readChinaDate,
  readChinaInstant,
  startOfChinaDay,
} from '../../src/domain/china-time.ts';

describe('China time', () => {
  it('puts half a second past a moment after that moment, which collation gets wrong', () => {
    expect('2023-05-12T09:30:00.500+08:00'.localeCompare('2023-05-12T09:30:00+08:00')).toBeLessThan(0);
    expect(compareInstants('2023-05-12T09:30:00.500+08:00', '2023-05-12T09:30:00+08:00')).toBe(500);
    expect(compareInstants('2023-05-12T09:30:00+08:00', '2023-05-12T01:30:00Z')).toBe(0);
  });

  it('orders instants by the moment they name, milliseconds included', () => {
    const instants = ['2023-05-12T09:30:00.500+08:00', '2023-05-12T09:30:00+08:00', '2023-05-12T09:29:59.999+08:00'];
    expect([...instants].sort(compareInstants)).toEqual([
      '2023-05-12T09:29:59.999+08:00',
      '2023-05-12T09:30:00+08:00',
      '2023-05-12T09:30:00.500+08:00',
    ]);
  });

  it('places a civil date at midnight China time', () => {
    expect(startOfChinaDay('2024-02-06')).toBe('2024-02-06T00:00:00+08:00');
  });

  it('knows that 20:00 UTC is already the next day in China', () => {
    expect(chinaToday(new Date('2024-02-05T20:00:00Z'))).toBe('2024-02-06');
    expect(chinaToday(new Date('2024-02-05T15:59:59Z'))).toBe('2024-02-05');
  });

  it('reads each agency spelling of an instant as China time, and an offset as given', () => {
    expect(readChinaInstant(1683858600123, 'epochMs')).toBe('2023-05-12T10:30:00.123+08:00');
    expect(readChinaInstant('2023-05-12T01:30:00Z', 'ISO')).toBe('2023-05-12T09:30:00+08:00');
    expect(readChinaInstant('20230512103000', 'YYYYMMDDHHmmss')).toBe('2023-05-12T10:30:00+08:00');
    expect(readChinaInstant('2024/01/15 10:00:00', 'YYYY/MM/DD HH:mm:ss')).toBe('2024-01-15T10:00:00+08:00');
  });

  it('reads the China date of an instant, not the UTC one, and dates written as dates', () => {
    expect(readChinaDate(1683820800000, 'epochMs')).toBe('2023-05-12');
    expect(readChinaDate('2023-05-11T16:00:00Z', 'ISO')).toBe('2023-05-12');
    expect(readChinaDate('20230512', 'YYYYMMDD')).toBe('2023-05-12');
    expect(readChinaDate('2024/01/15', 'YYYY/MM/DD')).toBe('2024-01-15');
  });

  it('reads nothing from a time that only looks right, another spelling or another type', () => {
    expect(readChinaDate('20230230', 'YYYYMMDD')).toBeNull();
    expect(readChinaInstant('20230512250000', 'YYYYMMDDHHmmss')).toBeNull();
    expect(readChinaDate('2023-05-12', 'YYYY/MM/DD')).toBeNull();
    expect(readChinaInstant('2023-05-12 09:30:00', 'ISO')).toBeNull();
    expect(readChinaInstant('1683858600000', 'epochMs')).toBeNull();
    expect(readChinaDate(20230512, 'YYYYMMDD')).toBeNull();
  });
});
