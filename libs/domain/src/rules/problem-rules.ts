import { ConflictError, ForbiddenError, InvalidInputError, type FieldError } from '@keydesk/common';
import {
  PRIORITIES,
  type Priority,
  PROBLEM_CATEGORIES,
  type ProblemCategory,
  type ProblemStatus,
  type Role,
} from '@keydesk/database';
import { codeError, textError } from './field-checks';

export const PROBLEM_ACTIONS = ['start', 'resolve', 'approve', 'reject', 'reopen', 'reassign', 'comment'] as const;
export type ProblemAction = (typeof PROBLEM_ACTIONS)[number];

type Who = 'assignee' | 'supervisor' | 'admin' | 'anyone';

interface TransitionRule {
  from: readonly ProblemStatus[];
  /** `null`: the status stays as it is. */
  to: ProblemStatus | null;
  who: readonly Who[];
  needs?: 'resolution' | 'note' | 'assigneeId';
}

const ALL: readonly ProblemStatus[] = ['open', 'in_progress', 'resolved', 'closed'];

/** SPEC's state machine, exactly. Anything it does not list is refused. */
export const PROBLEM_TRANSITIONS: Record<ProblemAction, TransitionRule> = {
  start: { from: ['open'], to: 'in_progress', who: ['assignee', 'supervisor'] },
  resolve: { from: ['open', 'in_progress'], to: 'resolved', who: ['assignee', 'supervisor'], needs: 'resolution' },
  approve: { from: ['resolved'], to: 'closed', who: ['supervisor', 'admin'] },
  reject: { from: ['resolved'], to: 'in_progress', who: ['supervisor', 'admin'], needs: 'note' },
  reopen: { from: ['closed'], to: 'in_progress', who: ['supervisor', 'admin'], needs: 'note' },
  reassign: { from: ['open', 'in_progress', 'resolved'], to: null, who: ['supervisor', 'admin'], needs: 'assigneeId' },
  comment: { from: ALL, to: null, who: ['anyone'], needs: 'note' },
};

export interface TransitionRequest {
  action: ProblemAction;
  note?: string;
  resolution?: string;
  assigneeId?: string;
}

/**
 * Decides a transition for someone who can already see the problem: 403 when their role may
 * not, 400 when what the action needs is missing, 409 (naming the state) when the state does
 * not allow it. Returns the status the problem moves to.
 */
export function decideTransition(
  problem: { status: ProblemStatus; assigneeId: string | null },
  actor: { id: string; role: Role },
  request: TransitionRequest,
): ProblemStatus {
  const rule = PROBLEM_TRANSITIONS[request.action];
  assertMayActOnProblem(problem, actor, request.action);
  if (rule.needs && !request[rule.needs]?.trim()) {
    throw InvalidInputError.field(rule.needs, `is required to ${request.action} a problem`);
  }
  if (!rule.from.includes(problem.status)) {
    throw new ConflictError(`a problem that is ${problem.status} cannot be ${pastTense(request.action)}`);
  }
  return rule.to ?? problem.status;
}

/**
 * The actions this person may take on this problem now: their role allows it and the state
 * machine does from the problem's status. The web app shows exactly these buttons.
 */
export function allowedProblemActions(
  problem: { status: ProblemStatus; assigneeId: string | null },
  actor: { id: string; role: Role },
): ProblemAction[] {
  return PROBLEM_ACTIONS.filter((action) => {
    const rule = PROBLEM_TRANSITIONS[action];
    return rule.from.includes(problem.status) && mayAct(rule.who, problem, actor);
  });
}

/**
 * Whether this person may edit the problem's fields (title, description, category, priority)
 * now: an assignee, a supervisor or an admin, until it is closed.
 */
export function mayEditProblem(
  problem: { status: ProblemStatus; assigneeId: string | null },
  actor: { id: string; role: Role },
): boolean {
  return problem.status !== 'closed' && mayAct(EDITORS, problem, actor);
}

/** Who may edit a problem's fields (SPEC: the assignee, a supervisor or an admin). */
const EDITORS: readonly Who[] = ['assignee', 'supervisor', 'admin'];

/**
 * 403 unless the person may take this action (or `edit`) on a problem they can already see. It
 * depends on the role and the assignee only, never on what the request carries, so the API asks
 * it before it validates a body.
 */
