import type { ProblemStatus } from '@keydesk/database';
import type { Actor } from './actor';
import {
  canManageDistrict,
  canSeeEnterprise,
  canSeeProblem,
  enterpriseScopeCondition,
  isManager,
  problemScopeCondition,
} from './scope';

const actor = (role: Actor['role'], districtCodes: string[] = [], id = 'me'): Actor => ({
  id,
  username: id,
  role,
  districtCodes,
});
const enterprise = (districtCode: string, commissionerId: string | null) => ({ districtCode, commissionerId });
const problem = (assigneeId: string | null, status: ProblemStatus = 'open') => ({ assigneeId, status });

// People and places used throughout: 220102 南关区, 220104 朝阳区, 220105 二道区.
const admin = actor('admin', [], 'admin');
const citySupervisor = actor('supervisor', [], 'city');
const southSupervisor = actor('supervisor', ['220102', '220104'], 'south');
const zhang = actor('commissioner', [], 'zhang');
const liu = actor('commissioner', [], 'liu');

describe('who sees an enterprise', () => {
  it('shows a commissioner only the enterprises assigned to them', () => {
    expect(canSeeEnterprise(zhang, enterprise('220102', 'zhang'))).toBe(true);
    expect(canSeeEnterprise(zhang, enterprise('220102', 'liu'))).toBe(false);
    expect(canSeeEnterprise(zhang, enterprise('220102', null))).toBe(false);
  });

  it('shows a supervisor the enterprises in their districts, whoever holds them, or the whole city without districts', () => {
    expect(canSeeEnterprise(southSupervisor, enterprise('220104', null))).toBe(true);
    expect(canSeeEnterprise(southSupervisor, enterprise('220102', 'zhang'))).toBe(true);
    expect(canSeeEnterprise(southSupervisor, enterprise('220105', 'zhang'))).toBe(false);
    // Being named as an enterprise's commissioner gives a supervisor nothing outside their districts.
    expect(canSeeEnterprise(southSupervisor, enterprise('220105', 'south'))).toBe(false);
    expect(canSeeEnterprise(citySupervisor, enterprise('220184', null))).toBe(true);
  });

  it('shows an admin everything', () => {
    expect(canSeeEnterprise(admin, enterprise('220184', 'x'))).toBe(true);
    expect(canSeeEnterprise(actor('admin', ['220102']), enterprise('220105', null))).toBe(true);
  });
});

describe('who sees a problem', () => {
  it('shows it with its enterprise, to anyone who sees the enterprise, whoever it is assigned to', () => {
    for (const assignee of ['zhang', 'liu', null]) {
      expect(canSeeProblem(zhang, problem(assignee), enterprise('220105', 'zhang'))).toBe(true);
      expect(canSeeProblem(southSupervisor, problem(assignee), enterprise('220104', 'liu'))).toBe(true);
      expect(canSeeProblem(citySupervisor, problem(assignee), enterprise('220173', null))).toBe(true);
      expect(canSeeProblem(admin, problem(assignee), enterprise('220173', 'liu'))).toBe(true);
    }
  });

  it("shows a commissioner the problems assigned to them on other commissioners' enterprises", () => {
    expect(canSeeProblem(zhang, problem('zhang'), enterprise('220104', 'liu'))).toBe(true);
    expect(canSeeProblem(zhang, problem('zhang'), enterprise('220104', null))).toBe(true);
  });

  it('shows a commissioner the closed problems of their own enterprises only, whoever they were assigned to', () => {
    expect(canSeeProblem(zhang, problem('zhang', 'closed'), enterprise('220104', 'liu'))).toBe(false);
    expect(canSeeProblem(zhang, problem('zhang', 'closed'), enterprise('220104', null))).toBe(false);
    expect(canSeeProblem(zhang, problem('liu', 'closed'), enterprise('220104', 'zhang'))).toBe(true);
    for (const status of ['open', 'in_progress', 'resolved'] as const) {
      expect(canSeeProblem(zhang, problem('zhang', status), enterprise('220104', 'liu'))).toBe(true);
    }
    expect(canSeeProblem(southSupervisor, problem('zhang', 'closed'), enterprise('220104', 'liu'))).toBe(true);
  });

  it("hides from a commissioner the problems of other commissioners' enterprises that are not assigned to them", () => {
    expect(canSeeProblem(zhang, problem('liu'), enterprise('220102', 'liu'))).toBe(false);
    expect(canSeeProblem(zhang, problem(null), enterprise('220102', 'liu'))).toBe(false);
    expect(canSeeProblem(zhang, problem(null), enterprise('220102', null))).toBe(false);
    expect(canSeeProblem(liu, problem('zhang'), enterprise('220102', 'zhang'))).toBe(false);
  });

  it('hides from a supervisor the problems outside their districts, even one assigned to them', () => {
    expect(canSeeProblem(southSupervisor, problem('zhang'), enterprise('220105', 'zhang'))).toBe(false);
    expect(canSeeProblem(southSupervisor, problem('south'), enterprise('220105', 'zhang'))).toBe(false);
  });
});

describe('scope conditions for lists', () => {
  /** Every combination the predicates distinguish, for a caller to be judged against. */
  const enterprises = ['220102', '220104', '220105'].flatMap((district) =>
    ['zhang', 'liu', 'south', null].map((commissioner) => enterprise(district, commissioner)),
  );
  const problems = enterprises.flatMap((e) =>
    ['zhang', 'liu', 'south', null].flatMap((a) =>
      (['open', 'closed'] as const).map((status) => ({ p: problem(a, status), e })),
    ),
  );

  it('filters nothing for exactly the callers who see every enterprise and every problem', () => {
    for (const caller of [admin, citySupervisor, southSupervisor, zhang, liu]) {
      const seesAllEnterprises = enterprises.every((e) => canSeeEnterprise(caller, e));
      const seesAllProblems = problems.every(({ p, e }) => canSeeProblem(caller, p, e));
      expect({ caller: caller.id, filtered: enterpriseScopeCondition(caller, 'e') !== null }).toEqual({
        caller: caller.id,
        filtered: !seesAllEnterprises,
      });
      expect({ caller: caller.id, filtered: problemScopeCondition(caller, 'p', 'e') !== null }).toEqual({
        caller: caller.id,
        filtered: !seesAllProblems,
      });
    }
    // Whether a filtering condition selects the same rows as the predicates takes PostgreSQL:
    // enterprise lists are checked against the predicate in test/scope.e2e-spec.ts.
  });
});

describe('where an enterprise may be placed', () => {
  it('lets supervisors place enterprises in their districts only, admins anywhere, commissioners nowhere', () => {
    expect(canManageDistrict(actor('supervisor', ['220102']), '220102')).toBe(true);
    expect(canManageDistrict(actor('supervisor', ['220102']), '220103')).toBe(false);
    expect(canManageDistrict(citySupervisor, '220103')).toBe(true);
    expect(canManageDistrict(admin, '220103')).toBe(true);
    expect(canManageDistrict(zhang, '220102')).toBe(false);
  });

  it('counts supervisors and admins as managers, commissioners not', () => {
    expect([admin, citySupervisor, southSupervisor, zhang].map(isManager)).toEqual([true, true, true, false]);
  });
});
