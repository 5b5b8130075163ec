/** RFC 9457 problem details, as every API error answers. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: { field: string; message: string }[];
}

/** A failed API call. `status` 0: the server could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: ProblemDetails | null,
    readonly retryAfter: string | null = null,
  ) {
    super(problem?.detail ?? `HTTP ${status}`);
  }

  get isVersionConflict(): boolean {
    return this.problem?.type === 'urn:keydesk:error:version-conflict';
  }
}

/** The field labels used when a message names a field (forms put messages on the field itself). */
export const FIELD_LABELS: Record<string, string> = {
  name: '企业名称',
  creditCode: '统一社会信用代码',
  industryCode: '行业',
  districtCode: '所属区县',
  address: '地址',
  tier: '重点企业类别',
  employeeCount: '员工总数',
  contactName: '联系人',
  contactPhone: '联系电话',
  visitCadenceDays: '走访周期',
  commissionerId: '服务专员',
  reason: '原因',
  username: '用户名',
  password: '密码',
  currentPassword: '当前密码',
  newPassword: '新密码',
  displayName: '姓名',
  role: '角色',
  districtCodes: '负责区县',
  phone: '手机号',
  version: '版本',
  visitedAt: '走访时间',
  method: '走访方式',
  summary: '走访情况',
  demands: '用工需求',
  problems: '问题',
  headcount: '需求人数',
  filledCount: '已招人数',
  after: '翻页位置',
};

/** class-validator's and the API's English messages, in Chinese. The first pattern that matches wins. */
const MESSAGES: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^is required/, () => '必填'],
  [/^must be between 0 and headcount \((\d+)\)/, (m) => `须在 0 到需求人数（${m[1]}）之间`],
  [/^must not be null/, () => '不能为空'],
  [/^is not a known field/, () => '不是可接受的字段'],
  [/valid unified social credit code/, () => '统一社会信用代码不正确（18 位，校验位不符）'],
  [/mainland mobile/, () => '请输入手机号（11 位）或座机号（如 0431-88886666）'],
  [/6-digit district code/, () => '请选择区县'],
  [/section letter/, () => '请选择行业'],
  [/3-32 characters of a-z/, () => '3–32 位小写字母、数字或 _ . -'],
  [/^must be longer than or equal to 1 characters/, () => '必填'],
  [/^must be longer than or equal to (\d+) characters/, (m) => `至少 ${m[1]} 个字符`],
  [/^must be shorter than or equal to (\d+) characters/, (m) => `不超过 ${m[1]} 个字符`],
  [/^must not be less than (-?\d+)/, (m) => `不能小于 ${m[1]}`],
  [/^must not be greater than (-?\d+)/, (m) => `不能大于 ${m[1]}`],
  [/^must be an integer/, () => '请输入整数'],
  [/^must be one of the following values/, () => '请从选项中选择'],
  [/^should not be empty/, () => '不能为空'],
  [/must be an active commissioner/, () => '请选择在职的服务专员'],
  [/already taken/, () => '已被占用'],
  [/already (exists|registered|in the ledger)|is already used/, () => '已存在'],
  [/must differ/, () => '不能与当前密码相同'],
  [/is wrong|does not match/, () => '不正确'],
  [/is not your current password/, () => '当前密码不正确'],
  [/only supervisors have districts/, () => '只有科室负责人可以设置负责区县'],
  [/unknown district code|not a known district/, () => '含有不存在的区县'],
  [/must be a UUID/, () => '格式不正确'],
  [/ISO 8601/, () => '日期时间格式不正确'],
  [/must be an occupation category code/, () => '请选择职业类别'],
  [/must not exceed salaryMax/, () => '不能高于最高月薪'],
  [/^must be at least (\d+)/, (m) => `不能小于 ${m[1]}`],
  [/must not be in the future/, () => '不能晚于当前时间'],
  [/must be after visitedAt/, () => '须晚于走访时间'],
  [/must be within a year of visitedAt/, () => '须在走访时间后一年内'],
  [/must contain no more than (\d+) elements/, (m) => `最多 ${m[1]} 条`],
  // A list's `after` cursor: the screens ask again by page number, so this is rarely seen.
  [/start from page 1|nextCursor of this list/, () => '已失效，请从第 1 页重新查看'],
  [/pages by page number only/, () => '该列表只能按页码翻页'],
];

