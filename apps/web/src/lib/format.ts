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

/** "3 天前" / "5 天后" for a moment relative to now, in whole days (for overdue marks). */
export function daysFrom(value: string | Date, now: Date = new Date()): number {
  return Math.floor((now.getTime() - new Date(value).getTime()) / 86_400_000);
}
