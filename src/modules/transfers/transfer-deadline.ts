import type { LocalDate } from '../../domain/types.ts';
import type { WorkingDayCalendar } from '../../domain/working-days.ts';
import { isAwaitingAnswer, type TransferStatus } from './transfer-states.ts';

/** The receiver answers a collaboration request within 5 working days, extendable once by 5 (瑞安 plan). */
export const ANSWER_WORKING_DAYS = 5;
export const EXTENSION_WORKING_DAYS = 5;

/** The last day the receiver may accept or return the clue. */
export function answerDueOn(calendar: WorkingDayCalendar, receivedOn: LocalDate, extended: boolean): LocalDate {
  return calendar.addWorkingDays(receivedOn, ANSWER_WORKING_DAYS + (extended ? EXTENSION_WORKING_DAYS : 0));
}

/** Unanswered after its due day. */
export function isOverdue(transfer: { status: TransferStatus; answerDueOn: LocalDate }, today: LocalDate): boolean {
  return isAwaitingAnswer(transfer.status) && today > transfer.answerDueOn;
}

/** Answered, but after its due day. */
export function wasAnsweredLate(transfer: { answeredOn: LocalDate | null; answerDueOn: LocalDate }): boolean {
  return transfer.answeredOn !== null && transfer.answeredOn > transfer.answerDueOn;
}
