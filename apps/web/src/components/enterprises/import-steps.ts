import type { ImportState, ImportView } from '@/api/imports';
import { ApiError, describeError } from '@/api/errors';
import { formatNumber } from '@/lib/format';

// The import dialog's rules, apart from the screen: which step an import is at, what may be
// applied, what a file or a refusal is told.

export const STEPS = ['上传文件', '校验结果', '导入', '结果'] as const;
export type Step = 0 | 1 | 2 | 3;

/** The step an import's state belongs to; no import yet is the upload step. */
export function importStep(state: ImportState | null): Step {
  switch (state) {
    case null:
      return 0;
    case 'validating':
    case 'validated':
      return 1;
    case 'applying':
      return 2;
    case 'applied':
    case 'failed':
      return 3;
  }
}

/** Whether the server is still working on it (the dialog asks again until it is not). */
export function isWorking(state: ImportState | null): boolean {
  return state === 'validating' || state === 'applying';
}

/** How far the worker is, 0–100; null while the number of rows is not known yet. */
export function progressPercent(view: Pick<ImportView, 'rowsDone' | 'rowsTotal'>): number | null {
  if (view.rowsTotal <= 0) return null;
  return Math.min(100, Math.floor((view.rowsDone / view.rowsTotal) * 100));
}

export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** Why a chosen file cannot be sent, in Chinese; null when it may (the server checks again). */
export function fileProblem(file: { name: string; size: number }): string | null {
  if (!/\.(xlsx|csv)$/i.test(file.name)) return '请选择 .xlsx 或 .csv 文件（可先下载模板填写）';
  if (file.size === 0) return '文件是空的，请检查后重新选择';
  if (file.size > MAX_FILE_BYTES)
    return `文件超过 20 MB（当前 ${(file.size / 1024 / 1024).toFixed(1)} MB），请拆分后分批导入`;
  return null;
}

const HAS_CHINESE = /[\u4e00-\u9fff]/;

/** A refused upload as one sentence under the file: the server's own Chinese words when it gave them. */
export function uploadErrorText(error: unknown): string {
  if (!(error instanceof ApiError)) return describeError(error);
  const detail = error.problem?.detail ?? '';
  if ([400, 413, 415, 422].includes(error.status) && HAS_CHINESE.test(detail)) return detail;
  switch (error.status) {
    case 413:
      return '文件过大：单个文件不超过 20 MB、200,000 行，请拆分后分批导入';
    case 415:
      return '文件类型不支持：请上传 .xlsx 文件或 UTF-8 / GBK 编码的 .csv 文件';
    case 400:
      if (error.problem?.type === 'urn:keydesk:error:invalid-input' && error.problem.errors?.length)
        return describeError(error);
      return '文件无法读取：请使用模板填写（表头在第 1 行），另存为 .xlsx 后重新上传';
    default:
      return describeError(error);
  }
}

/** What the validation report allows: all rows, only the valid ones, or nothing (and why). */
export interface ApplyChoices {
  /** Rows that would change the ledger. */
  writable: number;
  canApplyAll: boolean;
  offerValidRows: boolean;
  hint: string | null;
}

export function applyChoices(counts: ImportView['counts']): ApplyChoices {
  const writable = counts.create + counts.update;
  if (counts.invalid > 0) {
    return {
      writable,
      canApplyAll: false,
      offerValidRows: writable > 0,
      hint:
        writable > 0
          ? `有 ${formatNumber(counts.invalid)} 行有误：请修改后重新上传，或仅导入有效的 ${formatNumber(writable)} 行`
          : `有 ${formatNumber(counts.invalid)} 行有误，没有可导入的行：请修改后重新上传`,
    };
  }
  if (writable === 0)
    return { writable, canApplyAll: false, offerValidRows: false, hint: '文件与台账一致，没有需要导入的变更' };
  return { writable, canApplyAll: true, offerValidRows: false, hint: null };
}

/** The end of an import in one sentence. */
export function resultText(view: Pick<ImportView, 'state' | 'counts' | 'mode' | 'failure'>): string {
  if (view.state === 'failed') {
    const why = (view.failure ?? '导入未能完成').replace(/[。.；;\s]+$/, '');
    return `${why}。台账未作任何修改。`;
  }
  const { create, update, unchanged, invalid } = view.counts;
  const parts: string[] = [];
  if (create > 0) parts.push(`新增 ${formatNumber(create)} 家企业`);
  if (update > 0) parts.push(`更新 ${formatNumber(update)} 家企业`);
  if (parts.length === 0) parts.push('台账没有变化');
  if (unchanged > 0) parts.push(`${formatNumber(unchanged)} 家企业无变化`);
  if (view.mode === 'valid-rows' && invalid > 0) parts.push(`跳过有误的 ${formatNumber(invalid)} 行`);
  return `${parts.join('，')}。`;
}