/** What any message the table above does not know becomes: never English on the screen. */
const UNKNOWN_MESSAGE = '不符合要求，请检查后重试';

/** Some API messages are written in Chinese for the person (an import's faults and refusals). */
const CHINESE = /[\u4e00-\u9fff]/;

export function translateMessage(message: string): string {
  if (CHINESE.test(message)) return message;
  for (const [pattern, chinese] of MESSAGES) {
    const match = message.match(pattern);
    if (match) return chinese(match);
  }
  return UNKNOWN_MESSAGE;
}

/** Field errors by field name, in Chinese, for a form to show under each field. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !error.problem?.errors) return {};
  const byField: Record<string, string> = {};
  for (const { field, message } of error.problem.errors) byField[field] ??= translateMessage(message);
  return byField;
}

function waitText(retryAfter: string | null): string {
  const seconds = Number(retryAfter);
  if (!Number.isFinite(seconds) || seconds <= 0) return '稍后';
  if (seconds < 60) return `${Math.ceil(seconds)} 秒后`;
  return `${Math.ceil(seconds / 60)} 分钟后`;
}

/**
 * A failure as a toast. A 401 shows nothing here: the session's end is announced once, by the
 * client, however many requests were refused at that moment.
 */
export function showError(error: unknown, toast: (text: string) => void = (text) => ElMessage.error(text)): void {
  if (error instanceof ApiError && error.status === 401) return;
  toast(describeError(error));
}

/** One Chinese sentence for any failure, as a message box or toast shows it. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return '操作失败，请稍后重试';
  const { status, problem } = error;
  if (status === 0) return '无法连接服务器，请检查网络后重试';
  switch (problem?.type) {
    case 'urn:keydesk:error:invalid-input': {
      const fields = (problem.errors ?? []).map(
        (e) => `${FIELD_LABELS[e.field] ?? '某项'}：${translateMessage(e.message)}`,
      );
      return fields.length ? `输入有误：${fields.join('；')}` : `输入有误：${translateMessage(problem.detail)}`;
    }
    case 'urn:keydesk:error:not-found':
      return '不存在或无权查看';
    case 'urn:keydesk:error:forbidden':
      return '您的角色无权进行此操作';
    case 'urn:keydesk:error:version-conflict':
      return '该记录已被他人修改，请刷新后再试';
    case 'urn:keydesk:error:conflict': {
      const why = translateDetail(problem.detail);
      return why === UNKNOWN_MESSAGE ? '当前状态不允许此操作，请刷新后查看' : `当前状态不允许此操作：${why}`;
    }
    case 'urn:keydesk:error:unauthorized':
      return '登录已失效，请重新登录';
    case 'urn:keydesk:error:too-many-requests':
      return tooManyText(problem.instance, error.retryAfter);
  }
  // A refusal the server worded in Chinese for the person (a file too large, of the wrong kind).
  if (problem && status < 500 && CHINESE.test(problem.detail)) return problem.detail;
  if (status === 413) return '提交的内容过大';
  if (status === 503) return '服务暂时不可用，请稍后重试';
  return '服务器出错，请稍后重试';
}

/** A 429 names what is limited: failed logins (a lock-out), files being generated, or requests in general. */
function tooManyText(instance: string, retryAfter: string | null): string {
  const wait = waitText(retryAfter);
  if (/\/auth\//.test(instance)) return `登录失败次数过多，请${wait}再试`;
  if (/\/(export\.(xlsx|csv)|report\.xlsx)$/.test(instance.split('?')[0])) return `正在生成的文件较多，请${wait}再试`;
  return `请求过于频繁，请${wait}再试`;
}

/** The API's conflict details, where a known one has a Chinese sentence. */
function translateDetail(detail: string): string {
  if (/last active admin/.test(detail)) return '至少需要保留一名在职的管理员';
  if (/yourself|your own role/.test(detail)) return '不能停用自己或修改自己的角色';
  if (/already taken/.test(detail)) return '用户名已被占用';
  if (/cancelled demand is final/.test(detail)) return '该需求已取消，不能再修改';
  if (/archived/.test(detail)) return '企业已归档';
  if (/credit code .* already in the ledger/.test(detail)) return '该统一社会信用代码已在台账中';
  if (/already active/.test(detail)) return '企业已是正常状态';
  return translateMessage(detail);
}

export { waitText };
