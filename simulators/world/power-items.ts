import type { DelegationMode } from '../../src/domain/types.ts';
import {
  COUNTY_ENFORCEMENT_BUREAU,
  DOMAIN_DEPARTMENT,
  DOMAINS,
  type SupervisionDomain,
  townshipTeamCode,
} from './authorities.ts';
import { DAY_MS, chinaMidnight } from './china-time.ts';
import type { WorldDelegation, WorldPowerItem } from './model.ts';
import { ONE_PLUS_X, TOWNSHIPS } from './places.ts';
import type { Random } from './random.ts';

const ITEM_NAMES: Readonly<Record<SupervisionDomain, readonly string[]>> = {
  市场监管: [
    '销售不符合食品安全标准的食品',
    '未取得食品经营许可从事食品经营',
    '无照经营',
    '发布虚假广告',
    '销售超过保质期的食品',
    '未按规定公示营业执照',
    '使用未经检定的计量器具',
    '销售假冒伪劣产品',
    '不明码标价',
    '未建立进货查验记录制度',
    '使用未经检验的特种设备',
    '商品标签标识不符合规定',
  ],
  安全生产: [
    '未按规定开展安全生产教育培训',
    '未建立事故隐患排查治理制度',
    '未按规定配备安全生产管理人员',
    '危险化学品储存不符合规定',
    '特种作业人员未持证上岗',
    '未设置明显的安全警示标志',
    '生产经营场所与员工宿舍在同一建筑内',
    '未按规定进行安全评价',
    '未如实记录安全生产教育培训情况',
    '未对安全设备进行经常性维护',
    '未制定生产安全事故应急救援预案',
    '占用堵塞消防通道',
  ],
  生态环境: [
    '建设项目未批先建',
    '超标排放大气污染物',
    '未按规定设置排污口',
    '无证排放污染物',
    '危险废物未按规定贮存',
    '工业噪声污染扰民',
    '未正常运行污染防治设施',
    '露天焚烧产生烟尘污染的物质',
    '未按规定办理排污登记',
    '违规倾倒工业固体废物',
    '餐饮油烟超标排放',
    '未落实环保设施“三同时”',
  ],
  城市管理: [
    '擅自占用城市道路经营',
    '乱张贴乱涂写乱刻画',
    '未经批准设置户外广告',
    '违法建设',
    '随意倾倒建筑垃圾',
    '未按规定分类投放生活垃圾',
    '擅自占用城市绿地',
    '损坏市政公用设施',
    '机动车违规停放占用人行道',
    '夜间施工噪声扰民',
    '店外经营',
    '擅自挖掘城市道路',
  ],
  卫生健康: [
    '公共场所未取得卫生许可',
    '从业人员未取得健康合格证明',
    '非法行医',
    '医疗废物管理不规范',
    '集中式供水不符合卫生标准',
    '公共场所卫生检测不合格',
    '未申报职业病危害项目',
    '未落实传染病防控措施',
    '使用非卫生技术人员从事医疗卫生技术工作',
    '集中空调通风系统不符合卫生规范',
    '消毒产品不符合卫生标准',
    '公共场所未落实控烟措施',
  ],
};

const LAWS: Readonly<Record<SupervisionDomain, readonly string[]>> = {
  市场监管: [
    '《中华人民共和国食品安全法》',
    '《中华人民共和国产品质量法》',
    '《无证无照经营查处办法》',
    '《中华人民共和国广告法》',
  ],
  安全生产: ['《中华人民共和国安全生产法》', '《危险化学品安全管理条例》', '《中华人民共和国消防法》'],
  生态环境: [
    '《中华人民共和国大气污染防治法》',
    '《中华人民共和国固体废物污染环境防治法》',
    '《中华人民共和国环境影响评价法》',
  ],
  城市管理: ['《城市市容和环境卫生管理条例》', '《浙江省城市管理相关领域综合行政执法条例》', '《城市道路管理条例》'],
  卫生健康: ['《公共场所卫生管理条例》', '《中华人民共和国基本医疗卫生与健康法》', '《医疗废物管理条例》'],
};

const FIRST_VALID_FROM = chinaMidnight(2015, 1, 1);
/** The 2022 wave of delegation to townships: some items moved from the county on this date. */
const DELEGATION_WAVE = chinaMidnight(2022, 7, 1);

type ItemProfile = 'delegable' | 'stationed' | 'county';

function currentDelegation(
  rng: Random,
  profile: ItemProfile,
  domain: SupervisionDomain,
  townshipCode: string,
): { mode: DelegationMode; authorityCode: string } {
  const central = ONE_PLUS_X.get(townshipCode);
  if (profile === 'delegable') {
    if (central) return { mode: 'ONE_PLUS_X', authorityCode: townshipTeamCode(central) };
    if (rng.chance(0.9)) return { mode: 'DELEGATED', authorityCode: townshipTeamCode(townshipCode) };
  }
  if (profile === 'stationed' && rng.chance(0.8)) {
    return { mode: 'STATIONED', authorityCode: DOMAIN_DEPARTMENT[domain] };
  }
  return { mode: 'COUNTY_RETAINED', authorityCode: COUNTY_ENFORCEMENT_BUREAU };
}

/** About 60 penalty items (12 per domain), each delegated township by township. */
export function generatePowerItems(rng: Random): WorldPowerItem[] {
  const items: WorldPowerItem[] = [];
  for (const domain of DOMAINS) {
    for (const name of ITEM_NAMES[domain]) {
      const profile = rng.weighted<ItemProfile>([
        ['delegable', 60],
        ['stationed', 15],
        ['county', 25],
      ]);
      const movedInWave = profile === 'delegable' && rng.chance(0.2);
      const delegations: WorldDelegation[] = [];
      for (const township of TOWNSHIPS) {
        const now = currentDelegation(rng, profile, domain, township.code);
        if (movedInWave && now.mode !== 'COUNTY_RETAINED') {
          delegations.push({
            townshipCode: township.code,
            mode: 'COUNTY_RETAINED',
            authorityCode: COUNTY_ENFORCEMENT_BUREAU,
            validFrom: FIRST_VALID_FROM,
            validUntil: DELEGATION_WAVE - DAY_MS,
          });
          delegations.push({ townshipCode: township.code, ...now, validFrom: DELEGATION_WAVE, validUntil: null });
        } else {
          delegations.push({ townshipCode: township.code, ...now, validFrom: FIRST_VALID_FROM, validUntil: null });
        }
      }
      items.push({
        code: `330381-CF-${String(items.length + 1).padStart(4, '0')}`,
        name,
        domain,
        legalBasis: `${rng.pick(LAWS[domain])}第${rng.int(10, 130)}条`,
        delegations,
      });
    }
  }
  return items;
}

/** Who holds the item's power in the township at `atMs` (validUntil is the last valid day). */
export function powerHolder(item: WorldPowerItem, townshipCode: string, atMs: number): string {
  for (const d of item.delegations) {
    if (d.townshipCode !== townshipCode || d.validFrom > atMs) continue;
    if (d.validUntil === null || atMs < d.validUntil + DAY_MS) return d.authorityCode;
  }
  return COUNTY_ENFORCEMENT_BUREAU;
}
