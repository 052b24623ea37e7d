/** The supervision platform's records as docs/agency-apis.md §2 writes them (mapped by profiles/supervision.yaml). */

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

export function rawRectification(overrides: Partial<RawRectification> = {}): RawRectification {
  return { order_no: 'ZG2023000012', deadline: '20230612', status: '整改中', ...overrides };
}

/** An inspection as the supervision system sends it; override what a test is about. */
export function rawInspection(overrides: Partial<RawInspection> = {}): RawInspection {
  return {
    inspection_id: 'JC2023000123',
    task_id: 'RW2023000045',
    subject_code: '91330381MA2C8Y6K1X',
    subject_code_type: 'USCC',
    subject_name: '瑞安市安阳机械有限公司',
    permit_no: '浙审330381-2023-000123',
    inspection_type: '双随机',
    inspect_date: '20230512',
    lead_dept: '330381-SCJGJ',
    depts: ['330381-SCJGJ'],
    region_code: '330381001',
    result: '未发现问题',
    status: '已检查',
    findings: '现场检查未发现问题',
    rectification: null,
    updated_at: '20230512103000',
    ...overrides,
  };
}
