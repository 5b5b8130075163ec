import type { Priority, ProblemCategory, ProblemEventType, ProblemStatus } from '@keydesk/database';
import { EnterpriseRef } from '../demands/demand.view';
import { UserRef } from '../users/user.view';

/** A problem as lists show it: with its enterprise's and its assignee's names. */
export class ProblemView {
  id: string;
  enterpriseId: string;
  enterprise: EnterpriseRef;
  title: string;
  description: string;
  category: ProblemCategory;
  priority: Priority;
  assigneeId: string | null;
  assignee: UserRef | null;
  reportedAt: Date;
  /** reportedAt + the SLA days of the priority. */
  dueAt: Date;
  status: ProblemStatus;
  /** Past due and still open or in progress. */
  overdue: boolean;
  resolution: string | null;
  escalationLevel: number;
  sourceVisitId: string | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export class ProblemEventView {
  id: string;
  /** created, transition, comment, reassigned, escalated, edited */
  type: ProblemEventType;
  /** The transition's action, when it is one. */
  action: string | null;
  fromStatus: string | null;
  toStatus: string | null;
  /** Null for the system (scheduled escalations). */
  actor: UserRef | null;
  note: string | null;
  data: Record<string, unknown> | null;
  at: Date;
}

/** A problem with its full timeline, oldest first. */
export class ProblemDetailView extends ProblemView {
  events: ProblemEventView[];
}

export class ProblemPageView {
  items: ProblemView[];
  total: number;
  page: number;
  pageSize: number;
  /** The cursor of this page's last row, for `after` (the next page); null on the last page. */
  nextCursor: string | null;
}
