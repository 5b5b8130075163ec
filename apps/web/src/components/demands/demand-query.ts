import type { LocationQuery } from 'vue-router';
import type { Urgency } from '@keydesk/database';
import type { ListQuery } from '@/api/client';
import { integer, oneOf, sortOf, text } from '@/lib/route-query';
import { formatNumber } from '@/lib/format';

/** What GET /api/v1/demands accepts. */
export type DemandQuery = ListQuery<'/api/v1/demands'>;
export type DemandListStatus = NonNullable<DemandQuery['status']>;

/** The columns the API sorts by (anything else would answer 400). */
export const SORTABLE = ['updatedAt', 'createdAt', 'neededBy', 'headcount', 'shortage'] as const;
const STATUSES: readonly DemandListStatus[] = ['open', 'filled', 'cancelled', 'all'];
const URGENCIES: readonly Urgency[] = ['normal', 'high', 'urgent'];

/** How the vacancy summary groups, and the list filter its bars set. */
export type GroupBy = 'district' | 'industry' | 'occupationCategory';
export const GROUPS: {
  value: GroupBy;
  label: string;
  filter: 'districtCode' | 'industryCode' | 'occupationCategory';
}[] = [
  { value: 'district', label: '区县', filter: 'districtCode' },
  { value: 'industry', label: '行业', filter: 'industryCode' },
  { value: 'occupationCategory', label: '职业类别', filter: 'occupationCategory' },
];

/**
 * The list's state as the URL asks for it; a value the API would refuse (a hand-edited or stale
 * link) is left out. Open demands when no status is named, as the API does.
 */
export function parseDemandQuery(
  query: LocationQuery,
): Required<Pick<DemandQuery, 'status' | 'page' | 'pageSize'>> & DemandQuery {
  const code = (value: string | undefined, pattern: RegExp) => (value && pattern.test(value) ? value : undefined);
  return {
    districtCode: code(text(query.districtCode), /^\d{6}$/),
    industryCode: code(text(query.industryCode), /^[A-T]$/),
    occupationCategory: code(text(query.occupationCategory), /^[0-9A-Z-]{1,16}$/),
    occupation: text(query.occupation)?.slice(0, 100),
    urgency: oneOf(query.urgency, URGENCIES),
    status: oneOf(query.status, STATUSES) ?? 'open',
    sort: sortOf(query.sort, SORTABLE),
    page: integer(query.page, 1, 1_000_000) ?? 1,
    pageSize: integer(query.pageSize, 1, 100) ?? 20,
  };
}

/** The summary's grouping from the URL (by district when none). */
export function parseGroupBy(query: LocationQuery): GroupBy {
  return (
    oneOf(
      query.groupBy,
      GROUPS.map((g) => g.value),
    ) ?? 'district'
  );
}

/**
 * The list a summary bar stands for: its open demands and nothing else. The summary counts every
 * open demand in the person's scope (the API's summary takes no other filter), so the list it
 * opens drops the other filters: its total is then the bar's number of open demands.
 */
export function barQuery(groupBy: GroupBy, key: string): Record<string, string> {
  const filter = GROUPS.find((g) => g.value === groupBy)!.filter;
  return { [filter]: key };
}

/** A monthly salary range in yuan: "5,000–6,500 元", "面议" when neither end is given. */
export function salaryText(min: number | null, max: number | null): string {
  if (min === null && max === null) return '面议';
  if (min !== null && max !== null)
    return min === max ? `${formatNumber(min)} 元/月` : `${formatNumber(min)}–${formatNumber(max)} 元/月`;
  return min !== null ? `${formatNumber(min)} 元/月起` : `至 ${formatNumber(max)} 元/月`;
}
