import type { Actor } from './actor';
import { canManageDistrict, canSeeEnterprise, enterpriseScopeCondition } from './scope';

const actor = (role: Actor['role'], districtCodes: string[] = [], id = 'me'): Actor => ({
  id,
  username: id,
  role,
  districtCodes,
});
const enterprise = (districtCode: string, commissionerId: string | null) => ({ districtCode, commissionerId });

describe('who sees an enterprise', () => {
  it('shows a commissioner only the enterprises assigned to them', () => {
    expect(canSeeEnterprise(actor('commissioner'), enterprise('220102', 'me'))).toBe(true);
    expect(canSeeEnterprise(actor('commissioner'), enterprise('220102', 'someone else'))).toBe(false);
    expect(canSeeEnterprise(actor('commissioner'), enterprise('220102', null))).toBe(false);
  });

  it('shows a supervisor the enterprises in their districts, or the whole city without districts', () => {
    const south = actor('supervisor', ['220102', '220104']);
    expect(canSeeEnterprise(south, enterprise('220104', null))).toBe(true);
    expect(canSeeEnterprise(south, enterprise('220105', 'me'))).toBe(false);
    expect(canSeeEnterprise(actor('supervisor'), enterprise('220184', null))).toBe(true);
  });

  it('shows an admin everything', () => {
    expect(canSeeEnterprise(actor('admin'), enterprise('220184', 'x'))).toBe(true);
  });

  it('expresses the same rule as a SQL condition for lists', () => {
    expect(enterpriseScopeCondition(actor('admin'), 'e')).toBeNull();
    expect(enterpriseScopeCondition(actor('supervisor'), 'e')).toBeNull();
    expect(enterpriseScopeCondition(actor('supervisor', ['220102']), 'e')).toEqual({
      sql: 'e.district_code = ANY(:scopeDistricts)',
      params: { scopeDistricts: ['220102'] },
    });
    expect(enterpriseScopeCondition(actor('commissioner', [], 'c1'), 'x')).toEqual({
      sql: 'x.commissioner_id = :scopeCommissioner',
      params: { scopeCommissioner: 'c1' },
    });
  });
});

describe('where an enterprise may be placed', () => {
  it('lets supervisors place enterprises in their districts only, admins anywhere, commissioners nowhere', () => {
    expect(canManageDistrict(actor('supervisor', ['220102']), '220102')).toBe(true);
    expect(canManageDistrict(actor('supervisor', ['220102']), '220103')).toBe(false);
    expect(canManageDistrict(actor('supervisor'), '220103')).toBe(true);
    expect(canManageDistrict(actor('admin'), '220103')).toBe(true);
    expect(canManageDistrict(actor('commissioner'), '220102')).toBe(false);
  });
});
