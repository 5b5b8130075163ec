import { creditCodeCheckCharacter } from '@keydesk/domain';
import type { Tier } from '@keydesk/database';

/** A small deterministic generator (mulberry32), so that the demo and the benchmarks are repeatable. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];

export const DISTRICTS = [
  { code: '220102', streets: ['人民大街', '南湖大路', '自由大路', '亚泰大街'] },
  { code: '220103', streets: ['北人民大街', '长白路', '凯旋路', '宽平大路'] },
  { code: '220104', streets: ['西安大路', '红旗街', '开运街', '湖西路'] },
  { code: '220105', streets: ['东盛大街', '吉林大路', '远达大街', '临河街'] },
  { code: '220106', streets: ['景阳大路', '普阳街', '青年路', '西环城路'] },
  { code: '220112', streets: ['双阳大街', '平湖大路'] },
  { code: '220113', streets: ['新华大街', '九台大街'] },
  { code: '220122', streets: ['黄龙路', '兴华路'] },
  { code: '220182', streets: ['正阳街', '培英路'] },
  { code: '220183', streets: ['德惠路', '胜利大街'] },
  { code: '220184', streets: ['铁北大街', '岭东路'] },
  { code: '220171', streets: ['深圳街', '浦东路', '仙台大街'] },
  { code: '220172', streets: ['净月大街', '博硕路', '福祉大路'] },
  { code: '220173', streets: ['硅谷大街', '卫星路', '飞跃路'] },
  { code: '220174', streets: ['东风大街', '创业大街', '汽车大路'] },
] as const;

/** Industries with the kinds of business a key enterprise of that section would name itself after. */
const BUSINESSES: { industry: string; kinds: string[] }[] = [
  {
    industry: 'C',
    kinds: ['汽车零部件', '轨道客车配件', '光电仪器', '生物制药', '玉米深加工', '精密模具', '新材料', '农机装备'],
  },
  { industry: 'C', kinds: ['汽车座椅', '铝合金轮毂', '线束', '食品', '医疗器械'] },
  { industry: 'E', kinds: ['建筑工程', '市政建设', '路桥工程'] },
  { industry: 'F', kinds: ['商贸', '医药连锁', '汽车销售服务'] },
  { industry: 'G', kinds: ['物流', '冷链运输', '供应链管理'] },
  { industry: 'H', kinds: ['餐饮管理', '酒店管理'] },
  { industry: 'I', kinds: ['软件', '信息技术', '数据服务', '卫星信息'] },
  { industry: 'M', kinds: ['检测技术', '工程设计', '光电技术研究'] },
  { industry: 'Q', kinds: ['医院管理', '康养服务'] },
  { industry: 'D', kinds: ['热力', '燃气'] },
];
const NAME_STEMS = [
  '长春',
  '吉林省',
  '长春市',
  '一汽',
  '北湖',
  '净月',
  '吉祥',
  '亚泰',
  '长光',
  '华阳',
  '东北',
  '启明',
  '通达',
  '金盛',
  '恒远',
  '鸿鑫',
  '瑞丰',
  '宏图',
  '兴隆',
  '嘉和',
];
const NAME_MIDDLES = ['', '', '富维', '博泰', '长信', '融达', '德润', '众成', '华信', '天盛', '汇力', '新宇'];
const SUFFIXES = ['有限公司', '股份有限公司', '集团有限公司', '有限责任公司'];
const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '林',
  '高',
  '罗',
];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '秀英',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀兰',
  '霞',
  '平',
  '刚',
  '桂英',
  '建华',
  '海燕',
];
const CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export interface DemoEnterprise {
  name: string;
  creditCode: string;
  industryCode: string;
  districtCode: string;
  address: string;
  tier: Tier;
  employeeCount: number;
  contactName: string;
  contactPhone: string;
}

export function personName(random: () => number): string {
  return pick(random, SURNAMES) + pick(random, GIVEN);
}

export function mobilePhone(random: () => number): string {
  const prefix = pick(random, [
    '139',
    '138',
    '135',
    '136',
    '150',
    '151',
    '158',
    '186',
    '187',
    '189',
    '131',
    '132',
    '155',
    '177',
    '199',
  ]);
  return prefix + String(Math.floor(random() * 1e8)).padStart(8, '0');
}

/** A valid unified social credit code for an enterprise registered in the district. */
export function creditCodeFor(random: () => number, districtCode: string): string {
  let organisation = '';
  for (let i = 0; i < 9; i++)
    organisation += pick(random, [...(i < 8 ? CODE_CHARS.slice(0, 10) + 'MNPQ' : CODE_CHARS)]);
  const first17 = `91${districtCode}${organisation}`;
  return first17 + creditCodeCheckCharacter(first17);
}

/** `count` plausible Changchun enterprises with unique names and credit codes. */
/**
 * `count` plausible Changchun enterprises. The name space holds some 25 000 distinct names; a
 * larger city (`numberRepeatedNames`) numbers the branches of a repeated name instead.
 */
export function generateEnterprises(
  count: number,
  seed = 2026,
  options: { numberRepeatedNames?: boolean } = {},
): DemoEnterprise[] {
  const random = seededRandom(seed);
  const names = new Set<string>();
  const codes = new Set<string>();
  const result: DemoEnterprise[] = [];
  while (result.length < count) {
    const district = pick(random, DISTRICTS);
    const business = pick(random, BUSINESSES);
    let name =
      pick(random, NAME_STEMS) + pick(random, NAME_MIDDLES) + pick(random, business.kinds) + pick(random, SUFFIXES);
    const creditCode = creditCodeFor(random, district.code);
    if (codes.has(creditCode)) continue;
    if (names.has(name)) {
      if (!options.numberRepeatedNames) continue;
      const base = name;
      for (let branch = 2; names.has(name); branch++) name = `${base}第${branch}分公司`;
    }
    names.add(name);
    codes.add(creditCode);
    const size = random();
    const tier: Tier = size > 0.85 ? 'provincial' : size > 0.45 ? 'municipal' : 'district';
    const employeeCount =
      tier === 'provincial'
        ? 1500 + Math.floor(random() * 8000)
        : tier === 'municipal'
          ? 300 + Math.floor(random() * 1500)
          : 50 + Math.floor(random() * 400);
    result.push({
      name,
      creditCode,
      industryCode: business.industry,
      districtCode: district.code,
      address: `长春市${pick(random, district.streets)}${1 + Math.floor(random() * 3000)}号`,
      tier,
      employeeCount,
      contactName: personName(random),
      contactPhone:
        random() < 0.8 ? mobilePhone(random) : `0431-8${String(Math.floor(random() * 1e7)).padStart(7, '0')}`,
    });
  }
  return result;
}
