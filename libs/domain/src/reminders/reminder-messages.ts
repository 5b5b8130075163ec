import type { DueReminderRow } from '../rules/reminder-rules';

/**
 * The words of each reminder, in Chinese, for a commissioner reading them on a phone: who,
 * what, when, how late. Times are Beijing time (no daylight saving, so a fixed +8 h).
 */

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

function shanghaiParts(date: Date): { year: number; month: number; day: number; hh: string; mm: string } {
  const local = new Date(date.getTime() + SHANGHAI_OFFSET_MS);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hh: String(local.getUTCHours()).padStart(2, '0'),
    mm: String(local.getUTCMinutes()).padStart(2, '0'),
  };
}

/** `11月27日` (with the year when it is not the current one). */
export function formatDay(date: Date, now: Date): string {
  const d = shanghaiParts(date);
  const year = d.year === shanghaiParts(now).year ? '' : `${d.year}年`;
  return `${year}${d.month}月${d.day}日`;
}

/** `11月27日 08:30`. */
export function formatMoment(date: Date, now: Date): string {
  const d = shanghaiParts(date);
  return `${formatDay(date, now)} ${d.hh}:${d.mm}`;
}

/** `3 天`, `30 小时`, `不到 1 小时`: hours up to two days, where "1 天" would hide too much. */
export function formatSpan(ms: number): string {
  if (ms >= 2 * DAY_MS) return `${Math.floor(ms / DAY_MS)} 天`;
  if (ms >= HOUR_MS) return `${Math.floor(ms / HOUR_MS)} 小时`;
  return '不到 1 小时';
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export interface Message {
  title: string;
  body: string;
}

export function reminderMessage(row: DueReminderRow, now: Date): Message {
  const enterprise = row.enterpriseName;
  const problem = `「${row.problemTitle ?? ''}」`;
  const due = row.dueMoment;
  const late = formatSpan(now.getTime() - due.getTime());
  const left = formatSpan(due.getTime() - now.getTime());
  const message = ((): Message => {
    switch (row.kind) {
      case 'visit_upcoming':
        return {
          title: `走访提醒：${enterprise}`,
          body: `${enterprise}的下次走访将于${formatDay(due, now)}到期（还有 ${left}），请提前安排。`,
        };
      case 'visit_overdue':
        return {
          title: `走访逾期：${enterprise}`,
          body: `${enterprise}的走访已于${formatDay(due, now)}到期，已逾期 ${late}，请尽快走访并登记。`,
        };
      case 'problem_due_soon':
        return {
          title: `问题即将到期：${row.problemTitle}`,
          body: `${enterprise}的问题${problem}将于${formatMoment(due, now)}到期（还剩 ${left}），请抓紧办理。`,
        };
      case 'problem_overdue':
        return {
          title: `问题已逾期：${row.problemTitle}`,
          body:
            now.getTime() - due.getTime() < HOUR_MS
              ? `${enterprise}的问题${problem}已于${formatMoment(due, now)}到期，尚未办结，请尽快处理。`
              : `${enterprise}的问题${problem}已于${formatMoment(due, now)}到期，已逾期 ${late}，请尽快处理。`,
        };
      case 'problem_escalated':
        return {
          title: `问题严重逾期：${row.problemTitle}`,
          body: `${enterprise}的问题${problem}已逾期 ${late}（${formatMoment(due, now)}到期），仍未办结，已升级至管理员督办。`,
        };
      case 'demand_stale':
        return {
          title: `用工需求待更新：${enterprise}`,
          body: `${enterprise}有 ${row.itemCount ?? 0} 条在招用工需求，已 ${late}未更新，请核实招聘进展并更新。`,
        };
    }
  })();
  return { title: clip(message.title, 200), body: clip(message.body, 4000) };
}

/** One line of a digest: a category of pending work, how many, and the first few by name. */
export interface DigestLine {
  category: DigestCategory;
  count: number;
  examples: string[];
}

export const DIGEST_CATEGORIES = [
  'visit_overdue',
  'problem_overdue',
  'problem_due_soon',
  'awaiting_review',
  'problem_escalated',
  'demand_stale',
] as const;
export type DigestCategory = (typeof DIGEST_CATEGORIES)[number];

const DIGEST_LABELS: Record<DigestCategory, (count: number) => string> = {
  visit_overdue: (n) => `走访逾期的企业 ${n} 家`,
  problem_overdue: (n) => `已逾期的问题 ${n} 个`,
  problem_due_soon: (n) => `24 小时内到期的问题 ${n} 个`,
  awaiting_review: (n) => `待审核的问题 ${n} 个`,
  problem_escalated: (n) => `严重逾期（已升级）的问题 ${n} 个`,
  demand_stale: (n) => `用工需求久未更新的企业 ${n} 家`,
};

export function digestMessage(day: Date, lines: DigestLine[], now: Date): Message {
  const ordered = [...lines].sort(
    (a, b) => DIGEST_CATEGORIES.indexOf(a.category) - DIGEST_CATEGORIES.indexOf(b.category),
  );
  const body = ordered
    .map((line) => {
      const more = line.count > line.examples.length ? ' 等' : '';
      return `· ${DIGEST_LABELS[line.category](line.count)}：${line.examples.map((e) => clip(e, 40)).join('、')}${more}`;
    })
    .join('\n');
  return { title: `每日待办 · ${formatDay(day, now)}`, body: clip(body, 4000) };
}
