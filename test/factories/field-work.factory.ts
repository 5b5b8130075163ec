import type { TestApp } from '../support/test-app';

export const HOUR = 3600 * 1000;
export const DAY = 24 * HOUR;

/** A resource as the API answered it; tests read the few fields they need. */
export interface Created {
  id: string;
  version: number;
  title: string;
  [field: string]: unknown;
}

function created(response: { status: number; body: unknown }, what: string): Created {
  if (response.status !== 201) throw new Error(`${what} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body as Created;
}

/** Reports a problem through the API; `reportedAt` in the past places its due date where a test needs it. */
export async function reportProblem(
  t: TestApp,
  auth: string,
  enterpriseId: string,
  body: Record<string, unknown> = {},
): Promise<Created> {
  const response = await t
    .http()
    .post(`/api/v1/enterprises/${enterpriseId}/problems`)
    .set('Authorization', auth)
    .send({ title: '招工难，技术工人缺口大', category: 'recruitment', ...body });
  return created(response, 'reporting a problem');
}

/** Logs a visit through the API; `nextFollowUpAt` sets when the next one falls due. */
export async function logVisit(
  t: TestApp,
  auth: string,
  enterpriseId: string,
  body: Record<string, unknown> = {},
): Promise<Created> {
  const response = await t
    .http()
    .post(`/api/v1/enterprises/${enterpriseId}/visits`)
    .set('Authorization', auth)
    .send({ visitedAt: new Date().toISOString(), method: 'on_site', summary: '了解用工情况', ...body });
  return created(response, 'logging a visit');
}

export async function addDemand(
  t: TestApp,
  auth: string,
  enterpriseId: string,
  body: Record<string, unknown> = {},
): Promise<Created> {
  const response = await t
    .http()
    .post(`/api/v1/enterprises/${enterpriseId}/demands`)
    .set('Authorization', auth)
    .send({ occupation: '数控车工', occupationCategory: '6', headcount: 5, ...body });
  return created(response, 'adding a demand');
}

/** A `reportedAt` that makes a problem of the given SLA fall due at `dueAt`. */
export function reportedForDue(dueAt: number, slaDays: number): string {
  return new Date(dueAt - slaDays * DAY).toISOString();
}
