import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BUNDLED_HOLIDAY_CALENDAR_PATH,
  loadWorkingDayCalendar,
  workingDayCalendarFrom,
} from '../../src/platform/holiday-calendar-file.ts';

const calendar = loadWorkingDayCalendar();

describe('the bundled working-day calendar', () => {
  it('covers every year of the data, 2016 to 2026, each from its State Council notice', () => {
    expect(calendar.coveredYears).toEqual([2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]);
    const data = JSON.parse(readFileSync(BUNDLED_HOLIDAY_CALENDAR_PATH, 'utf8')) as {
      years: Record<string, { notice?: string }>;
    };
    for (const [year, entry] of Object.entries(data.years)) {
      expect(entry.notice, year).toMatch(
        new RegExp(`国务院办公厅关于${year}年部分节假日安排的通知（国办发明电〔${Number(year) - 1}〕\\d+号）`),
      );
    }
    expect(calendar.lastCoveredDate).toBe('2026-12-31');
  });

  it("counts each year's working days as its notice arranges them", () => {
    // Weekdays of the year less the statutory holidays (11 to 2024, 13 from 2025); 2020 two
    // fewer, the Spring Festival break having been extended to 2 February (国办发明电〔2020〕1号).
    const expected: Record<number, number> = {
      2016: 250,
      2017: 249,
      2018: 250,
      2019: 250,
      2020: 249,
      2021: 250,
      2022: 249,
      2023: 249,
      2024: 251,
      2025: 248,
      2026: 248,
    };
    for (const [year, count] of Object.entries(expected)) {
      expect(calendar.workingDaysBetween(`${Number(year) - 1}-12-31`, `${year}-12-31`), year).toBe(count);
    }
  });

  it('knows the 调休 Sunday worked before National Day 2025', () => {
    expect(calendar.isWorkingDay('2025-09-28')).toBe(true);
    // Fri 26 Sep 2025 → Sun 28 worked (1), Mon 29 (2), Tue 30 (3), break 1–8 Oct, Thu 9 (4), Fri 10 (5)
    expect(calendar.addWorkingDays('2025-09-26', 5)).toBe('2025-10-10');
    expect(calendar.covers('2025-09-26', '2025-10-10')).toBe(true);
  });

  it('follows the notices that changed a year after it was announced (Labour Day 2019, Spring Festival 2020)', () => {
    // 国办发明电〔2019〕2号: 1–4 May off, Sundays 28 April and 5 May worked. A clue received on
    // Sunday 28 April 2019 (seed 42's XS2019000020, answered Saturday 4 May) was due Tuesday 7 May.
    expect(calendar.addWorkingDays('2019-04-28', 5)).toBe('2019-05-07');
    expect(calendar.isWorkingDay('2019-05-05')).toBe(true);
    // 国办发明电〔2020〕1号: the break ran to Sunday 2 February; Saturday 1 February was no longer worked.
    expect(calendar.isWorkingDay('2020-01-31')).toBe(false);
    expect(calendar.isWorkingDay('2020-02-01')).toBe(false);
    expect(calendar.addWorkingDays('2020-01-23', 1)).toBe('2020-02-03');
  });

  it('counts 1 January 2018 as 元旦, the first day after the 2017 data', () => {
    expect(calendar.isWorkingDay('2018-01-01')).toBe(false);
    expect(calendar.holidayOn('2018-01-01')).toBe('元旦');
    // Fri 29 Dec 2017 → break 30 Dec–1 Jan, Tue 2 (1) … Mon 8 (5)
    expect(calendar.addWorkingDays('2017-12-29', 5)).toBe('2018-01-08');
  });

  it('treats ordinary weekdays as working days and ordinary weekends as days off', () => {
    expect(calendar.isWorkingDay('2024-03-13')).toBe(true); // Wednesday
    expect(calendar.isWorkingDay('2024-03-16')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2024-03-17')).toBe(false); // Sunday
  });

  it('treats every day of the Spring Festival break as a day off, weekdays included', () => {
    for (const day of ['2024-02-12', '2024-02-13', '2024-02-14', '2024-02-15', '2024-02-16']) {
      expect(calendar.isWorkingDay(day), day).toBe(false);
      expect(calendar.holidayOn(day), day).toBe('春节');
    }
    expect(calendar.isWorkingDay('2025-01-28')).toBe(false); // 除夕 2025, a Tuesday
    expect(calendar.isWorkingDay('2026-02-23')).toBe(false); // 正月初七 2026, a Monday
  });

  it('treats the weekend days worked to make up for a holiday (调休) as working days', () => {
    expect(calendar.isWorkingDay('2024-02-04')).toBe(true); // Sunday before Spring Festival 2024
    expect(calendar.isWorkingDay('2024-02-18')).toBe(true); // Sunday after it
    expect(calendar.isWorkingDay('2024-05-11')).toBe(true); // Saturday after Labour Day 2024
    expect(calendar.isWorkingDay('2025-02-08')).toBe(true); // Saturday after Spring Festival 2025
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true); // Saturday before Spring Festival 2026
    expect(calendar.holidayOn('2024-02-04')).toBeNull();
  });

  it('counts five working days from a Friday to the next Friday', () => {
    expect(calendar.addWorkingDays('2024-03-15', 5)).toBe('2024-03-22');
  });

  it('counts a clue received on a Saturday from the following Monday', () => {
    expect(calendar.addWorkingDays('2024-03-16', 1)).toBe('2024-03-18');
    expect(calendar.addWorkingDays('2024-03-16', 5)).toBe('2024-03-22');
  });

  it('skips the whole Spring Festival break and counts the 调休 Sunday after it', () => {
    // Thu 8 Feb 2024 → Fri 9 (1), break 10–17, Sun 18 worked (2), Mon 19 (3), Tue 20 (4), Wed 21 (5)
    expect(calendar.addWorkingDays('2024-02-08', 5)).toBe('2024-02-21');
  });

  it('counts the 调休 Sunday before the Spring Festival break', () => {
    // Fri 2 Feb 2024 → Sun 4 worked (1), Mon 5 (2), Tue 6 (3), Wed 7 (4), Thu 8 (5)
    expect(calendar.addWorkingDays('2024-02-02', 5)).toBe('2024-02-08');
  });

  it('extends a deadline across the National Day break by five more working days', () => {
    // received Wed 25 Sep 2024: Thu 26, Fri 27, Sun 29 (调休), Mon 30, break 1–7 Oct, Tue 8 → due Tue 8 Oct
    const due = calendar.addWorkingDays('2024-09-25', 5);
    expect(due).toBe('2024-10-08');
    // extended by 5: Wed 9, Thu 10, Fri 11, Sat 12 (调休), Mon 14
    expect(calendar.addWorkingDays(due, 5)).toBe('2024-10-14');
  });

  it('counts backwards with a negative number of days', () => {
    expect(calendar.addWorkingDays('2024-02-21', -5)).toBe('2024-02-08');
    expect(calendar.addWorkingDays('2024-02-21', 0)).toBe('2024-02-21');
  });

  it('counts the working days between two dates as the inverse of adding them', () => {
    expect(calendar.workingDaysBetween('2024-02-08', '2024-02-21')).toBe(5);
    expect(calendar.workingDaysBetween('2024-02-21', '2024-02-08')).toBe(-5);
    expect(calendar.workingDaysBetween('2024-02-10', '2024-02-17')).toBe(0);
    for (const start of ['2024-12-27', '2025-01-24', '2025-09-26', '2026-02-12', '2026-09-30']) {
      for (const n of [1, 5, 10, 23])
        expect(calendar.workingDaysBetween(start, calendar.addWorkingDays(start, n)), `${start}+${n}`).toBe(n);
    }
  });

  it('counts the working days of each year as weekdays less the statutory holidays (11 days to 2024, 13 from 2025)', () => {
    expect(calendar.workingDaysBetween('2022-12-31', '2023-12-31')).toBe(260 - 11);
    expect(calendar.workingDaysBetween('2023-12-31', '2024-12-31')).toBe(262 - 11);
    expect(calendar.workingDaysBetween('2024-12-31', '2025-12-31')).toBe(261 - 13);
    expect(calendar.workingDaysBetween('2025-12-31', '2026-12-31')).toBe(261 - 13);
  });

  it('keeps the holidays the law fixes on the calendar in a year it does not cover, and says the year is not covered', () => {
    expect(calendar.coveredYears).not.toContain(2030);
    expect(calendar.isWorkingDay('2030-01-01')).toBe(false); // a Tuesday: 元旦 whatever the notice says
    expect(calendar.isWorkingDay('2030-01-02')).toBe(true);
    expect(calendar.covers('2030-01-02')).toBe(false);
  });

  it('puts a deadline from 31 December 2026 on 8 January 2027 or later and reports 2027 as not covered', () => {
    const reported: unknown[] = [];
    const watched = loadWorkingDayCalendar();
    watched.onUncovered((span) => reported.push(span));
    const due = watched.addWorkingDays('2026-12-31', 5);
    expect(due >= '2027-01-08').toBe(true); // 1 January is 元旦 in any year
    expect(watched.covers('2026-12-31', due)).toBe(false);
    expect(reported).toContainEqual({ from: '2026-12-31', to: due, lastCoveredDate: '2026-12-31' });
  });

  it('tells no listener about computations inside the covered years', () => {
    const reported: unknown[] = [];
    const watched = loadWorkingDayCalendar();
    watched.onUncovered((span) => reported.push(span));
    watched.addWorkingDays('2016-01-04', 300);
    watched.workingDaysBetween('2019-02-01', '2026-12-31');
    expect(reported).toEqual([]);
  });

  it('gives a running count whose differences are the working days between any two of its days, telling no listener', () => {
    const reported: unknown[] = [];
    const watched = loadWorkingDayCalendar();
    watched.onUncovered((span) => reported.push(span));
    const counts = watched.runningWorkingDays('2025-06-01', '2028-03-01');
    const dayOf = (index: number) =>
      new Date(Date.parse('2025-06-01T00:00:00Z') + index * 86_400_000).toISOString().slice(0, 10);
    expect(counts[0]).toBe(0);
    expect(reported).toEqual([]);
    for (let i = 0; i < 2_000; i++) {
      const a = (i * 37) % counts.length;
      const b = (i * 613 + 11) % counts.length;
      // workingDaysBetween gives -0 for no working day counted backwards; a sum does not tell them apart.
      expect(counts[b]! - counts[a]!).toBe(calendar.workingDaysBetween(dayOf(a), dayOf(b)) || 0);
    }
  });

  it("tells a request's view of the calendar, and no other request's, about the days beyond it", () => {
    const shared = loadWorkingDayCalendar();
    const first: unknown[] = [];
    const second: unknown[] = [];
    const firstView = shared.reportingTo((span) => first.push(span));
    shared.reportingTo((span) => second.push(span));
    const due = firstView.addWorkingDays('2026-12-31', 5);
    expect(due).toBe(shared.addWorkingDays('2026-12-31', 5));
    expect(firstView.workingDaysBetween('2026-12-31', due)).toBe(5);
    expect(first).toContainEqual({ from: '2026-12-31', to: due, lastCoveredDate: '2026-12-31' });
    expect(second).toEqual([]);
  });

  it('refuses something that is not a civil date', () => {
    expect(() => calendar.isWorkingDay('2024-02-30')).toThrow(/Not a civil date/);
    expect(() => calendar.addWorkingDays('20240201', 1)).toThrow(/Not a civil date/);
    expect(() => calendar.addWorkingDays('2024-02-01', 1.5)).toThrow(/whole number/);
  });
});

