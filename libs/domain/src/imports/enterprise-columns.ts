import type { EnterpriseFields } from '../rules/enterprise-rules';

/** The ledger's fields an import sets, plus the commissioner's account. */
export type ImportedField = Exclude<keyof EnterpriseFields, 'visitCadenceDays'> | 'commissioner';

export interface ImportColumn {
  field: ImportedField;
  /** The header in the template's row 1, as the bureau's staff read it. */
  header: string;
  /** A file without this header is refused as a whole. */
  required: boolean;
  /** What the notes sheet says about the column. */
  note: string;
  /** The template's sample row. */
  sample: string | number;
}

/**
 * The template's columns, in order. Coded columns take the code or its Chinese name; the
 * commissioner is named by account (user name), which is unique where display names are not.
 */
export const IMPORT_COLUMNS: readonly ImportColumn[] = [
  {
    field: 'name',
    header: '企业名称',
    required: true,
    note: '必填，2–200 个字。',
    sample: '长春示例机械制造有限公司',
  },
  {
    field: 'creditCode',
    header: '统一社会信用代码',
    required: true,
    note: '必填，18 位，含校验位（GB 32100-2015）。台账中已有此代码的企业按本行更新，不会重复新增。',
    sample: '91350100M000100Y43',
  },
  {
    field: 'industryCode',
    header: '行业',
    required: true,
    note: '必填，从下拉列表选择行业名称（国民经济行业门类），也可填门类代码 A–T。',
    sample: '制造业',
  },
  {
    field: 'districtCode',
    header: '所属区县',
    required: true,
    note: '必填，从下拉列表选择区县或开发区名称，也可填 6 位区划代码。科室负责人只能导入本人负责区县的企业。',
    sample: '南关区',
  },
  { field: 'address', header: '地址', required: true, note: '必填，2–300 个字。', sample: '长春市南关区人民大街 1 号' },
  {
    field: 'tier',
    header: '重点企业类别',
    required: true,
    note: '必填，省级重点、市级重点或区级重点（也可填 provincial、municipal、district）。',
    sample: '市级重点',
  },
  {
    field: 'employeeCount',
    header: '员工总数',
    required: true,
    note: '必填，0 到 10000000 之间的整数。',
    sample: 320,
  },
  { field: 'contactName', header: '联系人', required: true, note: '必填，最多 50 个字。', sample: '王伟' },
  {
    field: 'contactPhone',
    header: '联系电话',
    required: true,
    note: '必填，11 位手机号，或带区号的固定电话，如 0431-88886666。',
    sample: '13912345678',
  },
  {
    field: 'commissioner',
    header: '服务专员账号',
    required: false,
    note: '选填，在职服务专员的登录账号。新增企业时即为首任服务专员；已有企业填写不同账号即改派（其未办结问题随之移交），留空则不变。',
    sample: '',
  },
];

export const COLUMN_BY_FIELD = new Map(IMPORT_COLUMNS.map((column) => [column.field, column]));

/** The header of a field, for messages and reports. */
export function columnHeader(field: ImportedField): string {
  return COLUMN_BY_FIELD.get(field)!.header;
}

/** The column that carries the per-row explanation in the downloadable report. */
export const REPORT_ERROR_HEADER = '错误说明';

/**
 * The domain's field messages (`enterpriseFieldErrors`, `textError`, …) as a row's reader sees
 * them. One table, so that a new message without a Chinese form is caught by its unit test.
 */
const CHINESE_MESSAGES: [RegExp, (match: RegExpExecArray) => string][] = [
  [/^must not be blank$/, () => '不能为空'],
  [/^must be text$/, () => '应为文字'],
  [/^must be at least (\d+) characters$/, (m) => `至少 ${m[1]} 个字`],
  [/^must be at most (\d+) characters$/, (m) => `不能超过 ${m[1]} 个字`],
  [/^must be a valid unified social credit code/, () => '不是有效的统一社会信用代码（18 位，校验位须正确）'],
  [/^must be one of /, () => '应为省级重点、市级重点或区级重点'],
  [/^must be a whole number from (\d+) to (\d+)$/, (m) => `应为 ${m[1]} 到 ${m[2]} 之间的整数`],
  [/^must be a mainland mobile/, () => '应为 11 位手机号或带区号的固定电话（如 0431-88886666）'],
];

/** The Chinese form of a domain message (the message itself if the table lacks it). */
export function chineseMessage(message: string): string {
  for (const [pattern, say] of CHINESE_MESSAGES) {
    const match = pattern.exec(message);
    if (match) return say(match);
  }
  return message;
}
