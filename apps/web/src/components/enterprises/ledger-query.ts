import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import type { Tier } from '@keydesk/database';
import type { paths } from '@/api/schema';
import {
  bool,
  integer,
  oneOf,
  PAGE_SIZES,
  sortFromTable as sortFromTableFor,
  sortOf,
  tableSort,
  text,
  uuid,
} from '@/lib/route-query';

/** What GET /api/v1/enterprises accepts. */
export type EnterpriseQuery = NonNullable<paths['/api/v1/enterprises']['get']['parameters']['query']>;
export type LedgerSort = NonNullable<EnterpriseQuery['sort']>;
export type LedgerStatus = NonNullable<EnterpriseQuery['status']>;

/** The columns the API sorts by (anything else would answer 400). */
export const SORTABLE = ['name', 'employeeCount', 'updatedAt', 'nextVisitDueAt', 'shortage'] as const;
export type SortField = (typeof SORTABLE)[number];

export { PAGE_SIZES, tableSort };
export const DEFAULT_PAGE_SIZE = 20;

/** The ledger's state: filters, sort and page, all of it in the URL. */
export interface LedgerState {
  q?: string;
  districtCode?: string;
  industryCode?: string;
  tier?: Tier;
  commissionerId?: string;
  status: LedgerStatus;
  hasShortage?: boolean;
  visitOverdue?: boolean;
  hasCommissioner?: boolean;
  visitDueWithinDays?: number;
  demandsStale?: boolean;
  sort?: LedgerSort;
  page: number;
  pageSize: number;
}

const TIERS: readonly Tier[] = ['provincial', 'municipal', 'district'];
const STATUSES: readonly LedgerStatus[] = ['active', 'archived', 'all'];

/**
 * The state a URL asks for. A value the API would refuse (a hand-edited or stale link) is left
 * out rather than turned into an error page.
 */
export function parseLedgerQuery(query: LocationQuery): LedgerState {
  const pageSize = integer(query.pageSize, 1, 100);
  return {
    q: text(query.q)?.slice(0, 100),
    districtCode: /^\d{6}$/.test(text(query.districtCode) ?? '') ? text(query.districtCode) : undefined,
    industryCode: /^[A-T]$/.test(text(query.industryCode) ?? '') ? text(query.industryCode) : undefined,
    tier: oneOf(query.tier, TIERS),
    commissionerId: uuid(query.commissionerId),
    status: oneOf(query.status, STATUSES) ?? 'active',
    hasShortage: bool(query.hasShortage),
    visitOverdue: bool(query.visitOverdue),
    hasCommissioner: bool(query.hasCommissioner),
    visitDueWithinDays: integer(query.visitDueWithinDays, 0, 366),
    demandsStale: bool(query.demandsStale),
    sort: sortOf(query.sort, SORTABLE),
    page: integer(query.page, 1, 1_000_000) ?? 1,
    pageSize: pageSize && PAGE_SIZES.includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
  };
}

/** The URL query of a state, defaults left out so that links stay short. */
export function toLocationQuery(state: LedgerState): LocationQueryRaw {
  const query: Record<string, string> = {};
  const put = (key: string, value: string | number | boolean | undefined) => {
    if (value !== undefined && value !== '') query[key] = String(value);
  };
  put('q', state.q);
  put('districtCode', state.districtCode);
  put('industryCode', state.industryCode);
  put('tier', state.tier);
  put('commissionerId', state.commissionerId);
  if (state.status !== 'active') put('status', state.status);
  put('hasShortage', state.hasShortage);
  put('visitOverdue', state.visitOverdue);
  put('hasCommissioner', state.hasCommissioner);
  put('visitDueWithinDays', state.visitDueWithinDays);
  put('demandsStale', state.demandsStale);
  put('sort', state.sort);
  if (state.page !== 1) put('page', state.page);
  if (state.pageSize !== DEFAULT_PAGE_SIZE) put('pageSize', state.pageSize);
  return query;
}

/** The API query of a state: the same filters, sort and page, nothing filtered here. */
export function toApiQuery(state: LedgerState): EnterpriseQuery {
  const query: EnterpriseQuery = { status: state.status, page: state.page, pageSize: state.pageSize };
  const keys = [
    'q',
    'districtCode',
    'industryCode',
    'tier',
    'commissionerId',
    'hasShortage',
    'visitOverdue',
    'hasCommissioner',
    'visitDueWithinDays',
    'demandsStale',
    'sort',
  ] as const;
  for (const key of keys) {
    if (state[key] !== undefined) (query as Record<string, unknown>)[key] = state[key];
  }
  return query;
}

/** A filter the search form has no field for (it comes from a link, e.g. the workbench's): shown as a removable tag. */
export interface Condition {
  key: keyof LedgerState;
  label: string;
}

/** The filters of the state that the search form cannot show, each with its Chinese wording. */
export function linkConditions(state: LedgerState): Condition[] {
  const conditions: Condition[] = [];
  if (state.hasCommissioner !== undefined) {
    conditions.push({ key: 'hasCommissioner', label: state.hasCommissioner ? '已分配服务专员' : '未分配服务专员' });
  }
  if (state.visitDueWithinDays !== undefined) {
    conditions.push({
      key: 'visitDueWithinDays',
      label:
        state.visitDueWithinDays === 0
          ? '走访已到期（含已逾期）'
          : `${state.visitDueWithinDays} 天内需走访（含已逾期）`,
    });
  }
  if (state.demandsStale !== undefined) {
    conditions.push({ key: 'demandsStale', label: state.demandsStale ? '用工需求清单待更新' : '用工需求清单无需更新' });
  }
  // The form's checkboxes stand for "yes" only; a "no" from a link is shown here instead.
  if (state.hasShortage === false) conditions.push({ key: 'hasShortage', label: '无缺工' });
  if (state.visitOverdue === false) conditions.push({ key: 'visitOverdue', label: '走访未逾期' });
  return conditions;
}

/** The sort for a click on a column header (only the columns the API sorts by). */
export function sortFromTable(
  prop: string | null | undefined,
  order: string | null | undefined,
): LedgerSort | undefined {
  return sortFromTableFor(prop, order, SORTABLE);
}
