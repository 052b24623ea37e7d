import type { AuthorityKind } from '../domain/types.ts';
import type { Principal, Role } from './principal.ts';

/** A ready-made demo caller; its authority codes exist in the simulated world (simulators/world/authorities.ts). */
export interface DemoPreset {
  name: string;
  /** One line for `npm run token -- --list`. */
  description: string;
  subject: string;
  kind: Principal['kind'];
  authorityCode: string;
  authorityName: string;
  authorityKind: AuthorityKind;
  jurisdictionCode: string;
  roles: readonly Role[];
}

export const DEMO_PRESETS: readonly DemoPreset[] = [
  {
    name: 'permit-officer',
    description: 'a permit officer of the county approval bureau',
    subject: 'demo-permit-officer',
    kind: 'PERSON',
    authorityCode: '330381-XZSPJ',
    authorityName: '瑞安市行政审批局',
    authorityKind: 'APPROVAL_BUREAU',
    jurisdictionCode: '330381',
    roles: ['OFFICER'],
  },
  {
    name: 'township-officer',
    description: 'an officer of the Anyang street enforcement team (one township)',
    subject: 'demo-township-officer',
    kind: 'PERSON',
    authorityCode: '330381001-ZFD',
    authorityName: '瑞安市安阳街道综合行政执法队',
    authorityKind: 'TOWNSHIP_ENFORCEMENT_TEAM',
    jurisdictionCode: '330381001',
    roles: ['OFFICER'],
  },
  {
    name: 'county-enforcement',
    description: 'an officer of the county enforcement bureau',
    subject: 'demo-county-enforcement',
    kind: 'PERSON',
    authorityCode: '330381-ZHZFJ',
    authorityName: '瑞安市综合行政执法局',
    authorityKind: 'COUNTY_ENFORCEMENT_BUREAU',
    jurisdictionCode: '330381',
    roles: ['OFFICER'],
  },
  {
    name: 'industry-inspector',
    description: 'an inspector of the county market regulation bureau (an industry department that transfers clues)',
    subject: 'demo-industry-inspector',
    kind: 'PERSON',
    authorityCode: '330381-SCJGJ',
    authorityName: '瑞安市市场监督管理局',
    authorityKind: 'INDUSTRY_DEPARTMENT',
    jurisdictionCode: '330381',
    roles: ['OFFICER'],
  },
  {
    name: 'county-analyst',
    description: 'an analyst of the county big-data analysis office',
    subject: 'demo-county-analyst',
    kind: 'PERSON',
    authorityCode: '330381-SJFX',
    authorityName: '瑞安市大数据分析办',
    authorityKind: 'ANALYSIS_OFFICE',
    jurisdictionCode: '330381',
    roles: ['ANALYST'],
  },
  {
    name: 'credit-platform',
    description: "the county credit platform's system client (machine to machine)",
    subject: 'credit-platform',
    kind: 'SYSTEM',
    authorityCode: '330381-XYZX',
    authorityName: '瑞安市信用中心',
    authorityKind: 'CREDIT_CENTRE',
    jurisdictionCode: '330381',
    roles: ['SYSTEM'],
  },
  {
    // The simulated world has no audit office of its own; the analysis office hosts the auditor.
    name: 'auditor',
    description: 'an auditor who reads the access log',
    subject: 'demo-auditor',
    kind: 'PERSON',
    authorityCode: '330381-SJFX',
    authorityName: '瑞安市大数据分析办',
    authorityKind: 'ANALYSIS_OFFICE',
    jurisdictionCode: '330381',
    roles: ['AUDITOR'],
  },
  {
    name: 'admin',
    description: 'a gateway administrator who manages sharing grants',
    subject: 'demo-admin',
    kind: 'PERSON',
    authorityCode: '330381-SJFX',
    authorityName: '瑞安市大数据分析办',
    authorityKind: 'ANALYSIS_OFFICE',
    jurisdictionCode: '330381',
    roles: ['ADMIN'],
  },
  {
    name: 'approval-admin',
    description:
      "an administrator of the county approval bureau, who answers sharing requests for the approval system's data",
    subject: 'demo-approval-admin',
    kind: 'PERSON',
    authorityCode: '330381-XZSPJ',
    authorityName: '瑞安市行政审批局',
    authorityKind: 'APPROVAL_BUREAU',
    jurisdictionCode: '330381',
    roles: ['ADMIN'],
  },
];

export function findDemoPreset(name: string): DemoPreset | undefined {
  return DEMO_PRESETS.find((preset) => preset.name === name);
}
