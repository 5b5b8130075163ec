import { describe, expect, it } from 'vitest';
import type { Schemas } from '@/api/client';
import { conflictExplanation, eventTitle } from './problem-conflict';

const event = (over: Partial<Schemas['ProblemEventView']>): Schemas['ProblemEventView'] => ({
  id: 'e',
  type: 'transition',
  action: null,
  actor: { id: 'u1', displayName: '王建国' },
  at: '2026-12-01T02:00:00Z',
  data: null,
  fromStatus: null,
  toStatus: null,
  note: null,
  ...over,
});

describe('a refused action explained', () => {
  it('names who acted since the page read the problem, when (Beijing time), and the state now', () => {
    const problem = {
      status: 'closed',
      events: [
        event({ type: 'created', at: '2026-11-30T01:00:00Z' }),
        event({ action: 'resolve', at: '2026-11-30T02:00:00Z', actor: { id: 'c', displayName: '张伟' } }),
        event({ action: 'approve', at: '2026-12-01T02:05:00Z', actor: { id: 's', displayName: '李秀兰' } }),
        event({ type: 'comment', at: '2026-12-01T02:06:00Z', actor: { id: 'x', displayName: '评论人' } }),
      ],
    } as Schemas['ProblemDetailView'];
    expect(conflictExplanation(problem, '2026-11-30T02:00:00Z')).toBe(
      '该问题已被 李秀兰 于 2026-12-01 10:05 审核通过，当前状态：已办结',
    );
  });

  it('names the action of a transition, and the kind of any other event', () => {
    expect(eventTitle(event({ action: 'reject' }))).toBe('退回');
    expect(eventTitle(event({ type: 'escalated', actor: null }))).toBe('逾期升级');
  });
});
