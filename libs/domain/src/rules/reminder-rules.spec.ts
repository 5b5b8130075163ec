import { supervisorCoversSql } from '../access/scope';
import { DIGEST_CATEGORIES, formatSpan, reminderMessage, digestMessage } from '../reminders/reminder-messages';
import {
  beijingDay,
  digestItemsSql,
  digestMomentOf,
  ESCALATED_TO_ADMINS_LEVEL,
  REMINDER_RULES,
  reminderApplies,
  reminderBaseCutoff,
  ReminderRule,
  reminderRule,
} from './reminder-rules';
import { dueAtFor, problemOverdueSql } from './problem-rules';
import { nextVisitDueAt, visitOverdueSql } from './enterprise-rules';
import type { ReminderOffsets } from '@keydesk/database';

/** SPEC's defaults, written out here rather than read from the code. */
const offsets: ReminderOffsets = {
  visitUpcomingDays: 3,
  visitOverdueDays: 1,
  problemDueSoonHours: 24,
  problemLongOverdueDays: 3,
  demandStaleDays: 30,
};
const SLA_DAYS = { urgent: 1, high: 3, normal: 7, low: 15 };
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const due = new Date('2026-12-10T02:00:00Z');
const at = (ms: number) => new Date(due.getTime() + ms);
const iso = (value: string) => new Date(value);
const justBefore = (value: string) => new Date(Date.parse(value) - 1);

type Kind = ReminderRule['kind'];
type Subject = 'problem' | 'visit' | 'demands';
/** The kinds SPEC's table hangs off each subject. */
const KINDS_OF: Record<Subject, Kind[]> = {
  problem: ['problem_due_soon', 'problem_overdue', 'problem_escalated'],
  visit: ['visit_upcoming', 'visit_overdue'],
  demands: ['demand_stale'],
};

/** What applies to one subject at `now`, given its base moment (the rules' own answer, kind by kind). */
function applying(subject: Subject, base: Date, now: Date, settings: ReminderOffsets = offsets): Kind[] {
  return KINDS_OF[subject]
    .filter((kind) => {
      const rule = REMINDER_RULES.find((r) => r.kind === kind);
      if (!rule) throw new Error(`no rule for ${kind}`);
      return reminderApplies(rule, settings, base, now);
    })
    .sort();
}

describe("a problem's reminders, from its record and the settings", () => {
  // Reported at 09:00 Beijing time on 2 March 2026, priority high: 3 days of SLA.
  const reportedAt = iso('2026-03-02T01:00:00Z');
  const dueAt = dueAtFor(reportedAt, 'high', SLA_DAYS);

  it('is due 3 × 24 h after it was reported, at high priority', () => {
    expect(dueAt.toISOString()).toBe('2026-03-05T01:00:00.000Z');
  });

  it('says "due soon" 24 h before, "overdue" at the due moment, "escalated" 3 days after', () => {
    const timeline: [string, Kind[]][] = [
      ['2026-03-02T01:00:00.000Z', []],
      ['2026-03-04T00:59:59.999Z', []],
      ['2026-03-04T01:00:00.000Z', ['problem_due_soon']],
      ['2026-03-05T00:59:59.999Z', ['problem_due_soon']],
      // "Due soon" stops applying at the due moment, when "overdue" starts.
      ['2026-03-05T01:00:00.000Z', ['problem_overdue']],
      ['2026-03-08T00:59:59.999Z', ['problem_overdue']],
      ['2026-03-08T01:00:00.000Z', ['problem_escalated', 'problem_overdue']],
      // Overdue and escalated keep applying for as long as the problem stays unresolved.
      ['2026-09-30T00:00:00.000Z', ['problem_escalated', 'problem_overdue']],
    ];
    expect(timeline.map(([now]) => [now, applying('problem', dueAt, iso(now))])).toEqual(timeline);
  });

  it("counts each priority's SLA in calendar days of 24 h, across month ends", () => {
    const lateFebruary = iso('2026-02-20T16:30:00Z');
    expect(dueAtFor(lateFebruary, 'urgent', SLA_DAYS).toISOString()).toBe('2026-02-21T16:30:00.000Z');
    expect(dueAtFor(lateFebruary, 'high', SLA_DAYS).toISOString()).toBe('2026-02-23T16:30:00.000Z');
    expect(dueAtFor(lateFebruary, 'normal', SLA_DAYS).toISOString()).toBe('2026-02-27T16:30:00.000Z');
    expect(dueAtFor(lateFebruary, 'low', SLA_DAYS).toISOString()).toBe('2026-03-07T16:30:00.000Z');
  });

  it('gives a problem entered after the fact only what still applies: overdue at once, never "due soon"', () => {
    // Normal priority, reported 1 March 00:00 UTC: due 8 March 00:00 UTC.
    const late = dueAtFor(iso('2026-03-01T00:00:00Z'), 'normal', SLA_DAYS);
    expect(late.toISOString()).toBe('2026-03-08T00:00:00.000Z');
    expect(applying('problem', late, iso('2026-03-09T12:00:00Z'))).toEqual(['problem_overdue']);
    expect(applying('problem', late, iso('2026-03-12T00:00:00Z'))).toEqual(['problem_escalated', 'problem_overdue']);
  });

  it('moves every moment when a new priority moves the due date', () => {
    // Reported low (due 17 March), re-prioritised urgent (due 3 March): overdue on 4 March, not before.
    const low = dueAtFor(reportedAt, 'low', SLA_DAYS);
    const urgent = dueAtFor(reportedAt, 'urgent', SLA_DAYS);
    expect([low.toISOString(), urgent.toISOString()]).toEqual(['2026-03-17T01:00:00.000Z', '2026-03-03T01:00:00.000Z']);
    const fourthOfMarch = iso('2026-03-04T00:00:00Z');
    expect(applying('problem', low, fourthOfMarch)).toEqual([]);
    expect(applying('problem', urgent, fourthOfMarch)).toEqual(['problem_overdue']);
  });

  it('follows the SLA and offsets in settings', () => {
    const settings = { ...offsets, problemDueSoonHours: 48, problemLongOverdueDays: 7 };
    const longer = dueAtFor(reportedAt, 'high', { ...SLA_DAYS, high: 5 });
    expect(longer.toISOString()).toBe('2026-03-07T01:00:00.000Z');
    expect(applying('problem', longer, justBefore('2026-03-05T01:00:00.000Z'), settings)).toEqual([]);
    expect(applying('problem', longer, iso('2026-03-05T01:00:00.000Z'), settings)).toEqual(['problem_due_soon']);
    // Escalation 7 days after the due date, no longer 3.
    expect(applying('problem', longer, iso('2026-03-10T01:00:00.000Z'), settings)).toEqual(['problem_overdue']);
    expect(applying('problem', longer, justBefore('2026-03-14T01:00:00.000Z'), settings)).toEqual(['problem_overdue']);
    expect(applying('problem', longer, iso('2026-03-14T01:00:00.000Z'), settings)).toEqual([
      'problem_escalated',
      'problem_overdue',
    ]);
  });
});

