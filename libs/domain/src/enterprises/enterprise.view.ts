import type { EnterpriseStatus, Tier } from '@keydesk/database';
import { UserRef } from '../users/user.view';

export class OccupationCategoryShortageView {
  code: string;
  name: string;
  shortage: number;
}

export class OccupationShortageView {
  occupation: string;
  shortage: number;
}

/** The enterprise's shortage broken down: by occupation category and by occupation. */
export class VacancyStructureView {
  byOccupationCategory: OccupationCategoryShortageView[];
  byOccupation: OccupationShortageView[];
}

/** One row of the ledger list. */
export class EnterpriseListItemView {
  id: string;
  name: string;
  creditCode: string;
  industryCode: string;
  industryName: string;
  districtCode: string;
  districtName: string;
  address: string;
  tier: Tier;
  employeeCount: number;
  contactName: string;
  contactPhone: string;
  /** Days between visits: the enterprise's own cadence, else its tier's default from settings. */
  visitCadenceDays: number;
  /** True when `visitCadenceDays` is the enterprise's own rather than its tier's default. */
  customVisitCadence: boolean;
  commissionerId: string | null;
  commissioner: UserRef | null;
  status: EnterpriseStatus;
  /** Workers short: Σ (headcount − filled) over open demands. */
  shortage: number;
  lastVisitAt: Date | null;
  nextVisitDueAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** An enterprise with everything derived from its demands, problems and visits. */
export class EnterpriseView extends EnterpriseListItemView {
  vacancyStructure: VacancyStructureView;
  /** Problems open or in progress. */
  openProblems: number;
  /** Open or in-progress problems past their due date. */
  overdueProblems: number;
}

export class EnterprisePageView {
  items: EnterpriseListItemView[];
  total: number;
  page: number;
  pageSize: number;
  /** The cursor of this page's last row, for `after` (the next page); null on the last page. */
  nextCursor: string | null;
}

export class FieldChangeView {
  from: unknown;
  to: unknown;
}

export class EnterpriseRevisionView {
  id: string;
  /** `created`, `updated`, `archived`, `restored`, `reassigned`. */
  action: string;
  actor: UserRef | null;
  changedAt: Date;
  /** The enterprise's version after this revision. */
  version: number;
  /** `{field: {from, to}}` for every field that changed. */
  changes: Record<string, FieldChangeView>;
}

export class EnterpriseRevisionPageView {
  items: EnterpriseRevisionView[];
  total: number;
  page: number;
  pageSize: number;
  /** The cursor of this page's last row, for `after` (the next page); null on the last page. */
  nextCursor: string | null;
}

export class EnterpriseAssignmentView {
  id: string;
  commissioner: UserRef;
  previousCommissioner: UserRef | null;
  reason: string;
  assignedBy: UserRef | null;
  assignedAt: Date;
}
