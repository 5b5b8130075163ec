import type { Role } from '@keydesk/database';
import { allowedProblemActions } from '@keydesk/rules';
import { ApiError, describeError } from '@/api/errors';

/** The actions the phone offers on a problem: starting and finishing the work (the rest is the desktop's). */
export const PHONE_PROBLEM_ACTIONS = ['start', 'resolve'] as const;
export type PhoneProblemAction = (typeof PHONE_PROBLEM_ACTIONS)[number];

/** Of the phone's actions, those this person may take on this problem now (the shared state machine decides). */
export function phoneActions(
  problem: Parameters<typeof allowedProblemActions>[0],
  actor: { id: string; role: Role } | null,
): PhoneProblemAction[] {
  if (!actor) return [];
  const allowed = allowedProblemActions(problem, actor);
  return PHONE_PROBLEM_ACTIONS.filter((action) => allowed.includes(action));
}

/**
 * What to say when an action on a problem failed. A 409 means the problem changed under the
 * person's hand (someone else acted first, or it moved on): the list is reloaded with it.
 */
export function actionFailureText(error: unknown): { text: string; reload: boolean } {
  if (error instanceof ApiError && error.status === 409) {
    return { text: '该问题已被他人处理或已有更新，已为您刷新列表，请查看最新状态', reload: true };
  }
  if (error instanceof ApiError && error.status === 404) {
    return { text: '该问题已不存在或已不由您承办，已为您刷新列表', reload: true };
  }
  return { text: describeError(error), reload: false };
}

type Subject = { subjectType: 'enterprise' | 'problem' | 'user'; subjectId: string };

/**
 * Where a reminder leads from the phone: an enterprise's phone page; a problem's own (desktop)
 * page, which shows that problem whatever its state, with its timeline; the daily digest to the
 * problems still to work.
 */
export function phoneTarget(item: Subject): string {
  switch (item.subjectType) {
    case 'enterprise':
      return `/m/enterprises/${item.subjectId}`;
    case 'problem':
      return `/problems/${item.subjectId}`;
    default:
      return '/m/problems';
  }
}
