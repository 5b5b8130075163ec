import { describe, expect, it } from 'vitest';
import { ApiError, describeError } from './errors';

const conflict = (detail: string) =>
  new ApiError(409, {
    type: 'urn:keydesk:error:conflict',
    title: 'Conflict',
    status: 409,
    detail,
    instance: '/api/v1/enterprises',
  });

describe('enterprise conflicts in Chinese', () => {
  it('names a credit code already in the ledger', () => {
    expect(describeError(conflict('an enterprise with credit code 91350100M000100Y43 is already in the ledger'))).toBe(
      '当前状态不允许此操作：该统一社会信用代码已在台账中',
    );
  });

  it('says an enterprise is already archived or already active', () => {
    expect(describeError(conflict('the enterprise is already archived'))).toBe('当前状态不允许此操作：企业已归档');
    expect(describeError(conflict('the enterprise is already active'))).toBe('当前状态不允许此操作：企业已是正常状态');
  });
});