export function assertMayActOnProblem(
  problem: { assigneeId: string | null },
  actor: { id: string; role: Role },
  action: ProblemAction | 'edit',
): void {
  const who = action === 'edit' ? EDITORS : PROBLEM_TRANSITIONS[action].who;
  if (!mayAct(who, problem, actor)) throw new ForbiddenError(`${describeWho(who)} may ${action} a problem`);
}

function mayAct(who: readonly Who[], problem: { assigneeId: string | null }, actor: { id: string; role: Role }) {
  return who.some((w) => w === 'anyone' || w === actor.role || (w === 'assignee' && problem.assigneeId === actor.id));
}

function describeWho(who: readonly Who[]): string {
  return `only ${who.map((w) => (w === 'assignee' ? 'the assignee' : `a ${w}`)).join(' or ')}`;
}

function pastTense(action: ProblemAction): string {
  const forms: Record<ProblemAction, string> = {
    start: 'started',
    resolve: 'resolved',
    approve: 'approved',
    reject: 'rejected',
    reopen: 'reopened',
    reassign: 'reassigned',
    comment: 'commented on',
  };
  return forms[action];
}

const DAY_MS = 24 * 3600 * 1000;

/** SLA days are calendar days: `reportedAt` + N × 24 h. */
export function dueAtFor(reportedAt: Date, priority: Priority, slaDays: Record<Priority, number>): Date {
  return new Date(reportedAt.getTime() + slaDays[priority] * DAY_MS);
}

/** Statuses of a problem still being worked (as `overdue` counts them). */
export const WORKED_PROBLEM_STATUSES: readonly ProblemStatus[] = ['open', 'in_progress'];

/** Still being worked: open or in progress. */
export function isProblemWorked(problem: { status: ProblemStatus }): boolean {
  return WORKED_PROBLEM_STATUSES.includes(problem.status);
}

/** `isProblemWorked` as SQL over a problem alias. */
export const problemWorkedSql = (p: string): string => `${p}.status IN ('open', 'in_progress')`;

/** Overdue: past due and still being worked (open or in progress). */
export function isProblemOverdue(problem: { status: ProblemStatus; dueAt: Date }, now: Date): boolean {
  return isProblemWorked(problem) && problem.dueAt.getTime() < now.getTime();
}

/** `isProblemOverdue` as SQL over a problem alias; `now` is a parameter (`:now`, `$1`) or an expression. */
export const problemOverdueSql = (p: string, now: string): string =>
  `(${problemWorkedSql(p)} AND ${p}.due_at < ${now})`;

/** Statuses of work not yet done: these follow the enterprise to a new commissioner. */
export const UNFINISHED_PROBLEM_STATUSES: readonly ProblemStatus[] = ['open', 'in_progress', 'resolved'];

/** A problem's own fields, as reported or (any subset) edited. */
export interface ProblemFieldValues {
  title: string;
  description: string;
  category: ProblemCategory;
  priority: Priority;
}

/** The longest description, resolution or note: the columns' length. */
export const MAX_PROBLEM_TEXT = 4000;

/**
 * What is wrong with the fields sent (absent ones are not checked), as the list of every fault
 * (empty: fine). The API's DTOs check the same before the domain is called; this keeps a caller
 * without them (the CLI, an import) from writing what the problem list would refuse over HTTP.
 */
export function problemFieldErrors(fields: Partial<ProblemFieldValues>): FieldError[] {
  const errors: FieldError[] = [];
  const check = (field: keyof ProblemFieldValues, message: string | null) => {
    if (message) errors.push({ field, message });
  };
  if (fields.title !== undefined) check('title', textError(fields.title, { min: 2, max: 200 }));
  if (fields.description !== undefined) {
    check('description', textError(fields.description, { min: 0, max: MAX_PROBLEM_TEXT }));
  }
  if (fields.category !== undefined) check('category', codeError(fields.category, PROBLEM_CATEGORIES));
  if (fields.priority !== undefined) check('priority', codeError(fields.priority, PRIORITIES));
  return errors;
}

/** What is wrong with the text a transition carries (its resolution or note), as every fault. */
export function transitionFieldErrors(request: { note?: string; resolution?: string }): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ['note', 'resolution'] as const) {
    const message = request[field] === undefined ? null : textError(request[field], { min: 0, max: MAX_PROBLEM_TEXT });
    if (message) errors.push({ field, message });
  }
  return errors;
}
