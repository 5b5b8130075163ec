import type { VisitMethod } from '@keydesk/database';
import type { ListQuery } from '@/api/client';
import { integer, oneOf, text, uuid } from '@/lib/route-query';
import type { LocationQuery } from 'vue-router';

// 走访记录's filters as the URL holds them (days as YYYY-MM-DD, the bureau's calendar) and as the
// API takes them (instants: a day runs from 00:00 to 23:59:59.999 Beijing time).

export type VisitQuery = ListQuery<'/api/v1/visits'>;
export const METHODS: readonly VisitMethod[] = ['on_site', 'phone', 'online'];

/** A calendar day that exists, as `YYYY-MM-DD`, or undefined. */
export function day(value: LocationQuery[string]): string | undefined {
  const t = text(value);
  if (!t || !/^\d{4}-\d{2}-\d{2}$/.test(t)) return undefined;
  const parsed = new Date(`${t}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === t ? t : undefined;
}

export const dayStart = (d: string) => `${d}T00:00:00.000+08:00`;
export const dayEnd = (d: string) => `${d}T23:59:59.999+08:00`;

/** What the URL asks for, each value checked, and the API query it makes. */
export function visitListState(q: LocationQuery) {
  const from = day(q.from);
  let to = day(q.to);
  // A range back to front is read as ending where it starts rather than as nothing at all.
  if (from && to && to < from) to = from;
  const state = {
    method: oneOf(q.method, METHODS),
    commissionerId: uuid(q.commissionerId),
    enterpriseId: uuid(q.enterpriseId),
    from,
    to,
    page: integer(q.page, 1, 1_000_000) ?? 1,
    pageSize: integer(q.pageSize, 1, 100) ?? 20,
  };
  const query: VisitQuery = {
    method: state.method,
    commissionerId: state.commissionerId,
    enterpriseId: state.enterpriseId,
    from: from ? dayStart(from) : undefined,
    to: to ? dayEnd(to) : undefined,
    page: state.page,
    pageSize: state.pageSize,
  };
  return { state, query };
}
