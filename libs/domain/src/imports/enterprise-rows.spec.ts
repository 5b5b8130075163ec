import { InvalidInputError } from '@keydesk/common';
import { enterpriseFieldErrors } from '../rules/enterprise-rules';
import { chineseMessage, IMPORT_COLUMNS } from './enterprise-columns';
import {
  convertEnterpriseRow,
  headerError,
  headerOf,
  orderedFaults,
  readHeader,
  referenceLookup,
} from './enterprise-rows';

const HEADERS = IMPORT_COLUMNS.map((column) => column.header);
const header = headerOf({ row: 1, cells: HEADERS }, undefined)!;
const references = {
  districts: referenceLookup([{ code: '220102', name: '南关区' }]),
  industries: referenceLookup([{ code: 'C', name: '制造业' }]),
};
const VALID = [
  '长春一汽零部件有限公司',
  '91350100m000100y43',
  '制造业',
  '南关区',
  '长春市人民大街 1 号',
  '市级重点',
  '1,200',
  '王伟',
  '13912345678',
  'Zhang.1',
];

const convert = (cells: string[]) => {
  const converted = convertEnterpriseRow({ row: 7, cells }, header, references);
  return { ...converted, faults: orderedFaults(converted.faults) };
};

describe('an import row', () => {
  it('takes codes or Chinese names and reads numbers as Excel users write them', () => {
    expect(convert(VALID)).toEqual({
      row: 7,
      creditCode: '91350100M000100Y43',
      commissioner: 'zhang.1',
      faults: [],
      fields: {
        name: '长春一汽零部件有限公司',
        creditCode: '91350100M000100Y43',
        industryCode: 'C',
        districtCode: '220102',
        address: '长春市人民大街 1 号',
        tier: 'municipal',
        employeeCount: 1200,
        contactName: '王伟',
        contactPhone: '13912345678',
      },
    });
    const byCode = convert([
      '某某公司',
      '91350100M000100Y43',
      'c',
      '220102',
      '地址很长',
      'provincial',
      '5',
      '李',
      '0431-88886666',
      '',
    ]);
    expect(byCode.faults).toEqual([]);
    expect(byCode.fields).toMatchObject({ industryCode: 'C', districtCode: '220102', tier: 'provincial' });
    expect(byCode.commissioner).toBeNull();
  });

  it("names every bad cell by its header, in Chinese, with the domain's own rules", () => {
    const row = convert([
      '某',
      '91350100M000100Y44',
      '制造',
      '朝阳区',
      '',
      '国家级',
      '-5',
      'x'.repeat(51),
      '12345',
      '',
    ]);
    expect(row.faults).toEqual([
      { column: '企业名称', message: '至少 2 个字' },
      { column: '统一社会信用代码', message: '不是有效的统一社会信用代码（18 位，校验位须正确）' },
      { column: '行业', message: '不是已知的行业，请从下拉列表选择' },
      { column: '所属区县', message: '不是已知的区县，请从下拉列表选择' },
      { column: '地址', message: '不能为空' },
      { column: '重点企业类别', message: '应为省级重点、市级重点或区级重点' },
      { column: '员工总数', message: '应为 0 到 10000000 之间的整数' },
      { column: '联系人', message: '不能超过 50 个字' },
      { column: '联系电话', message: '应为 11 位手机号或带区号的固定电话（如 0431-88886666）' },
    ]);
    expect(convert([...VALID.slice(0, 6), '12.5', ...VALID.slice(7)]).faults).toEqual([
      { column: '员工总数', message: '应为 0 到 10000000 之间的整数' },
    ]);
    expect(convert([...VALID.slice(0, 6), '很多', ...VALID.slice(7)]).faults).toHaveLength(1);
  });

  it("reads back what keydesk's own files wrote safe", () => {
    expect(convert(["'=HYPERLINK()公司", ...VALID.slice(1)]).fields.name).toBe('=HYPERLINK()公司');
  });

  it('has a Chinese form of every message the ledger rules give', () => {
    const messages = [
      ...enterpriseFieldErrors({
        name: '',
        creditCode: 'x',
        address: 'x'.repeat(301),
        contactName: 5 as unknown as string,
        tier: 'x' as never,
        employeeCount: -1,
        contactPhone: '1',
      }),
      ...enterpriseFieldErrors({ name: 'x' }),
    ].map((error) => error.message);
    for (const message of messages) expect(chineseMessage(message)).not.toBe(message);
  });
});

describe('the header', () => {
  it('is row 1, or row 2 below a title row (as an exported ledger has it), in any order, other columns ignored', () => {
    expect(headerOf({ row: 1, cells: ['备注', ...[...HEADERS].reverse()] }, undefined)?.get('name')).toBe(10);
    const title = { row: 1, cells: ['企业台账（状态：正常）导出于 2026-12-01 09:30'] };
    expect(headerOf(title, undefined)).toBeNull();
    expect(headerOf({ row: 2, cells: [...HEADERS, '状态'] }, readHeader(title))?.get('creditCode')).toBe(1);
  });

  it('refuses a file without a required column, naming what is missing', () => {
    const rowOne = { row: 1, cells: HEADERS.filter((h) => h !== '联系电话' && h !== '服务专员账号') };
    const read = readHeader(rowOne);
    expect(headerOf(rowOne, undefined)).toBeNull();
    expect(() => headerOf({ row: 2, cells: VALID }, read)).toThrow(
      new InvalidInputError('表头缺少以下列：联系电话（请使用导入模板，表头在第 1 行）'),
    );
    expect(headerError(undefined).message).toContain('第 1 行应为表头');
    expect(headerError(readHeader({ row: 1, cells: [...HEADERS, '地址'] })).message).toBe(
      '表头中这些列出现了不止一次：地址',
    );
  });
});
