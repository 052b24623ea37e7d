import { describe, expect, it } from 'vitest';
import { loadWorkingDayCalendar } from '../../src/platform/holiday-calendar-file.ts';
import { answerDueOn, isOverdue, wasAnsweredLate } from '../../src/modules/transfers/transfer-deadline.ts';
import {
  allowedSteps,
  isLegalStep,
  missingDetails,
  TRANSFER_STATUSES,
} from '../../src/modules/transfers/transfer-states.ts';

const calendar = loadWorkingDayCalendar();

describe('the transfer state machine', () => {
  it.each([
    ['SENT', ['RECEIVED']],
    ['RECEIVED', ['ACCEPTED', 'RETURNED']],
    ['ACCEPTED', ['CASE_FILED', 'NOT_FILED']],
    ['CASE_FILED', ['DECIDED', 'CLOSED']],
    ['DECIDED', ['EXECUTED', 'CLOSED']],
    ['EXECUTED', ['CLOSED']],
    ['RETURNED', []],
    ['NOT_FILED', []],
    ['CLOSED', []],
  ] as const)('allows from %s exactly %j', (from, steps) => {
    expect(allowedSteps(from)).toEqual(steps);
  });

  it('never moves back to an earlier state', () => {
    const order = TRANSFER_STATUSES;
    for (const from of order)
      for (const to of allowedSteps(from))
        expect(order.indexOf(to), `${from}→${to}`).toBeGreaterThan(order.indexOf(from));
  });

  it('refuses skipping the answer', () => {
    expect(isLegalStep('SENT', 'ACCEPTED')).toBe(false);
    expect(isLegalStep('RECEIVED', 'CASE_FILED')).toBe(false);
  });

  it('asks a return or a decision not to file for its reason, a filed case for its number, a decision for its number', () => {
    const none = { reason: null, caseNo: null, decisionNo: null };
    expect(missingDetails('RETURNED', none)).toEqual(['reason']);
    expect(missingDetails('NOT_FILED', none)).toEqual(['reason']);
    expect(missingDetails('CASE_FILED', none)).toEqual(['caseNo']);
    expect(missingDetails('DECIDED', none)).toEqual(['decisionNo']);
    expect(missingDetails('EXECUTED', none)).toEqual([]);
  });
});

describe('the answer deadline', () => {
  it('is five working days after a Monday receipt: the Monday after', () => {
    expect(answerDueOn(calendar, '2025-03-10', false)).toBe('2025-03-17');
  });

  it('skips the weekend after a Thursday receipt', () => {
    expect(answerDueOn(calendar, '2025-03-13', false)).toBe('2025-03-20');
  });

  it('skips the Spring Festival break and counts its 调休 Saturday', () => {
    // received Fri 24 Jan 2025: Sun 26 (调休, 1), Mon 27 (2), break 28 Jan–4 Feb, Wed 5 (3), Thu 6 (4), Fri 7 (5)
    expect(answerDueOn(calendar, '2025-01-24', false)).toBe('2025-02-07');
    // extended: Sat 8 (调休, 6), Mon 10 … Thu 13 (10)
    expect(answerDueOn(calendar, '2025-01-24', true)).toBe('2025-02-13');
  });

  it('runs over the National Day and Mid-Autumn break of 2025', () => {
    // received Fri 26 Sep 2025: Sun 28 (调休, 1), Mon 29 (2), Tue 30 (3), break 1–8 Oct, Thu 9 (4), Fri 10 (5)
    expect(answerDueOn(calendar, '2025-09-26', false)).toBe('2025-10-10');
    // extended: Sat 11 (调休, 6), Mon 13 … Thu 16 (10)
    expect(answerDueOn(calendar, '2025-09-26', true)).toBe('2025-10-16');
  });

  it('makes an unanswered transfer overdue the day after its due day, not on it', () => {
    expect(isOverdue({ status: 'RECEIVED', answerDueOn: '2025-03-17' }, '2025-03-17')).toBe(false);
    expect(isOverdue({ status: 'RECEIVED', answerDueOn: '2025-03-17' }, '2025-03-18')).toBe(true);
    expect(isOverdue({ status: 'SENT', answerDueOn: '2025-03-17' }, '2025-03-18')).toBe(true);
  });

  it('stops running once the receiver accepts or returns the clue', () => {
    expect(isOverdue({ status: 'ACCEPTED', answerDueOn: '2025-03-17' }, '2025-04-01')).toBe(false);
    expect(isOverdue({ status: 'RETURNED', answerDueOn: '2025-03-17' }, '2025-04-01')).toBe(false);
    expect(wasAnsweredLate({ answeredOn: '2025-03-18', answerDueOn: '2025-03-17' })).toBe(true);
    expect(wasAnsweredLate({ answeredOn: '2025-03-17', answerDueOn: '2025-03-17' })).toBe(false);
  });
});
