import type {
  InspectionKind,
  InspectionOutcome,
  InspectionStatus,
  RectificationStatus,
} from '../../src/domain/types.ts';
import type { Rendered } from '../server/resource-store.ts';
import { compactDate, compactStamp } from '../world/china-time.ts';
import type { WorldInspection } from '../world/model.ts';

/** The supervision system: snake_case, YYYYMMDD dates, YYYYMMDDHHmmss stamps, Chinese labels. */
const TYPE: Readonly<Record<InspectionKind, string>> = {
  RANDOM: '双随机',
  KEY: '重点检查',
  CREDIT_GRADED: '信用分级',
  COMPLAINT: '投诉举报',
  JOINT: '综合查一次',
  COMMITMENT_VERIFICATION: '承诺核查',
};
const RESULT: Readonly<Record<InspectionOutcome, string>> = {
  NO_PROBLEM: '未发现问题',
  PROBLEM_FOUND: '发现问题',
  RECTIFICATION_ORDERED: '责令整改',
  VIOLATION_FOUND: '发现违法',
};
const STATUS: Readonly<Record<InspectionStatus, string>> = { PLANNED: '待检查', INSPECTED: '已检查', CLOSED: '已办结' };
const RECTIFICATION: Readonly<Record<RectificationStatus, string>> = {
  IN_PROGRESS: '整改中',
  RECTIFIED: '已整改',
  OVERDUE: '逾期未整改',
};

export function renderInspection(i: WorldInspection): Rendered {
  return {
    inspection_id: i.id,
    task_id: i.taskId,
    subject_code: i.subjectCode,
    subject_code_type: i.subjectCodeKind === 'USCC' ? 'USCC' : 'REGNO',
    subject_name: i.subjectName,
    permit_no: i.permitNo,
    inspection_type: TYPE[i.kind],
    inspect_date: compactDate(i.inspectedOn),
    lead_dept: i.leadAuthorityCode,
    depts: i.authorityCodes,
    region_code: i.townshipCode,
    result: RESULT[i.outcome],
    status: STATUS[i.status],
    findings: i.findings,
    rectification: i.rectification && {
      order_no: i.rectification.orderNo,
      deadline: compactDate(i.rectification.deadline),
      status: RECTIFICATION[i.rectification.status],
    },
    updated_at: compactStamp(i.updatedAt),
  };
}
