import { digestMomentOf, beijingDay } from './digest.service';
import { formatSpan, reminderMessage, digestMessage } from './reminder-messages';
import { REMINDER_RULES, reminderApplies, ReminderRule } from './reminder-rules';
import type { ReminderOffsetsView } from '../settings/settings.view';

const offsets: ReminderOffsetsView = {
  visitUpcomingDays: 3,
  visitOverdueDays: 1,
  problemDueSoonHours: 24,
  problemLongOverdueDays: 3,
  demandStaleDays: 30,
};
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const rule = (kind: ReminderRule['kind']) => REMINDER_RULES.find((r) => r.kind === kind)!;
const due = new Date('2026-12-10T02:00:00Z');
const at = (ms: number) => new Date(due.getTime() + ms);

describe('reminder rules', () => {
  it('fires each kind at its moment and not a millisecond before', () => {
    const moments: [ReminderRule['kind'], number][] = [
      ['visit_upcoming', -3 * DAY],
      ['visit_overdue', DAY],
      ['problem_due_soon', -24 * HOUR],
      ['problem_overdue', 0],
      ['problem_escalated', 3 * DAY],
      ['demand_stale', 30 * DAY],
    ];
    for (const [kind, shift] of moments) {
      expect(reminderApplies(rule(kind), offsets, due, at(shift - 1))).toBe(false);
      expect(reminderApplies(rule(kind), offsets, due, at(shift))).toBe(true);
    }
  });

  it('never says "due soon" or "coming up" once the due moment has passed', () => {
    expect(reminderApplies(rule('problem_due_soon'), offsets, due, at(-1))).toBe(true);
    expect(reminderApplies(rule('problem_due_soon'), offsets, due, at(0))).toBe(false);
    expect(reminderApplies(rule('visit_upcoming'), offsets, due, at(10 * DAY))).toBe(false);
    // … while overdue and escalation still apply to a late entry.
    expect(reminderApplies(rule('problem_overdue'), offsets, due, at(30 * DAY))).toBe(true);
    expect(reminderApplies(rule('problem_escalated'), offsets, due, at(30 * DAY))).toBe(true);
  });

  it('follows the offsets in settings', () => {
    const sooner = { ...offsets, problemDueSoonHours: 48, visitOverdueDays: 0 };
    expect(reminderApplies(rule('problem_due_soon'), sooner, due, at(-47 * HOUR))).toBe(true);
    expect(reminderApplies(rule('visit_overdue'), sooner, due, at(0))).toBe(true);
  });

  it('sends problem reminders to the assignee, supervisors and admins as SPEC says, with levels 1 and 2', () => {
    expect(rule('problem_due_soon').to).toEqual(['assignee']);
    expect(rule('problem_overdue')).toMatchObject({ to: ['assignee', 'supervisors'], escalationLevel: 1 });
    expect(rule('problem_escalated')).toMatchObject({ to: ['admins'], escalationLevel: 2 });
    expect(rule('visit_overdue').to).toEqual(['commissioner', 'supervisors']);
  });
});

describe('reminder messages', () => {
  const base = {
    subjectType: 'problem' as const,
    subjectId: 'p',
    recipientId: 'u',
    dueMoment: due,
    enterpriseName: '长春一汽富维汽车零部件股份有限公司',
    problemTitle: '技术工人招聘缺口',
    itemCount: null,
  };

  it('says in Chinese what, where, when (Beijing time) and how late', () => {
    const overdue = reminderMessage({ ...base, kind: 'problem_overdue' }, at(2 * DAY + 5 * HOUR));
    expect(overdue.title).toBe('问题已逾期：技术工人招聘缺口');
    expect(overdue.body).toBe(
      '长春一汽富维汽车零部件股份有限公司的问题「技术工人招聘缺口」已于12月10日 10:00到期，已逾期 2 天，请尽快处理。',
    );
    const soon = reminderMessage({ ...base, kind: 'problem_due_soon' }, at(-5 * HOUR));
    expect(soon.body).toContain('还剩 5 小时');
    const stale = reminderMessage(
      { ...base, kind: 'demand_stale', subjectType: 'enterprise', problemTitle: null, itemCount: 4 },
      at(31 * DAY),
    );
    expect(stale.body).toBe(
      '长春一汽富维汽车零部件股份有限公司有 4 条在招用工需求，已 31 天未更新，请核实招聘进展并更新。',
    );
  });

  it('keeps titles within 200 characters', () => {
    const long = reminderMessage({ ...base, kind: 'problem_overdue', problemTitle: '缺'.repeat(200) }, at(DAY));
    expect(long.title.length).toBe(200);
    expect(long.title.endsWith('…')).toBe(true);
  });

  it('spans: days from two days on, hours below, and under an hour', () => {
    expect(formatSpan(3 * DAY + 5 * HOUR)).toBe('3 天');
    expect(formatSpan(5 * HOUR + 59 * 60 * 1000)).toBe('5 小时');
    expect(formatSpan(DAY + 6 * HOUR)).toBe('30 小时');
    expect(formatSpan(59 * 60 * 1000)).toBe('不到 1 小时');
  });

  it('lists a digest by category in a fixed order, naming the first few', () => {
    const message = digestMessage(
      new Date('2026-11-28T00:30:00Z'),
      [
        { category: 'awaiting_review', count: 1, examples: ['稳岗补贴申领'] },
        { category: 'visit_overdue', count: 5, examples: ['甲公司', '乙公司', '丙公司'] },
      ],
      new Date('2026-11-28T00:30:00Z'),
    );
    expect(message).toEqual({
      title: '每日待办 · 11月28日',
      body: '· 走访逾期的企业 5 家：甲公司、乙公司、丙公司 等\n· 待审核的问题 1 个：稳岗补贴申领',
    });
  });
});

describe('the digest moment', () => {
  it('is 08:30 Beijing time on the Beijing day, whatever the UTC date', () => {
    // 23:00 UTC on the 27th is already 07:00 on the 28th in Beijing.
    expect(digestMomentOf(new Date('2026-11-27T23:00:00Z')).toISOString()).toBe('2026-11-28T00:30:00.000Z');
    expect(digestMomentOf(new Date('2026-11-28T15:59:00Z')).toISOString()).toBe('2026-11-28T00:30:00.000Z');
    expect(beijingDay(new Date('2026-11-28T00:30:00Z'))).toBe('2026-11-28');
  });
});
