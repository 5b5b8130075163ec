import { ConflictError, ForbiddenError, InvalidInputError } from '@keydesk/common';
import { PRIORITIES, PROBLEM_CATEGORIES } from '@keydesk/database';
import type { Priority, ProblemCategory, ProblemStatus, Role } from '@keydesk/database';
import {
  allowedProblemActions,
  decideTransition,
  dueAtFor,
  mayEditProblem,
  isProblemOverdue,
  PROBLEM_ACTIONS,
  ProblemAction,
  problemFieldErrors,
  transitionFieldErrors,
} from './problem-rules';

const STATUSES: ProblemStatus[] = ['open', 'in_progress', 'resolved', 'closed'];
const needs = { note: 'why', resolution: 'done', assigneeId: 'c2' };

/** SPEC's table, written out independently of the implementation's. */
const EXPECTED: Record<ProblemAction, { from: ProblemStatus[]; to: ProblemStatus | 'same'; who: string[] }> = {
  start: { from: ['open'], to: 'in_progress', who: ['assignee', 'supervisor'] },
  resolve: { from: ['open', 'in_progress'], to: 'resolved', who: ['assignee', 'supervisor'] },
  approve: { from: ['resolved'], to: 'closed', who: ['supervisor', 'admin'] },
  reject: { from: ['resolved'], to: 'in_progress', who: ['supervisor', 'admin'] },
  reopen: { from: ['closed'], to: 'in_progress', who: ['supervisor', 'admin'] },
  reassign: { from: ['open', 'in_progress', 'resolved'], to: 'same', who: ['supervisor', 'admin'] },
  comment: { from: STATUSES, to: 'same', who: ['assignee', 'supervisor', 'admin', 'commissioner'] },
};

const callers: { name: string; actor: { id: string; role: Role } }[] = [
  { name: 'assignee', actor: { id: 'c1', role: 'commissioner' } },
  { name: 'commissioner', actor: { id: 'c9', role: 'commissioner' } },
  { name: 'supervisor', actor: { id: 's1', role: 'supervisor' } },
  { name: 'admin', actor: { id: 'a1', role: 'admin' } },
];

describe('the problem state machine', () => {
  for (const action of PROBLEM_ACTIONS) {
    for (const status of STATUSES) {
      for (const { name, actor } of callers) {
        const rule = EXPECTED[action];
        const mayAct = rule.who.includes(name);
        const allowedFrom = rule.from.includes(status);
        const outcome = !mayAct ? '403' : !allowedFrom ? '409' : rule.to === 'same' ? status : rule.to;
        it(`${action} from ${status} by ${name} → ${outcome}`, () => {
          const run = () => decideTransition({ status, assigneeId: 'c1' }, actor, { action, ...needs });
          if (!mayAct) expect(run).toThrow(ForbiddenError);
          else if (!allowedFrom) expect(run).toThrow(new RegExp(status));
          else expect(run()).toBe(rule.to === 'same' ? status : rule.to);
        });
      }
    }
  }

  it('names the current state when the table does not allow the action', () => {
    expect(() =>
      decideTransition({ status: 'closed', assigneeId: 'c1' }, callers[2].actor, { action: 'approve' }),
    ).toThrow(ConflictError);
    expect(() =>
      decideTransition({ status: 'closed', assigneeId: 'c1' }, callers[2].actor, { action: 'approve' }),
    ).toThrow(/closed/);
  });

  it.each([
    ['resolve', 'resolution'],
    ['reject', 'note'],
    ['reopen', 'note'],
    ['comment', 'note'],
    ['reassign', 'assigneeId'],
  ] as const)('%s needs %s (blank counts as missing)', (action, field) => {
    const status: ProblemStatus = action === 'reject' ? 'resolved' : action === 'reopen' ? 'closed' : 'open';
    const supervisor = callers[2].actor;
    for (const value of [undefined, '   ']) {
      let error: unknown;
      try {
        decideTransition({ status, assigneeId: 'c1' }, supervisor, { action, [field]: value });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).errors).toEqual([expect.objectContaining({ field })]);
    }
  });

  it('gives nobody the assignee rights on an unassigned problem', () => {
    expect(() =>
      decideTransition({ status: 'open', assigneeId: null }, { id: 'c1', role: 'commissioner' }, { action: 'start' }),
    ).toThrow(ForbiddenError);
  });
});