describe("a visit's reminders, from the last visit and the cadence", () => {
  // A municipal enterprise (every 30 days) visited at 10:00 Beijing time on 2 March 2026.
  const visitedAt = iso('2026-03-02T02:00:00Z');
  const dueAt = nextVisitDueAt({ visitedAt, nextFollowUpAt: null }, 30)!;

  it('says "coming up" from 3 days before the next visit is due until it is due, "overdue" from a day after', () => {
    expect(dueAt.toISOString()).toBe('2026-04-01T02:00:00.000Z');
    const timeline: [string, Kind[]][] = [
      ['2026-03-29T01:59:59.999Z', []],
      ['2026-03-29T02:00:00.000Z', ['visit_upcoming']],
      ['2026-04-01T01:59:59.999Z', ['visit_upcoming']],
      // Due, but not yet a day late: neither.
      ['2026-04-01T02:00:00.000Z', []],
      ['2026-04-02T01:59:59.999Z', []],
      ['2026-04-02T02:00:00.000Z', ['visit_overdue']],
      ['2026-07-01T00:00:00.000Z', ['visit_overdue']],
    ];
    expect(timeline.map(([now]) => [now, applying('visit', dueAt, iso(now))])).toEqual(timeline);
  });

  it('counts from the follow-up date a visit set, and a new visit moves everything', () => {
    const followUp = nextVisitDueAt({ visitedAt, nextFollowUpAt: iso('2026-03-10T00:00:00Z') }, 30)!;
    expect(applying('visit', followUp, iso('2026-03-07T00:00:00Z'))).toEqual(['visit_upcoming']);
    expect(applying('visit', followUp, iso('2026-03-11T00:00:00Z'))).toEqual(['visit_overdue']);
    // Visited on 11 March at last: the next one is due 10 April, nothing applies on the 12th.
    const after = nextVisitDueAt({ visitedAt: iso('2026-03-11T00:00:00Z'), nextFollowUpAt: null }, 30)!;
    expect(after.toISOString()).toBe('2026-04-10T00:00:00.000Z');
    expect(applying('visit', after, iso('2026-03-12T00:00:00Z'))).toEqual([]);
  });

  it('follows the offsets in settings', () => {
    const settings = { ...offsets, visitUpcomingDays: 7, visitOverdueDays: 0 };
    expect(applying('visit', dueAt, iso('2026-03-25T02:00:00Z'), settings)).toEqual(['visit_upcoming']);
    expect(applying('visit', dueAt, iso('2026-04-01T02:00:00Z'), settings)).toEqual(['visit_overdue']);
  });
});

