import { describe, expect, it } from 'vitest';
import { ApiError, describeError, fieldErrors } from './errors';

const problem = (type: string, status: number, detail: string, errors?: { field: string; message: string }[]) =>
  new ApiError(status, { type, title: '', status, detail, instance: '/api/v1/demands/x', errors });

describe('demand errors in Chinese', () => {
  it('puts a filled count over the headcount on its field', () => {
    const error = problem('urn:keydesk:error:invalid-input', 400, 'filledCount must be between 0 and headcount (5)', [
      { field: 'filledCount', message: 'must be between 0 and headcount (5)' },
    ]);
    expect(fieldErrors(error)).toEqual({ filledCount: '须在 0 到需求人数（5）之间' });
    expect(describeError(error)).toBe('输入有误：已招人数：须在 0 到需求人数（5）之间');
  });

  it('says a cancelled demand is final', () => {
    const error = problem('urn:keydesk:error:conflict', 409, 'a cancelled demand is final and cannot be changed');
    expect(describeError(error)).toBe('当前状态不允许此操作：该需求已取消，不能再修改');
  });
});
