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

/** POSTs a record under an enterprise (`problems`, `visits`, `demands`) with defaults a test can override. */
async function addUnder(
  t: TestApp,
  auth: string,
  enterpriseId: string,
  collection: string,
  body: Record<string, unknown>,
): Promise<Created> {
  const response = await t
    .http()
    .post(`/api/v1/enterprises/${enterpriseId}/${collection}`)
    .set('Authorization', auth)
    .send(body);
  return created(response, `adding to ${collection}`);
}

/** Reports a problem through the API; `reportedAt` in the past places its due date where a test needs it. */
export const reportProblem = (t: TestApp, auth: string, enterpriseId: string, body: Record<string, unknown> = {}) =>
  addUnder(t, auth, enterpriseId, 'problems', { title: '招工难，技术工人缺口大', category: 'recruitment', ...body });

/** Logs a visit through the API; `nextFollowUpAt` sets when the next one falls due. */
export const logVisit = (t: TestApp, auth: string, enterpriseId: string, body: Record<string, unknown> = {}) =>
  addUnder(t, auth, enterpriseId, 'visits', {
    visitedAt: new Date().toISOString(),
    method: 'on_site',
    summary: '了解用工情况',
    ...body,
  });

export const addDemand = (t: TestApp, auth: string, enterpriseId: string, body: Record<string, unknown> = {}) =>
  addUnder(t, auth, enterpriseId, 'demands', {
    occupation: '数控车工',
    occupationCategory: '6',
    headcount: 5,
    ...body,
  });

/** A `reportedAt` that makes a problem of the given SLA fall due at `dueAt`. */
export function reportedForDue(dueAt: number, slaDays: number): string {
  return new Date(dueAt - slaDays * DAY).toISOString();
}
