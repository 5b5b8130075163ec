import { describe, expect, it } from 'vitest';
import { ApiError, describeError, fieldErrors } from './errors';

const invalid = (field: string, message: string) =>
  new ApiError(400, {
    type: 'urn:keydesk:error:invalid-input',
    title: 'Bad Request',
    status: 400,
    detail: `${field} ${message}`,
    instance: '/api/v1/x',
    errors: [{ field, message }],
  });

const conflict = (detail: string) =>
  new ApiError(409, {
    type: 'urn:keydesk:error:conflict',
    title: 'Conflict',
    status: 409,
    detail,
    instance: '/api/v1/users/x',
  });

describe('accounts’ messages in Chinese', () => {
  it('a wrong current password, on its field', () => {
    expect(fieldErrors(invalid('currentPassword', 'is not your current password'))).toEqual({
      currentPassword: '当前密码不正确',
    });
  });

  it('districts given to a role without them, or unknown ones', () => {
    expect(fieldErrors(invalid('districtCodes', 'only supervisors have districts')).districtCodes).toBe(
      '只有科室负责人可以设置负责区县',
    );
    expect(fieldErrors(invalid('districtCodes', 'contains an unknown district code')).districtCodes).toBe(
      '含有不存在的区县',
    );
  });

  it('an admin may not deactivate themself or change their own role (so an active admin always remains)', () => {
    expect(describeError(conflict('you may not deactivate yourself or change your own role'))).toBe(
      '当前状态不允许此操作：不能停用自己或修改自己的角色',
    );
  });

  it('the last active admin (two admins removing each other at once) is kept', () => {
    expect(describeError(conflict('the last active admin cannot be deactivated or given another role'))).toBe(
      '当前状态不允许此操作：至少需要保留一名在职的管理员',
    );
  });

  it('a wait after too many wrong passwords', () => {
    const error = new ApiError(
      429,
      {
        type: 'urn:keydesk:error:too-many-requests',
        title: 'Too Many Requests',
        status: 429,
        detail: 'x',
        instance: '/api/v1/auth/password',
      },
      '120',
    );
    expect(describeError(error)).toBe('登录失败次数过多，请2 分钟后再试');
  });
});