describe('a demand list going stale', () => {
  const lastUpdate = iso('2026-03-02T03:00:00Z');

  it('is stale 30 days after its open demands were last updated, and stays so', () => {
    expect(applying('demands', lastUpdate, justBefore('2026-04-01T03:00:00.000Z'))).toEqual([]);
    expect(applying('demands', lastUpdate, iso('2026-04-01T03:00:00.000Z'))).toEqual(['demand_stale']);
    expect(applying('demands', lastUpdate, iso('2026-08-01T00:00:00.000Z'))).toEqual(['demand_stale']);
  });

  it('starts the count again with an update', () => {
    const updated = iso('2026-03-20T03:00:00Z');
    expect(applying('demands', updated, iso('2026-04-01T03:00:00.000Z'))).toEqual([]);
    expect(applying('demands', updated, iso('2026-04-19T03:00:00.000Z'))).toEqual(['demand_stale']);
  });

  it('follows demandStaleDays in settings', () => {
    const settings = { ...offsets, demandStaleDays: 14 };
    expect(applying('demands', lastUpdate, justBefore('2026-03-16T03:00:00.000Z'), settings)).toEqual([]);
    expect(applying('demands', lastUpdate, iso('2026-03-16T03:00:00.000Z'), settings)).toEqual(['demand_stale']);
  });
});

describe('the cut-off lists filter with', () => {
  it('takes in exactly the bases whose reminder applies now (a stale demand list)', () => {
    const rule = reminderRule('demand_stale');
    const now = iso('2026-04-01T03:00:00.000Z');
    for (const settings of [offsets, { ...offsets, demandStaleDays: 14 }]) {
      const cutoff = reminderBaseCutoff(rule, settings, now);
      for (const base of [
        cutoff,
        justBefore(cutoff.toISOString()),
        new Date(cutoff.getTime() + 1),
        iso('2026-01-01T00:00:00Z'),
      ]) {
        expect({ base, stale: base.getTime() <= cutoff.getTime() }).toEqual({
          base,
          stale: reminderApplies(rule, settings, base, now),
        });
      }
    }
    expect(reminderBaseCutoff(rule, offsets, now).toISOString()).toBe('2026-03-02T03:00:00.000Z');
  });

  it('calls a problem escalated to the admins at the level "problem long overdue" leaves it at', () => {
    expect(ESCALATED_TO_ADMINS_LEVEL).toBe(2);
    expect(REMINDER_RULES.filter((rule) => rule.to.includes('admins')).map((rule) => rule.escalationLevel)).toEqual([
      ESCALATED_TO_ADMINS_LEVEL,
    ]);
  });
});

describe('who receives each reminder', () => {
  /** SPEC's "to" column; who those people are (scope, active users) is resolved in SQL, tested end to end. */
  const SPEC_RECIPIENTS: Record<Kind, string[]> = {
    visit_upcoming: ['commissioner'],
    visit_overdue: ['commissioner', 'supervisors'],
    problem_due_soon: ['assignee'],
    problem_overdue: ['assignee', 'supervisors'],
    problem_escalated: ['admins'],
    demand_stale: ['commissioner'],
  };

  it("has one rule for each of SPEC's reminders, sent to the people SPEC names", () => {
    const actual = Object.fromEntries(REMINDER_RULES.map((rule) => [rule.kind, [...rule.to].sort()]));
    expect(REMINDER_RULES).toHaveLength(Object.keys(SPEC_RECIPIENTS).length);
    expect(actual).toEqual(SPEC_RECIPIENTS);
  });

  it('raises a problem to escalation level 1 with "overdue" and 2 with "escalated", and nothing else', () => {
    const levels = Object.fromEntries(REMINDER_RULES.map((rule) => [rule.kind, rule.escalationLevel ?? 0]));
    expect(levels).toEqual({
      visit_upcoming: 0,
      visit_overdue: 0,
      problem_due_soon: 0,
      problem_overdue: 1,
      problem_escalated: 2,
      demand_stale: 0,
    });
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

describe('what the digest lists', () => {
  it('has a category for every reminder but the visit coming up, and one for the problems awaiting review', () => {
    const fromRules = REMINDER_RULES.filter((rule) => rule.digest !== null).map((rule) => rule.kind);
    expect([...fromRules, 'awaiting_review'].sort()).toEqual([...DIGEST_CATEGORIES].sort());
    expect(reminderRule('visit_upcoming').digest).toBeNull();
  });

  it('lists an overdue visit or problem from its due date, as the lists and the dashboard count it', () => {
    const overdue = REMINDER_RULES.filter((rule) => rule.digest === 'overdue').map((rule) => rule.kind);
    expect(overdue.sort()).toEqual(['problem_overdue', 'visit_overdue']);
    const sql = digestItemsSql(offsets);
    expect(sql).toContain(visitOverdueSql('e', '$1'));
    expect(sql).toContain(problemOverdueSql('p', '$1'));
    expect(sql).toContain(supervisorCoversSql('u', 'e'));
  });
});