describe('the actions offered to a person', () => {
  it('are exactly the ones a transition would accept, for every status and caller', () => {
    for (const status of STATUSES) {
      for (const { name, actor } of callers) {
        const offered = allowedProblemActions({ status, assigneeId: 'c1' }, actor);
        const expected = PROBLEM_ACTIONS.filter(
          (action) => EXPECTED[action].from.includes(status) && EXPECTED[action].who.includes(name),
        );
        expect({ status, name, offered }).toEqual({ status, name, offered: expected });
      }
    }
  });
});

describe('who may edit a problem', () => {
  it('is its assignee, a supervisor or an admin, until it is closed', () => {
    for (const status of STATUSES) {
      for (const { name, actor } of callers) {
        const expected = status !== 'closed' && ['assignee', 'supervisor', 'admin'].includes(name);
        expect({ status, name, may: mayEditProblem({ status, assigneeId: 'c1' }, actor) }).toEqual({
          status,
          name,
          may: expected,
        });
      }
    }
  });
});

describe('due dates', () => {
  const sla = { urgent: 1, high: 3, normal: 7, low: 15 };
  const reported = new Date('2026-11-27T10:00:00+08:00');

  it('adds the SLA of the priority in calendar days (N × 24 h)', () => {
    expect(dueAtFor(reported, 'urgent', sla).toISOString()).toBe('2026-11-28T02:00:00.000Z');
    expect(dueAtFor(reported, 'low', sla).toISOString()).toBe('2026-12-12T02:00:00.000Z');
  });

  it('counts a problem as overdue only while it is open or in progress', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    const dueAt = new Date('2026-11-30T00:00:00Z');
    expect(isProblemOverdue({ status: 'open', dueAt }, now)).toBe(true);
    expect(isProblemOverdue({ status: 'in_progress', dueAt }, now)).toBe(true);
    expect(isProblemOverdue({ status: 'resolved', dueAt }, now)).toBe(false);
    expect(isProblemOverdue({ status: 'closed', dueAt }, now)).toBe(false);
    expect(isProblemOverdue({ status: 'open', dueAt: new Date('2026-12-02T00:00:00Z') }, now)).toBe(false);
  });
});

describe('a problem’s fields', () => {
  const valid = { title: '招工难', description: '', category: 'recruitment', priority: 'normal' } as const;
  const fieldsOf = (errors: { field: string }[]) => errors.map((error) => error.field);

  it('accepts every category and priority of the schema', () => {
    for (const category of PROBLEM_CATEGORIES) expect(problemFieldErrors({ ...valid, category })).toEqual([]);
    for (const priority of PRIORITIES) expect(problemFieldErrors({ ...valid, priority })).toEqual([]);
  });

  it('checks only the fields sent', () => {
    expect(problemFieldErrors({})).toEqual([]);
    expect(problemFieldErrors({ priority: 'high' })).toEqual([]);
  });

  it('names every fault at once', () => {
    const errors = problemFieldErrors({
      title: ' a ',
      description: 'x'.repeat(4001),
      category: 'weather' as ProblemCategory,
      priority: 'asap' as Priority,
    });
    expect(fieldsOf(errors)).toEqual(['title', 'description', 'category', 'priority']);
    expect(errors[2].message).toBe(`must be one of ${PROBLEM_CATEGORIES.join(', ')}`);
  });

  it('bounds the title to 2..200 characters, padding aside, counting characters as the column does', () => {
    expect(problemFieldErrors({ title: '  招工  ' })).toEqual([]);
    expect(problemFieldErrors({ title: '😀'.repeat(200) })).toEqual([]);
    expect(problemFieldErrors({ title: '招'.repeat(201) })).toEqual([
      { field: 'title', message: 'must be at most 200 characters' },
    ]);
  });

  it('bounds a transition’s note and resolution to 4000 characters', () => {
    expect(transitionFieldErrors({ note: 'x'.repeat(4000), resolution: '' })).toEqual([]);
    expect(fieldsOf(transitionFieldErrors({ note: 'x'.repeat(4001), resolution: 'y'.repeat(4001) }))).toEqual([
      'note',
      'resolution',
    ]);
  });
});
