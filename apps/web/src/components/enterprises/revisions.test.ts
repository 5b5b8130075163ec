import { describe, expect, it } from 'vitest';
import type { Schemas } from '@/api/client';
import { describeChanges, fieldLabel, formatChangeValue, revisionsSince } from './revisions';

const names = {
  districts: new Map([['220102', '南关区']]),
  industries: new Map([['C', '制造业']]),
  users: new Map([['u-1', '张伟']]),
};

describe('revisions', () => {
  it('shows code fields by their labels and names', () => {
    const lines = describeChanges(
      {
        tier: { from: 'district', to: 'provincial' },
        districtCode: { from: null, to: '220102' },
        industryCode: { from: 'C', to: 'Q' },
        commissionerId: { from: null, to: 'u-1' },
        status: { from: 'active', to: 'archived' },
      },
      names,
    );
    expect(lines.map((l) => `${l.label}：${l.from} → ${l.to}`)).toEqual([
      '所属区县：（空） → 南关区',
      '行业：制造业 → （未知行业）',
      '重点企业类别：区级重点 → 省级重点',
      '服务专员：（空） → 张伟',
      '状态：正常 → 已归档',
    ]);
  });

  it('shows numbers, cadences and times as a person reads them', () => {
    expect(formatChangeValue('employeeCount', 12345, names)).toBe('12,345');
    expect(formatChangeValue('visitCadenceDays', null, names)).toBe('按类别默认');
    expect(formatChangeValue('visitCadenceDays', 14, names)).toBe('14 天');
    expect(formatChangeValue('lastVisitAt', '2026-11-30T16:50:00.000Z', names)).toBe('2026-12-01 00:50');
    expect(fieldLabel('contactPhone')).toBe('联系电话');
    expect(fieldLabel('somethingNew')).toBe('其他信息');
  });

  it('picks the revisions after a reading, oldest first', () => {
    const revision = (version: number) => ({ version }) as Schemas['EnterpriseRevisionView'];
    expect(revisionsSince([revision(5), revision(4), revision(3), revision(2)], 3).map((r) => r.version)).toEqual([
      4, 5,
    ]);
  });
});
