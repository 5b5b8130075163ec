import { describe, expect, it } from 'vitest';
import { ApiError, describeError, fieldErrors, type ProblemDetails, showError, translateMessage } from './errors';

const problem = (type: string, status: number, detail: string, errors?: ProblemDetails['errors']): ProblemDetails => ({
  type: `urn:keydesk:error:${type}`,
  title: 'x',
  status,
  detail,
  instance: '/api/v1/x',
  errors,
});

describe('API errors in Chinese', () => {
  it('puts each validation failure on its field, translated', () => {
    const error = new ApiError(
      400,
      problem('invalid-input', 400, 'bad', [
        { field: 'creditCode', message: 'must be a valid unified social credit code (GB 32100-2015)' },
        { field: 'name', message: 'is required' },
        { field: 'name', message: 'must be longer than or equal to 1 characters' },
        { field: 'contactName', message: 'must be shorter than or equal to 64 characters' },
      ]),
    );
    expect(fieldErrors(error)).toEqual({
      creditCode: '统一社会信用代码不正确（18 位，校验位不符）',
      name: '必填',
      contactName: '不超过 64 个字符',
    });
    expect(describeError(error)).toContain('统一社会信用代码：统一社会信用代码不正确');
  });

  it('names the wait of a lock-out from Retry-After', () => {
    const locked = (seconds: string) =>
      new ApiError(429, { ...problem('too-many-requests', 429, 'too many'), instance: '/api/v1/auth/login' }, seconds);
    expect(describeError(locked('840'))).toBe('登录失败次数过多，请14 分钟后再试');
    expect(describeError(locked('30'))).toBe('登录失败次数过多，请30 秒后再试');
    expect(describeError(locked(''))).toBe('登录失败次数过多，请稍后再试');
  });

  it('says that exports are busy, not that logins failed, when too many files are being made', () => {
    const busy = (instance: string) =>
      new ApiError(429, { ...problem('too-many-requests', 429, 'too many exports'), instance }, '5');
    expect(describeError(busy('/api/v1/enterprises/export.xlsx?status=active'))).toBe(
      '正在生成的文件较多，请5 秒后再试',
    );
    expect(describeError(busy('/api/v1/demands/summary/export.xlsx'))).toBe('正在生成的文件较多，请5 秒后再试');
    expect(describeError(busy('/api/v1/imports/imp-1/report.xlsx'))).toBe('正在生成的文件较多，请5 秒后再试');
    expect(describeError(busy('/api/v1/imports/enterprises'))).toBe('请求过于频繁，请5 秒后再试');
  });

  it('says "不存在或无权查看" for a 404 and names the network when the server cannot be reached', () => {
    expect(describeError(new ApiError(404, problem('not-found', 404, 'Enterprise was not found')))).toBe(
      '不存在或无权查看',
    );
    expect(describeError(new ApiError(0, null))).toBe('无法连接服务器，请检查网络后重试');
  });

  it('never shows an English sentence it knows, and leaves no code visible for a conflict it knows', () => {
    expect(
      describeError(
        new ApiError(
          409,
          problem(
            'conflict',
            409,
            'there must remain at least one active admin: the last active admin cannot be removed',
          ),
        ),
      ),
    ).toBe('当前状态不允许此操作：至少需要保留一名在职的管理员');
    expect(describeError(new ApiError(409, problem('version-conflict', 409, 'changed')))).toBe(
      '该记录已被他人修改，请刷新后再试',
    );
    expect(translateMessage('must not be less than 0')).toBe('不能小于 0');
    expect(
      describeError(
        new ApiError(400, {
          ...problem('invalid-input', 400, 'after: this cursor was made for another sort; start from page 1'),
          errors: [{ field: 'after', message: 'this cursor was made for another sort; start from page 1' }],
        }),
      ),
    ).toBe('输入有误：翻页位置：已失效，请从第 1 页重新查看');
  });

  it('passes on what the server already said in Chinese', () => {
    expect(describeError(new ApiError(409, problem('conflict', 409, '导入当前为「已导入」状态，不能再执行导入')))).toBe(
      '当前状态不允许此操作：导入当前为「已导入」状态，不能再执行导入',
    );
    expect(describeError(new ApiError(400, problem('invalid-input', 400, '第 1 行应为表头')))).toBe(
      '输入有误：第 1 行应为表头',
    );
    expect(
      describeError(new ApiError(413, problem('file-too-large', 413, '文件超过 20 MB 的上限，请拆分后分批导入'))),
    ).toBe('文件超过 20 MB 的上限，请拆分后分批导入');
    expect(translateMessage('不在您负责的区县')).toBe('不在您负责的区县');
    // A server failure is never passed on as it is worded.
    expect(describeError(new ApiError(500, problem('x', 500, '数据库错误')))).toBe('服务器出错，请稍后重试');
  });

  it('falls back to a general sentence for a failure that is not an API error', () => {
    expect(describeError(new TypeError('x is undefined'))).toBe('操作失败，请稍后重试');
    expect(describeError(new ApiError(500, null))).toBe('服务器出错，请稍后重试');
  });

  it('shows no English and no field code for a failure it does not know', () => {
    const error = new ApiError(
      400,
      problem('invalid-input', 400, 'bad', [{ field: 'weirdField', message: 'must be a shiny thing' }]),
    );
    expect(fieldErrors(error)).toEqual({ weirdField: '不符合要求，请检查后重试' });
    expect(describeError(error)).toBe('输入有误：某项：不符合要求，请检查后重试');
    expect(describeError(new ApiError(409, problem('conflict', 409, 'a frobnicated widget cannot be wobbled')))).toBe(
      '当前状态不允许此操作，请刷新后查看',
    );
  });
});

describe('showError', () => {
  it('says nothing of a 401 (the client announces the session’s end once) and shows the rest in Chinese', () => {
    const shown: string[] = [];
    const toast = (text: string) => void shown.push(text);
    showError(new ApiError(401, problem('unauthorized', 401, 'the access token is no longer valid')), toast);
    showError(new ApiError(500, null), toast);
    expect(shown).toEqual(['服务器出错，请稍后重试']);
  });
});
