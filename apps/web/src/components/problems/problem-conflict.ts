import type { Schemas } from '@/api/client';
import { formatDateTime } from '@/lib/format';
import { label, PROBLEM_STATUS_LABELS } from '@/lib/labels';

type Problem = Schemas['ProblemDetailView'];
type ProblemEvent = Schemas['ProblemEventView'];

export const ACTION_LABELS: Record<string, string> = {
  start: '开始办理',
  resolve: '办结',
  approve: '审核通过',
  reject: '退回',
  reopen: '重新打开',
  reassign: '转派',
  comment: '评论',
};

const EVENT_LABELS: Record<ProblemEvent['type'], string> = {
  created: '登记问题',
  transition: '办理',
  comment: '评论',
  reassigned: '转派',
  escalated: '逾期升级',
  edited: '修改',
};

/** What an event of the timeline did, in a word or two. */
export function eventTitle(event: ProblemEvent): string {
  if (event.type === 'transition' && event.action) return ACTION_LABELS[event.action] ?? EVENT_LABELS.transition;
  return EVENT_LABELS[event.type];
}

/**
 * Why an action was refused with 409, as the person should read it: who acted on the problem
 * since this page read it, when, and what it is now ("已被 王建国 于 … 审核通过，当前状态：已办结").
 * `seen` is the time of the newest event the page had shown.
 */
export function conflictExplanation(now: Problem, seen: string | null): string {
  const newer = now.events.filter((event) => event.type !== 'comment' && (!seen || event.at > seen));
  const last = newer.at(-1);
  const state = `当前状态：${label(PROBLEM_STATUS_LABELS, now.status)}`;
  if (!last) return `该问题已被他人处理，${state}`;
  const who = last.actor?.displayName ?? '系统';
  return `该问题已被 ${who} 于 ${formatDateTime(last.at)} ${eventTitle(last)}，${state}`;
}
