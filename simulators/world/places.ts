import type { Jurisdiction } from '../../src/domain/types.ts';

export const PROVINCE_CODE = '330000';
export const CITY_CODE = '330300';
export const COUNTY_CODE = '330381';

export interface Township {
  code: string;
  name: string;
  /** Relative number of market subjects; the urban streets and 塘下 are the busiest. */
  weight: number;
}

const TOWNSHIP_NAMES: readonly (readonly [string, number])[] = [
  ['安阳街道', 8],
  ['玉海街道', 6],
  ['锦湖街道', 6],
  ['东山街道', 5],
  ['上望街道', 5],
  ['莘塍街道', 6],
  ['汀田街道', 5],
  ['飞云街道', 5],
  ['仙降街道', 5],
  ['南滨街道', 4],
  ['塘下镇', 12],
  ['马屿镇', 5],
  ['陶山镇', 4],
  ['湖岭镇', 3],
  ['林川镇', 1.5],
  ['曹村镇', 1.5],
  ['高楼镇', 2],
  ['平阳坑镇', 1],
  ['芳庄乡', 0.5],
  ['北麂乡', 0.5],
];

export const TOWNSHIPS: readonly Township[] = TOWNSHIP_NAMES.map(([name, weight], index) => ({
  code: `${COUNTY_CODE}${String(index + 1).padStart(3, '0')}`,
  name,
  weight,
}));

export const TOWNSHIP_WEIGHTS: readonly (readonly [Township, number])[] = TOWNSHIPS.map((t) => [t, t.weight]);

/**
 * "1+X": a central town's enforcement team also covers its smaller neighbours
 * (塘下 for 莘塍 and 汀田, 马屿 for 曹村 and 陶山, 湖岭 for 林川, 高楼 and 芳庄).
 */
export const ONE_PLUS_X: ReadonlyMap<string, string> = new Map([
  ['330381006', '330381011'],
  ['330381007', '330381011'],
  ['330381016', '330381012'],
  ['330381013', '330381012'],
  ['330381015', '330381014'],
  ['330381017', '330381014'],
  ['330381019', '330381014'],
]);

export function townshipName(code: string): string {
  return TOWNSHIPS.find((t) => t.code === code)?.name ?? code;
}

export function jurisdictions(): Jurisdiction[] {
  return [
    { code: PROVINCE_CODE, name: '浙江省', level: 'PROVINCE', parentCode: null },
    { code: CITY_CODE, name: '温州市', level: 'CITY', parentCode: PROVINCE_CODE },
    { code: COUNTY_CODE, name: '瑞安市', level: 'COUNTY', parentCode: CITY_CODE },
    ...TOWNSHIPS.map((t): Jurisdiction => ({ code: t.code, name: t.name, level: 'TOWNSHIP', parentCode: COUNTY_CODE })),
  ];
}
