import { chinaToday } from '../../domain/china-time.ts';
import type { LocalDate } from '../../domain/types.ts';
import type { WorkingDayCalendar } from '../../domain/working-days.ts';
import type { SharingRequestRecord } from './sharing-request-record.ts';

/**
 * Working days the owning authority has to answer a request for conditionally shared data, by
 * default. The 政务数据共享条例 (国务院令第809号, in force 2025-08-01) sets, in its chapter on
 * sharing and use (共享使用), a request-and-reply flow for conditional data with a reply time
 * limit. 10 working days is the limit 国发〔2016〕51号 (政务信息资源共享管理暂行办法) set for the
 * same reply, which local measures kept (Shaanxi 2024: 5 working days when the data is already on
 * the platform, 10 when it must first be published). The regulation's article text could not be
 * retrieved while this was written: check its number and figure against the published text, and
 * set SHARING_REQUEST_ANSWER_WORKING_DAYS where it or a local rule is stricter.
 */
export const DEFAULT_ANSWER_WORKING_DAYS = 10;

/** The day the answer is due: `workingDays` working days after the day of submission (China time). */
export function sharingAnswerDueOn(calendar: WorkingDayCalendar, submittedAt: Date, workingDays: number): LocalDate {
  return calendar.addWorkingDays(chinaToday(submittedAt), workingDays);
}

/** Unanswered after its due day. */
export function isOverdue(request: Pick<SharingRequestRecord, 'status' | 'answerDueOn'>, today: LocalDate): boolean {
  return request.status === 'PENDING' && today > request.answerDueOn;
}

/** Answered, but after its due day. */
export function wasAnsweredLate(request: Pick<SharingRequestRecord, 'answeredAt' | 'answerDueOn'>): boolean {
  return request.answeredAt !== null && chinaToday(new Date(request.answeredAt)) > request.answerDueOn;
}
