/** Visits over the caller's active enterprises. */
export class DashboardVisitsView {
  /** Visits with visitedAt in the last 30 days. */
  last30Days: number;
  /** Share (0–1) of active enterprises visited in the last 30 days. */
  coverage30Days: number;
  /** Active enterprises whose nextVisitDueAt has passed (as GET /enterprises?visitOverdue=true). */
  overdue: number;
}

/** Problems of the caller's active enterprises (as GET /problems with the same filters). */
export class DashboardProblemsView {
  /** Open or in progress: still being worked (as `openProblems` everywhere else). */
  open: number;
  /** Of those, status open: nobody has started them. */
  notStarted: number;
  /** Of those, status in_progress. */
  inProgress: number;
  /** status resolved: waiting for a supervisor's review */
  awaitingReview: number;
  /** open or in progress and past dueAt */
  overdue: number;
  closedLast30Days: number;
  /** Median of closedAt − reportedAt, in days, over problems closed in the last 30 days; null if none. */
  medianDaysToClose: number | null;
}

/**
 * A commissioner's workload within the caller's scope: one row of GET /dashboard/commissioners.
 * A commissioner is listed when they have active enterprises, logged a visit in the last 30 days
 * or have open or in-progress problems there.
 */
export class DashboardCommissionerView {
  commissionerId: string;
  displayName: string;
  /** Active enterprises assigned to them. */
  enterprises: number;
  /** Visits they logged in the last 30 days. */
  visitsLast30Days: number;
  /** Their enterprises whose next visit is overdue. */
  overdueVisits: number;
  /** Problems assigned to them that are open or in progress. */
  openProblems: number;
  /** Of those, past due. */
  overdueProblems: number;
}

/** The per-commissioner table, one server page of it (SPEC "Lists"). */
export class DashboardCommissionerPageView {
  items: DashboardCommissionerView[];
  total: number;
  page: number;
  pageSize: number;
}

/** The headline figures; the per-commissioner table is GET /dashboard/commissioners. */
export class DashboardView {
  /** Active enterprises in scope. */
  enterprises: number;
  enterprisesWithShortage: number;
  /** Σ shortage of active enterprises in scope. */
  totalShortage: number;
  visits: DashboardVisitsView;
  problems: DashboardProblemsView;
}
