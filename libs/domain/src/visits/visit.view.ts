import type { VisitMethod } from '@keydesk/database';
import { EnterpriseRef } from '../demands/demand.view';
import { UserRef } from '../users/user.view';

export class VisitView {
  id: string;
  enterpriseId: string;
  enterprise: EnterpriseRef;
  /** The author. */
  commissionerId: string;
  commissioner: UserRef;
  visitedAt: Date;
  method: VisitMethod;
  summary: string;
  employeeCount: number | null;
  /** Spring Festival monitoring: non-local workers staying for the holiday. */
  nonLocalStaying: number | null;
  unableToReturn: number | null;
  returned: number | null;
  nextFollowUpAt: Date | null;
  createdAt: Date;
  /** Demands recorded on this visit. */
  demandIds: string[];
  /** Problems recorded on this visit. */
  problemIds: string[];
}

export class VisitPageView {
  items: VisitView[];
  total: number;
  page: number;
  pageSize: number;
  /** The cursor of this page's last row, for `after` (the next page); null on the last page. */
  nextCursor: string | null;
}
