import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { loadWorkingDayCalendar, workingDayCalendarFrom } from '../../src/platform/holiday-calendar-file.ts';
import {
  registerHolidayCalendarMetrics,
  warnIfCalendarEndsSoon,
} from '../../src/platform/holiday-calendar-coverage.ts';

/** A logger that keeps what it was told. */
function recordingLogger() {
  const lines: Array<{ fields: unknown; message: string }> = [];
  const warn = (fields: unknown, message?: string): void => void lines.push({ fields, message: message ?? '' });
  return { lines, warn };
}

describe('the warning at start about the end of the holiday calendar', () => {
  const calendar = loadWorkingDayCalendar();

  it('is given when the calendar ends within 60 days', () => {
    const logger = recordingLogger();
    expect(warnIfCalendarEndsSoon(calendar, '2026-11-30', logger)).toBe(true);
    expect(logger.lines[0]?.message).toMatch(/ends 2026-12-31 \(31 days from today\)/);
  });

  it('is given when the calendar has already ended', () => {
    const logger = recordingLogger();
    expect(warnIfCalendarEndsSoon(calendar, '2027-03-01', logger)).toBe(true);
    expect(logger.lines[0]?.fields).toEqual({ lastCoveredDate: '2026-12-31', daysLeft: -60 });
  });

  it('is not given with more than 60 days of calendar left', () => {
    const logger = recordingLogger();
    expect(warnIfCalendarEndsSoon(calendar, '2026-10-31', logger)).toBe(false);
    expect(logger.lines).toEqual([]);
  });

  it('is given for an empty calendar', () => {
    const logger = recordingLogger();
    expect(warnIfCalendarEndsSoon(workingDayCalendarFrom({ years: {} }), '2026-01-01', logger)).toBe(true);
    expect(logger.lines[0]?.message).toMatch(/empty/);
  });
});

describe('the last covered day on /metrics', () => {
  it("is a gauge of that day's start, labelled with the date", async () => {
    const registry = new Registry();
    registerHolidayCalendarMetrics(registry, loadWorkingDayCalendar());
    const text = await registry.metrics();
    expect(text).toContain(
      `gateway_holiday_calendar_last_covered_day_timestamp_seconds{date="2026-12-31"} ${Date.parse('2026-12-31T00:00:00+08:00') / 1000}`,
    );
  });
});
