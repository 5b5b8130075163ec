import type { DemandStatus, Urgency } from '@keydesk/database';

export class EnterpriseRef {
  id: string;
  name: string;
  districtCode: string;
}

/** One staffing demand: an open position and how far it is filled. */
export class DemandView {
  id: string;
  enterpriseId: string;
  enterprise: EnterpriseRef;
  /** Free text, e.g. 焊工. */
  occupation: string;
  /** A code from /reference/occupation-categories. */
  occupationCategory: string;
  occupationCategoryName: string;
  headcount: number;
  filledCount: number;
  /** headcount − filledCount while open; 0 once filled or cancelled. */
  shortage: number;
  requirements: string | null;
  /** CNY per month. */
  salaryMin: number | null;
  salaryMax: number | null;
  /** YYYY-MM-DD */
  neededBy: string | null;
  urgency: Urgency;
  status: DemandStatus;
  sourceVisitId: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export class DemandPageView {
  items: DemandView[];
  total: number;
  page: number;
  pageSize: number;
  /** The cursor of this page's last row, for `after` (the next page); null on the last page. */
  nextCursor: string | null;
}

export class DemandSummaryItemView {
  /** District code, industry section or occupation category code. */
  key: string;
  name: string;
  /** Active enterprises in the group with at least one open demand. */
  enterprises: number;
  openDemands: number;
  /** Σ (headcount − filled) over the group's open demands. */
  shortage: number;
}

export class DemandSummaryTotalsView {
  enterprises: number;
  openDemands: number;
  shortage: number;
}

export class DemandSummaryView {
  items: DemandSummaryItemView[];
  totals: DemandSummaryTotalsView;
}
