import { api, call, type Schemas } from '@/api/client';
import { useReference } from '@/lib/reference';
import { revisionsSince, type ChangeNames } from './revisions';

/**
 * The names a revision's codes are shown with: districts and industries from the reference lists,
 * commissioners from the enterprise's assignment history (revisions carry their ids only).
 */
export async function loadChangeNames(enterpriseId: string): Promise<ChangeNames> {
  const reference = useReference();
  const [assignments] = await Promise.all([
    call(api.GET('/api/v1/enterprises/{id}/assignments', { params: { path: { id: enterpriseId } } })),
    reference.ready,
  ]);
  const users = new Map<string, string>();
  for (const a of assignments) {
    users.set(a.commissioner.id, a.commissioner.displayName);
    if (a.previousCommissioner) users.set(a.previousCommissioner.id, a.previousCommissioner.displayName);
  }
  return { districts: reference.districtNames.value, industries: reference.industryNames.value, users };
}

type Revision = Schemas['EnterpriseRevisionView'];

/**
 * The revisions made after the person read `version`, oldest first: what changed under them.
 * History comes newest first, so the pages end once a revision at or before `version` shows up.
 */
export async function loadRevisionsSince(enterpriseId: string, version: number): Promise<Revision[]> {
  const found: Revision[] = [];
  for (let page = 1; page <= 10; page++) {
    const result = await call(
      api.GET('/api/v1/enterprises/{id}/history', {
        params: { path: { id: enterpriseId }, query: { page, pageSize: 100 } },
      }),
    );
    found.push(...result.items);
    const reachedReading = result.items.some((r) => r.version <= version);
    if (reachedReading || page * result.pageSize >= result.total) break;
  }
  return revisionsSince(found, version);
}
