import { describe, expect, it } from 'vitest';
import { ApiError } from '@/api/errors';
import { actionFailureText, phoneActions, phoneTarget } from './mobile-rules';

const me = { id: 'u1', role: 'commissioner' as const };

describe('the phone’s problem actions', () => {
  it('offers 开始办理 and 办结 on an open problem of one’s own, 办结 alone once started', () => {
    expect(phoneActions({ status: 'open', assigneeId: 'u1' }, me)).toEqual(['start', 'resolve']);
    expect(phoneActions({ status: 'in_progress', assigneeId: 'u1' }, me)).toEqual(['resolve']);
  });

  it('offers nothing on someone else’s problem, on a resolved one, or without a session', () => {
    expect(phoneActions({ status: 'open', assigneeId: 'u2' }, me)).toEqual([]);
    expect(phoneActions({ status: 'resolved', assigneeId: 'u1' }, me)).toEqual([]);
    expect(phoneActions({ status: 'open', assigneeId: 'u1' }, null)).toEqual([]);
  });

  it('never offers the desktop’s review actions, even to a supervisor', () => {
    expect(phoneActions({ status: 'resolved', assigneeId: 'u1' }, { id: 's', role: 'supervisor' })).toEqual([]);
  });

  it('says in Chinese that someone acted first on a 409, and reloads', () => {
    const conflict = new ApiError(409, {
      type: 'urn:keydesk:error:version-conflict',
      title: 'Conflict',
      status: 409,
      detail: 'stale',
      instance: '/x',
    });
    expect(actionFailureText(conflict)).toEqual({ text: expect.stringContaining('他人处理'), reload: true });
    expect(actionFailureText(new ApiError(0, null))).toEqual({
      text: '无法连接服务器，请检查网络后重试',
      reload: false,
    });
  });
});

describe('where a reminder leads from the phone', () => {
  it('opens the enterprise on the phone, a problem on its page, the digest at the problems', () => {
    expect(phoneTarget({ subjectType: 'enterprise', subjectId: 'e1' })).toBe('/m/enterprises/e1');
    expect(phoneTarget({ subjectType: 'problem', subjectId: 'p1' })).toBe('/problems/p1');
    expect(phoneTarget({ subjectType: 'user', subjectId: 'u1' })).toBe('/m/problems');
  });
});
