import { Client } from 'pg';
import { DEMAND_STATUSES, type DemandStatus, ENTERPRISE_STATUSES, PROBLEM_STATUSES } from '@keydesk/database';
import {
  demandShortage,
  demandShortageSql,
  enterpriseActiveSql,
  isEnterpriseActive,
  isProblemOverdue,
  isProblemWorked,
  isVisitOverdue,
  OPEN_DEMAND_LISTS_SQL,
  openDemandLists,
  problemOverdueSql,
  problemWorkedSql,
  supervisorCovers,
  supervisorCoversSql,
  visitOverdueSql,
} from '@keydesk/domain';
import { ADMIN_DATABASE_URL } from './support/test-env';

/**
 * Every rule the SQL states as a fragment (rules/, access/scope.ts) against its TypeScript twin on
 * the same rows: each fragment is evaluated by PostgreSQL over a VALUES table that takes the name
 * its query would read, so a fragment and its rule can never drift apart unnoticed.
 */
describe('rule fragments agree with their TypeScript rules', () => {
  const client = new Client({ connectionString: ADMIN_DATABASE_URL });
  const now = new Date('2026-06-15T04:00:00.000Z');
  const moments = [
    null,
    new Date(now.getTime() - 86_400_000),
    new Date(now.getTime() - 1),
    now,
    new Date(now.getTime() + 1),
  ];

  beforeAll(() => client.connect());
  afterAll(() => client.end());

  /** Evaluates `expression` over `rows` (as table `alias` with these typed columns), in row order. */
  async function evaluate(
    alias: string,
    columns: Record<string, string>,
    rows: unknown[][],
    expression: string,
    params: unknown[] = [],
  ) {
    const names = Object.keys(columns);
    const values = rows
      .map(
        (row, i) =>
          `(${i}, ${row.map((_, j) => `$${params.length + i * names.length + j + 1}::${columns[names[j]]}`).join(', ')})`,
      )
      .join(', ');
    const result = await client.query<{ value: unknown }>(
      `WITH ${alias}(i, ${names.join(', ')}) AS (VALUES ${values}) SELECT ${expression} AS value FROM ${alias} ORDER BY i`,
      [...params, ...rows.flat()],
    );
    return result.rows.map((row) => row.value);
  }

  it('a worked problem and an overdue problem', async () => {
    const rows = PROBLEM_STATUSES.flatMap((status) =>
      moments.filter(Boolean).map((dueAt) => ({ status, dueAt: dueAt! })),
    );
    const sqlRows = rows.map((p) => [p.status, p.dueAt]);
    const columns = { status: 'text', due_at: 'timestamptz' };
    expect(await evaluate('p', columns, sqlRows, problemWorkedSql('p'))).toEqual(rows.map((p) => isProblemWorked(p)));
    expect(await evaluate('p', columns, sqlRows, problemOverdueSql('p', '$1::timestamptz'), [now])).toEqual(
      rows.map((p) => isProblemOverdue(p, now)),
    );
  });

  it('an active enterprise and an overdue visit, never visited included', async () => {
    const rows = ENTERPRISE_STATUSES.flatMap((status) => moments.map((nextVisitDueAt) => ({ status, nextVisitDueAt })));
    const sqlRows = rows.map((e) => [e.status, e.nextVisitDueAt]);
    const columns = { status: 'text', next_visit_due_at: 'timestamptz' };
    expect(await evaluate('e', columns, sqlRows, enterpriseActiveSql('e'))).toEqual(rows.map(isEnterpriseActive));
    const overdue = rows.map((e) => isVisitOverdue(e, now));
    expect(await evaluate('e', columns, sqlRows, visitOverdueSql('e', '$1::timestamptz'), [now])).toEqual(overdue);
    // Negated, as the ledger's "not overdue" filter uses it: the never-visited stay in.
    expect(await evaluate('e', columns, sqlRows, `NOT ${visitOverdueSql('e', '$1::timestamptz')}`, [now])).toEqual(
      overdue.map((value) => !value),
    );
  });

  it('a supervisor covers a district', async () => {
    const supervisors = [[], ['310101'], ['310101', '310104']];
    const rows = supervisors.flatMap((districtCodes) =>
      ['310101', '310104', '310115'].map((districtCode) => ({ districtCodes, districtCode })),
    );
    const sqlRows = rows.map((row) => [row.districtCodes, row.districtCode]);
    expect(
      await evaluate('u', { district_codes: 'text[]', district_code: 'text' }, sqlRows, supervisorCoversSql('u', 'u')),
    ).toEqual(rows.map((row) => supervisorCovers(row.districtCodes, row.districtCode)));
  });

  it("a demand's shortage", async () => {
    const rows = DEMAND_STATUSES.flatMap((status) =>
      [
        [3, 0],
        [3, 2],
        [3, 3],
      ].map(([headcount, filledCount]) => ({ status, headcount, filledCount })),
    );
    const sqlRows = rows.map((d) => [d.status, d.headcount, d.filledCount]);
    expect(
      await evaluate('dm', { status: 'text', headcount: 'int', filled_count: 'int' }, sqlRows, demandShortageSql('dm')),
    ).toEqual(rows.map(demandShortage));
  });

  it("each enterprise's open demand list", async () => {
    const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
    const demands: { enterpriseId: string; status: DemandStatus; updatedAt: Date }[] = [
      { enterpriseId: '00000000-0000-0000-0000-00000000000a', status: 'open', updatedAt: at(-30) },
      { enterpriseId: '00000000-0000-0000-0000-00000000000a', status: 'open', updatedAt: at(-10) },
      { enterpriseId: '00000000-0000-0000-0000-00000000000a', status: 'filled', updatedAt: at(-1) },
      { enterpriseId: '00000000-0000-0000-0000-00000000000b', status: 'cancelled', updatedAt: at(-5) },
      { enterpriseId: '00000000-0000-0000-0000-00000000000c', status: 'open', updatedAt: at(-90) },
    ];
    const values = demands.map((_, i) => `($${i * 3 + 1}::uuid, $${i * 3 + 2}::text, $${i * 3 + 3}::timestamptz)`);
    const result = await client.query<{ enterprise_id: string; last_update: Date; open_count: number }>(
      `WITH demands(enterprise_id, status, updated_at) AS (VALUES ${values.join(', ')})
       SELECT * FROM (${OPEN_DEMAND_LISTS_SQL}) lists ORDER BY enterprise_id`,
      demands.flatMap((d) => [d.enterpriseId, d.status, d.updatedAt]),
    );
    const expected = [...openDemandLists(demands)]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([enterpriseId, list]) => ({
        enterprise_id: enterpriseId,
        last_update: list.lastUpdate,
        open_count: list.openCount,
      }));
    expect(result.rows).toEqual(expected);
    expect(expected.map((row) => row.enterprise_id)).toEqual([
      '00000000-0000-0000-0000-00000000000a',
      '00000000-0000-0000-0000-00000000000c',
    ]);
  });
});
