import type { SubjectKind } from '../../src/domain/types.ts';
import type { Random } from './random.ts';

const BRAND = '华宏瑞安隆鑫达泰盛丰恒昌兴源众信嘉博远新永通伟立德金利成顺和康正祥'.split('');
const TRADES: readonly (readonly [string, string])[] = [
  ['C34', '机械'],
  ['C36', '汽摩配件'],
  ['C19', '鞋业'],
  ['C29', '塑料制品'],
  ['C38', '电器'],
  ['C22', '包装'],
  ['C33', '五金'],
  ['C23', '印刷'],
  ['C14', '食品'],
  ['C18', '服饰'],
  ['H62', '餐饮'],
  ['F52', '超市'],
  ['F51', '建材'],
  ['G54', '物流'],
  ['I65', '科技'],
  ['F51', '贸易'],
  ['O80', '美容美发'],
  ['Q84', '诊所'],
  ['E47', '建筑工程'],
  ['R90', '文化娱乐'],
];
const FARM_TRADES = ['果蔬', '茶叶', '水产', '粮油', '花卉'];
const ROADS = [
  '人民路',
  '安阳路',
  '万松路',
  '罗阳大道',
  '沿江路',
  '工业路',
  '塘下大道',
  '振兴路',
  '兴业路',
  '东山大道',
  '瑞祥大道',
  '隆山路',
];

export interface EnterpriseLabel {
  name: string;
  industryCode: string;
  address: string;
}

export function enterpriseLabel(rng: Random, kind: SubjectKind, townshipName: string): EnterpriseLabel {
  const address = `浙江省温州市瑞安市${townshipName}${rng.pick(ROADS)}${rng.int(1, 888)}号`;
  const brand = rng.pick(BRAND) + rng.pick(BRAND);
  if (kind === 'FARMERS_COOPERATIVE') {
    return { name: `瑞安市${brand}${rng.pick(FARM_TRADES)}专业合作社`, industryCode: 'A01', address };
  }
  const [industryCode, trade] = rng.pick(TRADES);
  if (kind === 'INDIVIDUAL_BUSINESS') {
    return { name: `瑞安市${townshipName}${brand}${trade}店`, industryCode, address };
  }
  return { name: `瑞安市${brand}${trade}有限公司`, industryCode, address };
}