describe('a holiday calendar from another file', () => {
  it('is read from the path given, so a new year can be added without a release', () => {
    const dir = mkdtempSync(join(tmpdir(), 'holidays-'));
    const path = join(dir, 'holidays.json');
    writeFileSync(
      path,
      JSON.stringify({
        years: {
          '2031': {
            holidays: [{ name: '元旦', from: '2031-01-01', to: '2031-01-01' }],
            workdays: [{ date: '2031-01-04' }],
          },
        },
      }),
    );
    const updated = loadWorkingDayCalendar(path);
    expect(updated.isWorkingDay('2031-01-01')).toBe(false);
    expect(updated.isWorkingDay('2031-01-04')).toBe(true); // a Saturday made a working day
    expect(updated.coveredYears).toEqual([2031]);
  });

  it('is refused with every problem named when its data is malformed', () => {
    expect(() =>
      workingDayCalendarFrom({
        years: {
          '2031': { holidays: [{ name: '元旦', from: '2031-13-01', to: '2031-01-01' }], workdays: [{ date: 'soon' }] },
        },
      }),
    ).toThrow(/holidays\.0\.from[\s\S]*workdays\.0\.date/);
  });

  it('is refused when a day is both a holiday and a working day', () => {
    expect(() =>
      workingDayCalendarFrom({
        years: {
          '2031': {
            holidays: [{ name: '元旦', from: '2031-01-01', to: '2031-01-02' }],
            workdays: [{ date: '2031-01-02' }],
          },
        },
      }),
    ).toThrow(/2031-01-02 is listed both/);
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadWorkingDayCalendar('/nonexistent/holidays.json')).toThrow(/\/nonexistent\/holidays\.json/);
  });
});
