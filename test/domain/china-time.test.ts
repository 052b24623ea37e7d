import { describe, expect, it } from 'vitest';
import { chinaToday, compareInstants, startOfChinaDay } from '../../src/domain/china-time.ts';

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
});
