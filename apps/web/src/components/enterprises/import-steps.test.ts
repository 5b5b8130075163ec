import { describe, expect, it } from 'vitest';
import { ApiError, type ProblemDetails } from '@/api/errors';
import {
  applyChoices,
  fileProblem,
  importStep,
  isWorking,
  MAX_FILE_BYTES,
  progressPercent,
  resultText,
  uploadErrorText,
} from './import-steps';

const counts = (create: number, update: number, unchanged: number, invalid: number) => ({
  create,
  update,
  unchanged,
  invalid,
});

describe('import steps', () => {
  it('puts each state at its step, and polls only while the server works', () => {
    expect(importStep(null)).toBe(0);
    expect(importStep('validating')).toBe(1);
    expect(importStep('validated')).toBe(1);
    expect(importStep('applying')).toBe(2);
    expect(importStep('applied')).toBe(3);
    expect(importStep('failed')).toBe(3);
    expect(
      ['validating', 'validated', 'applying', 'applied', 'failed', null].filter((s) => isWorking(s as never)),
    ).toEqual(['validating', 'applying']);
  });

  it('shows progress as a whole percentage, unknown until the rows are counted', () => {
    expect(progressPercent({ rowsDone: 0, rowsTotal: 0 })).toBeNull();
    expect(progressPercent({ rowsDone: 333, rowsTotal: 1000 })).toBe(33);
    expect(progressPercent({ rowsDone: 1000, rowsTotal: 1000 })).toBe(100);
    expect(progressPercent({ rowsDone: 1200, rowsTotal: 1000 })).toBe(100);
  });
});

describe('the chosen file', () => {
  it('is an .xlsx or .csv of at most 20 MB, not empty', () => {
    expect(fileProblem({ name: '南关区.XLSX', size: 10 })).toBeNull();
    expect(fileProblem({ name: 'ledger.csv', size: MAX_FILE_BYTES })).toBeNull();
    expect(fileProblem({ name: 'ledger.xls', size: 10 })).toBe('请选择 .xlsx 或 .csv 文件（可先下载模板填写）');
    expect(fileProblem({ name: 'ledger.csv', size: 0 })).toBe('文件是空的，请检查后重新选择');
    expect(fileProblem({ name: 'ledger.xlsx', size: MAX_FILE_BYTES + 1024 * 1024 })).toBe(
      '文件超过 20 MB（当前 21.0 MB），请拆分后分批导入',
    );
  });
});

describe('a refused upload', () => {
  const refusal = (status: number, detail: string, type = 'about:blank', errors?: ProblemDetails['errors']) =>
    new ApiError(status, { type, title: 'x', status, detail, instance: '/api/v1/imports/enterprises', errors });

  it('says what the server said when it said it in Chinese', () => {
    expect(uploadErrorText(refusal(400, '第 1 行不是模板的表头：缺少“统一社会信用代码”列'))).toBe(
      '第 1 行不是模板的表头：缺少“统一社会信用代码”列',
    );
    expect(uploadErrorText(refusal(413, '文件超过 200,000 行'))).toBe('文件超过 200,000 行');
  });

  it('names the limit or the kind of file otherwise, never in English', () => {
    expect(uploadErrorText(refusal(413, 'file too large'))).toBe(
      '文件过大：单个文件不超过 20 MB、200,000 行，请拆分后分批导入',
    );
    expect(uploadErrorText(refusal(415, 'unsupported media type'))).toBe(
      '文件类型不支持：请上传 .xlsx 文件或 UTF-8 / GBK 编码的 .csv 文件',
    );
    expect(uploadErrorText(refusal(400, 'could not read the workbook'))).toBe(
      '文件无法读取：请使用模板填写（表头在第 1 行），另存为 .xlsx 后重新上传',
    );
    expect(uploadErrorText(refusal(403, 'forbidden', 'urn:keydesk:error:forbidden'))).toBe('您的角色无权进行此操作');
    expect(uploadErrorText(new ApiError(0, null))).toBe('无法连接服务器，请检查网络后重试');
  });
});

describe('what the report allows', () => {
  it('everything when every row is valid and something changes', () => {
    expect(applyChoices(counts(3, 1, 5, 0))).toEqual({
      writable: 4,
      canApplyAll: true,
      offerValidRows: false,
      hint: null,
    });
  });

  it('only the valid rows, after saying why, when some are at fault', () => {
    expect(applyChoices(counts(3, 1, 0, 2))).toEqual({
      writable: 4,
      canApplyAll: false,
      offerValidRows: true,
      hint: '有 2 行有误：请修改后重新上传，或仅导入有效的 4 行',
    });
    expect(applyChoices(counts(0, 0, 1, 1_200))).toMatchObject({
      canApplyAll: false,
      offerValidRows: false,
      hint: '有 1,200 行有误，没有可导入的行：请修改后重新上传',
    });
  });

  it('nothing when the file matches the ledger', () => {
    expect(applyChoices(counts(0, 0, 7, 0))).toMatchObject({
      canApplyAll: false,
      offerValidRows: false,
      hint: '文件与台账一致，没有需要导入的变更',
    });
  });
});

describe('the result', () => {
  it('counts what was written, and what was skipped when only valid rows were applied', () => {
    expect(resultText({ state: 'applied', counts: counts(1200, 3, 0, 0), mode: 'all', failure: null })).toBe(
      '新增 1,200 家企业，更新 3 家企业。',
    );
    expect(resultText({ state: 'applied', counts: counts(2, 0, 4, 1), mode: 'valid-rows', failure: null })).toBe(
      '新增 2 家企业，4 家企业无变化，跳过有误的 1 行。',
    );
    expect(resultText({ state: 'applied', counts: counts(0, 0, 0, 3), mode: 'valid-rows', failure: null })).toBe(
      '台账没有变化，跳过有误的 3 行。',
    );
  });

  it('says that nothing was written when it failed', () => {
    expect(
      resultText({
        state: 'failed',
        counts: counts(2, 0, 0, 0),
        mode: 'all',
        failure: '第 3 行的统一社会信用代码已被他人录入。',
      }),
    ).toBe('第 3 行的统一社会信用代码已被他人录入。台账未作任何修改。');
    expect(resultText({ state: 'failed', counts: counts(0, 0, 0, 0), mode: null, failure: null })).toBe(
      '导入未能完成。台账未作任何修改。',
    );
  });
});
