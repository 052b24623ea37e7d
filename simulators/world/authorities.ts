import type { Authority } from '../../src/domain/types.ts';
import { COUNTY_CODE, TOWNSHIPS } from './places.ts';

export const APPROVAL_BUREAU = '330381-XZSPJ';
export const COUNTY_ENFORCEMENT_BUREAU = '330381-ZHZFJ';
export const CREDIT_CENTRE = '330381-XYZX';
export const ANALYSIS_OFFICE = '330381-SJFX';

/** The supervision domains; each is governed by one industry department. */
export type SupervisionDomain = '市场监管' | '安全生产' | '生态环境' | '城市管理' | '卫生健康';

export const DOMAINS: readonly SupervisionDomain[] = ['市场监管', '安全生产', '生态环境', '城市管理', '卫生健康'];

export const DOMAIN_WEIGHTS: readonly (readonly [SupervisionDomain, number])[] = [
  ['市场监管', 40],
  ['安全生产', 20],
  ['生态环境', 15],
  ['城市管理', 15],
  ['卫生健康', 10],
];

export const DOMAIN_DEPARTMENT: Readonly<Record<SupervisionDomain, string>> = {
  市场监管: '330381-SCJGJ',
  安全生产: '330381-YJGLJ',
  生态环境: '330381-STHJJ',
  城市管理: '330381-ZJJ',
  卫生健康: '330381-WJJ',
};

export function townshipTeamCode(townshipCode: string): string {
  return `${townshipCode}-ZFD`;
}

function buildAuthorities(): Authority[] {
  return [
    { code: APPROVAL_BUREAU, name: '瑞安市行政审批局', kind: 'APPROVAL_BUREAU', jurisdictionCode: COUNTY_CODE },
    { code: '330381-SCJGJ', name: '瑞安市市场监督管理局', kind: 'INDUSTRY_DEPARTMENT', jurisdictionCode: COUNTY_CODE },
    { code: '330381-YJGLJ', name: '瑞安市应急管理局', kind: 'INDUSTRY_DEPARTMENT', jurisdictionCode: COUNTY_CODE },
    {
      code: '330381-STHJJ',
      name: '温州市生态环境局瑞安分局',
      kind: 'INDUSTRY_DEPARTMENT',
      jurisdictionCode: COUNTY_CODE,
    },
    { code: '330381-ZJJ', name: '瑞安市住房和城乡建设局', kind: 'INDUSTRY_DEPARTMENT', jurisdictionCode: COUNTY_CODE },
    { code: '330381-WJJ', name: '瑞安市卫生健康局', kind: 'INDUSTRY_DEPARTMENT', jurisdictionCode: COUNTY_CODE },
    {
      code: COUNTY_ENFORCEMENT_BUREAU,
      name: '瑞安市综合行政执法局',
      kind: 'COUNTY_ENFORCEMENT_BUREAU',
      jurisdictionCode: COUNTY_CODE,
    },
    ...TOWNSHIPS.map((t): Authority => ({
      code: townshipTeamCode(t.code),
      name: `瑞安市${t.name}综合行政执法队`,
      kind: 'TOWNSHIP_ENFORCEMENT_TEAM',
      jurisdictionCode: t.code,
    })),
    { code: CREDIT_CENTRE, name: '瑞安市信用中心', kind: 'CREDIT_CENTRE', jurisdictionCode: COUNTY_CODE },
    { code: ANALYSIS_OFFICE, name: '瑞安市大数据分析办', kind: 'ANALYSIS_OFFICE', jurisdictionCode: COUNTY_CODE },
  ];
}

export const AUTHORITIES: readonly Authority[] = buildAuthorities();
const NAMES: ReadonlyMap<string, string> = new Map(AUTHORITIES.map((a) => [a.code, a.name]));

export function authorityName(code: string): string {
  return NAMES.get(code) ?? code;
}

const DEPARTMENT_DOMAINS: ReadonlyMap<string, SupervisionDomain> = new Map(
  DOMAINS.map((domain) => [DOMAIN_DEPARTMENT[domain], domain]),
);

export function departmentDomain(code: string): SupervisionDomain {
  return DEPARTMENT_DOMAINS.get(code) ?? '市场监管';
}
