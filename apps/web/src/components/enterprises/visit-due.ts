const DAY = 86_400_000;
// Asia/Shanghai has kept UTC+8 without daylight saving since 1991: a calendar day there is a
// fixed shift of UTC.
const SHANGHAI = 8 * 3_600_000;

function shanghaiDay(time: number): number {
  return Math.floor((time + SHANGHAI) / DAY);
}

/**
 * How late a visit due at `due` is, in the bureau's calendar days: null when not yet due (or no
 * due date), 0 when it fell due earlier today, else the days since its due day.
 */
export function visitLateDays(due: string | Date | null | undefined, now: Date = new Date()): number | null {
  if (!due) return null;
  const dueTime = new Date(due).getTime();
  if (Number.isNaN(dueTime) || dueTime >= now.getTime()) return null;
  return shanghaiDay(now.getTime()) - shanghaiDay(dueTime);
}

/** "逾期 3 天" / "今日到期" for a late visit; empty when it is not late. */
export function visitLateText(due: string | Date | null | undefined, now: Date = new Date()): string {
  const days = visitLateDays(due, now);
  if (days === null) return '';
  return days === 0 ? '今日已到期' : `逾期 ${days} 天`;
}
