// Times are shown in Asia/Shanghai whatever the browser's zone is: the bureau's day.
const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const date = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const number = new Intl.NumberFormat('zh-CN');

function parts(format: Intl.DateTimeFormat, value: Date): Record<string, string> {
  return Object.fromEntries(format.formatToParts(value).map((p) => [p.type, p.value]));
}

/** `YYYY-MM-DD HH:mm` in Asia/Shanghai; a dash for none. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return '—';
  const p = parts(dateTime, new Date(value));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** `YYYY-MM-DD` in Asia/Shanghai; a dash for none. */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '—';
  const p = parts(date, new Date(value));
  return `${p.year}-${p.month}-${p.day}`;
}

/** Thousands separators: 12,345. */
export function formatNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : number.format(value);
}

const DAY = 86_400_000;
// Asia/Shanghai has kept UTC+8 without daylight saving since 1991: a calendar day there is a
// fixed shift of UTC.
const SHANGHAI = 8 * 3_600_000;
const shanghaiDay = (time: number) => Math.floor((time + SHANGHAI) / DAY);

/**
 * How late something due at `due` is, in the bureau's calendar days: null when not yet due (or no
 * due date), 0 when it fell due earlier today, else the days since its due day.
 */
export function lateDays(due: string | Date | null | undefined, now: Date = new Date()): number | null {
  if (!due) return null;
  const dueTime = new Date(due).getTime();
  if (Number.isNaN(dueTime) || dueTime >= now.getTime()) return null;
  return shanghaiDay(now.getTime()) - shanghaiDay(dueTime);
}

/** "逾期 3 天" / "今日已到期" for something late (a visit, a problem); empty when it is not. */
export function lateText(due: string | Date | null | undefined, now: Date = new Date()): string {
  const days = lateDays(due, now);
  if (days === null) return '';
  return days === 0 ? '今日已到期' : `逾期 ${days} 天`;
}
