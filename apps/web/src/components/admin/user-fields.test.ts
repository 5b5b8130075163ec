import { describe, expect, it } from 'vitest';
import { changesBetween, districtText, editableOf, mergeTyped, type User } from './user-fields';

const names = new Map([
  ['220102', '南关区'],
  ['220104', '朝阳区'],
]);

const user: User = {
  id: 'u1',
  username: 'sup.test',
  displayName: '张三',
  role: 'supervisor',
  districtCodes: ['220102'],
  phone: null,
  active: true,
  version: 1,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

describe('districtText', () => {
  it('names a supervisor’s districts, calls none the whole city, and shows a dash for other roles', () => {
    expect(districtText({ role: 'supervisor', districtCodes: ['220102', '220104'] }, names)).toBe('南关区、朝阳区');
    expect(districtText({ role: 'supervisor', districtCodes: [] }, names)).toBe('全市');
    expect(districtText({ role: 'commissioner', districtCodes: [] }, names)).toBe('—');
  });
});

describe('changesBetween', () => {
  it('lists the changed fields in Chinese, codes as labels', () => {
    const before = editableOf(user);
    const after = { ...before, role: 'commissioner' as const, districtCodes: [], phone: '13800000000' };
    expect(changesBetween(before, after, names)).toEqual([
      { field: 'role', label: '角色', from: '科室负责人', to: '服务专员' },
      { field: 'districtCodes', label: '负责区县', from: '南关区', to: '—' },
      { field: 'phone', label: '手机号', from: '—', to: '13800000000' },
    ]);
  });
});

describe('mergeTyped', () => {
  it('keeps what the person typed and takes the latest values of the fields they left alone', () => {
    const seen = editableOf(user);
    const typed = { ...seen, displayName: '张三丰' };
    const latest = { ...seen, phone: '13800000000', districtCodes: ['220104'] };
    expect(mergeTyped(seen, typed, latest)).toEqual({
      displayName: '张三丰',
      role: 'supervisor',
      districtCodes: ['220104'],
      phone: '13800000000',
    });
  });
});
