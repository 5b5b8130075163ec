import { describe, expect, it } from 'vitest';
import { creditCodeCheckCharacter } from '@keydesk/rules';
import type { Schemas } from '@/api/client';
import { ApiError } from '@/api/errors';
import {
  changedFields,
  collisions,
  creditCodeProblem,
  draftOf,
  editableFields,
  enterpriseFieldErrors,
  normalizeCreditCode,
  phoneProblem,
  reapply,
} from './enterprise-form';

const enterprise = {
  name: '长春一汽配件有限公司',
  creditCode: '91350100M000100Y43',
  districtCode: '220102',
  industryCode: 'C',
  address: '长春市南关区人民大街 1 号',
  tier: 'municipal',
  employeeCount: 120,
  contactName: '张三',
  contactPhone: '13912345678',
  visitCadenceDays: 30,
  customVisitCadence: false,
} as Schemas['EnterpriseView'];

describe('credit code as typed', () => {
  it('accepts a valid code and says why another is wrong, in Chinese', () => {
    expect(creditCodeProblem('91350100M000100Y43')).toBeNull();
    expect(creditCodeProblem('91350100M000100Y44')).toBe('校验位不符，请核对');
    expect(creditCodeProblem('9135')).toBe('应为 18 位，已输入 4 位');
    expect(creditCodeProblem('91350100M000100Y430')).toBe('应为 18 位，已输入 19 位');
    expect(creditCodeProblem('91350100M000100O43')).toMatch(/不用 I、O、Z、S、V/);
    expect(creditCodeProblem('')).toBe('请输入统一社会信用代码');
    const first17 = '91ABCDEFM000100Y4';
    expect(creditCodeProblem(first17 + creditCodeCheckCharacter(first17))).toMatch(/行政区划代码/);
  });

  it('keeps a code in capitals without spaces', () => {
    expect(normalizeCreditCode(' 91350100m000 100y43 ')).toBe('91350100M000100Y43');
  });
});

describe('phone', () => {
  it('takes a mobile or a landline', () => {
    expect(phoneProblem('13912345678')).toBeNull();
    expect(phoneProblem('0431-88886666')).toBeNull();
    expect(phoneProblem('12345')).toMatch(/手机号/);
    expect(phoneProblem(' ')).toBe('请输入联系电话');
  });
});

describe('editing the profile', () => {
  it('offers a commissioner only what they keep current', () => {
    expect([...editableFields('commissioner')].sort()).toEqual([
      'address',
      'contactName',
      'contactPhone',
      'employeeCount',
    ]);
    expect(editableFields('supervisor').has('creditCode')).toBe(true);
    expect(editableFields('admin').size).toBe(10);
  });

  it('reads the cadence as the enterprise’s own only when it has one', () => {
    expect(draftOf(enterprise).visitCadenceDays).toBeNull();
    expect(draftOf({ ...enterprise, customVisitCadence: true, visitCadenceDays: 14 }).visitCadenceDays).toBe(14);
  });

  it('sends only what changed, trimmed', () => {
    const base = draftOf(enterprise);
    expect(changedFields(base, { ...base, contactName: ' 张三 ' })).toEqual({});
    expect(changedFields(base, { ...base, contactName: ' 李四 ', visitCadenceDays: 14 })).toEqual({
      contactName: '李四',
      visitCadenceDays: 14,
    });
  });

  it('lays the person’s changes over a fresh record and names the fields both changed', () => {
    const before = draftOf(enterprise);
    const fresh = { ...before, contactName: '王五', address: '新地址 2 号' };
    const mine = { contactName: '李四', employeeCount: 130 };
    expect(reapply(fresh, mine)).toEqual({ ...fresh, contactName: '李四', employeeCount: 130 });
    expect(collisions(before, fresh, mine)).toEqual(['contactName']);
  });
});

describe('refusals by field', () => {
  it('puts a duplicate credit code and a district outside one’s own on their fields', () => {
    const duplicate = new ApiError(409, {
      type: 'urn:keydesk:error:conflict',
      title: 'Conflict',
      status: 409,
      detail: 'an enterprise with credit code 91350100M000100Y43 is already in the ledger',
      instance: '/api/v1/enterprises',
    });
    expect(enterpriseFieldErrors(duplicate)).toEqual({ creditCode: '该统一社会信用代码已在台账中' });
    const outside = new ApiError(403, {
      type: 'urn:keydesk:error:forbidden',
      title: 'Forbidden',
      status: 403,
      detail: 'district 220102 is outside your districts',
      instance: '/api/v1/enterprises',
    });
    expect(enterpriseFieldErrors(outside)).toEqual({ districtCode: '不在您负责的区县范围内' });
    const invalid = new ApiError(400, {
      type: 'urn:keydesk:error:invalid-input',
      title: 'Invalid input',
      status: 400,
      detail: '',
      instance: '/api/v1/enterprises',
      errors: [
        { field: 'contactPhone', message: 'must be a mainland mobile (11 digits) or landline number (0431-88886666)' },
      ],
    });
    expect(enterpriseFieldErrors(invalid).contactPhone).toMatch(/手机号/);
  });
});
