import type { FeedPage, Page } from '../../domain/feeds.ts';
import type {
  Inspection,
  InspectionKind,
  InspectionOutcome,
  InspectionStatus,
  Rectification,
  RectificationStatus,
  SubjectReference,
} from '../../domain/types.ts';
import { isRecord } from '../http/envelope.ts';
import type { EnvelopeResult } from '../http/envelope.ts';
import {
  UnmappableFieldError,
  codeTable,
  dateFromCompact,
  instantFromCompact,
  nullable,
  nullableText,
  objectPayload,
  text,
  textList,
} from '../mapping/index.ts';
import type { PageRequest } from '../paging.ts';

/** The supervision system (互联网+监管): snake_case, YYYYMMDD dates, Chinese labels. */

export interface RawRectification {
  order_no: string;
  deadline: string;
  status: string;
}

export interface RawInspection {
  inspection_id: string;
  task_id: string;
  subject_code: string;
  subject_code_type: string;
  subject_name: string;
  permit_no: string | null;
  inspection_type: string;
  inspect_date: string;
  lead_dept: string;
  depts: string[];
  region_code: string;
  result: string;
  status: string;
  findings: string | null;
  rectification: RawRectification | null;
  updated_at: string;
}

export interface RawRows<T> {
  total: number;
  rows: T[];
}

export interface RawChanges<T> {
  rows: T[];
  next_cursor: string;
  has_more: boolean;
}

export type InspectionBatchField = 'inspection_id' | 'subject_code' | 'permit_no';

/** `{ success: true, result }` or `{ success: false, error_msg }`. */
export function openSupervisionEnvelope(body: unknown): EnvelopeResult {
  if (!isRecord(body) || typeof body.success !== 'boolean') return { ok: false, message: 'not a supervision envelope' };
  if (!body.success) return { ok: false, message: String(body.error_msg) };
  return { ok: true, data: body.result };
}

const inspectionKind = codeTable<string, InspectionKind>('inspection_type', {
  双随机: 'RANDOM',
  重点检查: 'KEY',
  信用分级: 'CREDIT_GRADED',
  投诉举报: 'COMPLAINT',
  综合查一次: 'JOINT',
  承诺核查: 'COMMITMENT_VERIFICATION',
});

const inspectionOutcome = codeTable<string, InspectionOutcome>('result', {
  未发现问题: 'NO_PROBLEM',
  发现问题: 'PROBLEM_FOUND',
  责令整改: 'RECTIFICATION_ORDERED',
  发现违法: 'VIOLATION_FOUND',
});

const inspectionStatus = codeTable<string, InspectionStatus>('status', {
  待检查: 'PLANNED',
  已检查: 'INSPECTED',
  已办结: 'CLOSED',
});

const rectificationStatus = codeTable<string, RectificationStatus>('rectification.status', {
  整改中: 'IN_PROGRESS',
  已整改: 'RECTIFIED',
  逾期未整改: 'OVERDUE',
});

/** Older records name the subject by its 15-digit registration number (REGNO). */
export function toSubjectReference(code: unknown, codeType: unknown): SubjectReference {
  const value = text('subject_code', code);
  if (codeType === 'USCC') return { kind: 'USCC', value };
  if (codeType === 'REGNO') return { kind: 'LEGACY_REG_NO', value };
  throw new UnmappableFieldError('subject_code_type', codeType);
}

function toRectification(raw: unknown): Rectification {
  if (!isRecord(raw)) throw new UnmappableFieldError('rectification', raw);
  return {
    orderNo: text('rectification.order_no', raw.order_no),
    deadline: dateFromCompact('rectification.deadline', raw.deadline),
    status: rectificationStatus(raw.status),
  };
}

export function toInspection(raw: RawInspection): Inspection {
  return {
    id: text('inspection_id', raw.inspection_id),
    taskId: text('task_id', raw.task_id),
    subject: toSubjectReference(raw.subject_code, raw.subject_code_type),
    subjectName: text('subject_name', raw.subject_name),
    permitNo: nullableText('permit_no', raw.permit_no),
    kind: inspectionKind(raw.inspection_type),
    inspectedOn: dateFromCompact('inspect_date', raw.inspect_date),
    leadAuthorityCode: text('lead_dept', raw.lead_dept),
    authorityCodes: textList('depts', raw.depts),
    townshipCode: text('region_code', raw.region_code),
    outcome: inspectionOutcome(raw.result),
    status: inspectionStatus(raw.status),
    // A planned inspection has no findings yet; the domain keeps that as an empty text.
    findings: nullableText('findings', raw.findings) ?? '',
    rectification: nullable(raw.rectification, toRectification),
    updatedAt: instantFromCompact('updated_at', raw.updated_at),
  };
}

export function parseSupervisionRows<T>(data: unknown): RawRows<T> {
  return objectPayload<RawRows<T>>({ total: 'number', rows: 'array' })(data);
}

export function parseSupervisionChanges<T>(data: unknown): RawChanges<T> {
  return objectPayload<RawChanges<T>>({ rows: 'array', next_cursor: 'string', has_more: 'boolean' })(data);
}

/** The system pages by offset and limit; the gateway by page number. */
export function supervisionListQuery(page: PageRequest): Record<string, number> {
  return { offset: (page.page - 1) * page.pageSize, limit: page.pageSize };
}

export function supervisionChangesQuery(
  cursor: string | null,
  limit: number,
): Record<string, string | number | undefined> {
  return { cursor: cursor ?? undefined, limit };
}

export function toPage<R, D>(raw: RawRows<R>, items: D[]): Page<D> {
  return { total: raw.total, items };
}

export function toFeedPage<R, D>(raw: RawChanges<R>, items: D[]): FeedPage<D> {
  return { items, nextCursor: raw.next_cursor, hasMore: raw.has_more };
}
