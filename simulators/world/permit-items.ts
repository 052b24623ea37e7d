import type { SupervisionDomain } from './authorities.ts';

export interface PermitItem {
  code: string;
  name: string;
  domain: SupervisionDomain;
  /** Years of validity; null for permits that never expire. */
  validityYears: number | null;
}

const ITEMS: readonly (readonly [string, SupervisionDomain, number | null])[] = [
  ['食品经营许可', '市场监管', 5],
  ['食品生产许可', '市场监管', 5],
  ['食品小作坊登记', '市场监管', 3],
  ['特种设备使用登记', '市场监管', null],
  ['危险化学品经营许可', '安全生产', 3],
  ['烟花爆竹经营（零售）许可', '安全生产', 3],
  ['排污许可', '生态环境', 5],
  ['建设项目环境影响评价审批', '生态环境', null],
  ['城市建筑垃圾处置核准', '城市管理', 2],
  ['户外广告设施设置审批', '城市管理', 3],
  ['城市道路占用挖掘许可', '城市管理', 1],
  ['公共场所卫生许可', '卫生健康', 4],
  ['医疗机构执业登记', '卫生健康', 5],
  ['放射诊疗许可', '卫生健康', 5],
];

/** The approval bureau's permit items (行政许可事项). */
export const PERMIT_ITEMS: readonly PermitItem[] = ITEMS.map(([name, domain, validityYears], index) => ({
  code: `330381-XK-${String(index + 1).padStart(4, '0')}`,
  name,
  domain,
  validityYears,
}));

export const PERMIT_ITEM_BY_CODE: ReadonlyMap<string, PermitItem> = new Map(PERMIT_ITEMS.map((i) => [i.code, i]));
