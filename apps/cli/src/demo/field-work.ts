import type { EntityManager } from 'typeorm';
import { PROBLEM_CATEGORIES, Settings, type Priority, type ProblemStatus, type Role } from '@keydesk/database';
import {
  decideTransition,
  dueAtFor,
  nextDemandStatus,
  type ProblemAction,
  EnterprisesRepository,
  TransactionContext,
} from '@keydesk/domain';
import { personName, seededRandom } from './demo-data';

const DAY = 24 * 3600 * 1000;
const RESOLUTION = '已协调相关科室办理，企业确认';

const OCCUPATIONS: [string, string][] = [
  ['焊工', '6'],
  ['数控车床操作工', '6'],
  ['汽车装配工', '6'],
  ['电工', '6'],
  ['质检员', '6'],
  ['叉车司机', '4'],
  ['仓储管理员', '4'],
  ['厨师', '4'],
  ['客服专员', '4'],
  ['软件工程师', '2'],
  ['机械工程师', '2'],
  ['护士', '2'],
  ['会计', '3'],
  ['行政文员', '3'],
];
const PROBLEM_TITLES: Record<string, string[]> = {
  recruitment: ['一线普工招聘困难', '技术工人短缺', '旺季用工缺口大'],
  policy_subsidy: ['稳岗补贴申领咨询', '以工代训补贴未到账', '吸纳就业补贴材料问题'],
  social_insurance: ['社保缴费基数核定', '新员工参保登记缓慢'],
  labor_relations: ['劳动合同续签争议', '集体协商指导需求'],
  training: ['岗前培训资源不足', '技能等级认定需求'],
  wage_arrears: ['分包单位拖欠工资'],
  other: ['员工通勤班车协调', '职工子女入学咨询'],
};
const SUMMARIES = [
  '实地走访了解生产经营和用工情况',
  '电话回访用工需求进展',
  '线上沟通政策申领事项',
  '走访车间了解岗位空缺',
  '回访问题办理情况',
];

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];

/**
 * A few months of field work for the given enterprises, written straight to the tables in the
 * caller's transaction (fast enough for thousands of enterprises), then the derived ledger columns refreshed the way the
 * services do. Used by the demo data set, the benchmarks and the dashboard tests.
 */
export async function generateFieldWork(
  manager: EntityManager,
  options: { now: Date; seed: number; supervisorId: string; reviewerId?: string },
): Promise<void> {
  const random = seededRandom(options.seed);
  const now = options.now.getTime();
  const settings = await manager.findOneByOrFail(Settings, { id: 1 });
  // The ledger's derived columns (shortage, the visit schedule) are kept by the domain's own queries.
  const ledger = new EnterprisesRepository(TransactionContext.within(manager));
  const enterprises: { id: string; commissionerId: string | null }[] = await manager.query(
    `SELECT id, commissioner_id AS "commissionerId" FROM enterprises ORDER BY name`,
  );
  {
    for (const enterprise of enterprises) {
      const author = enterprise.commissionerId ?? options.supervisorId;
      const visits = Math.floor(random() * 5);
      const visitIds: string[] = [];
      for (let i = 0; i < visits; i++) {
        // Minutes off the hour keep generated times away from day boundaries that a test's clock might straddle.
        const offset = Math.floor(random() * 8) * 3600 * 1000 + (5 + Math.floor(random() * 50)) * 60 * 1000;
        // Squared: recent visits are more common than old ones, as in a ledger that is kept up.
        const visitedAt = new Date(now - (1 + Math.floor(random() ** 2 * 110)) * DAY - offset);
        const [row] = await manager.query<{ id: string }[]>(
          `INSERT INTO visits (enterprise_id, commissioner_id, visited_at, method, summary, employee_count, created_at)
           VALUES ($1, $2, $3::timestamptz, $4, $5, $6, $3::timestamptz) RETURNING id`,
          [
            enterprise.id,
            author,
            visitedAt,
            pick(random, ['on_site', 'on_site', 'phone', 'online']),
            pick(random, SUMMARIES),
            null,
          ],
        );
        visitIds.push(row.id);
      }
      const demands = Math.floor(random() * 4);
      for (let i = 0; i < demands; i++) {
        const [occupation, category] = pick(random, OCCUPATIONS);
        const headcount = 1 + Math.floor(random() * 30);
        const roll = random();
        const filled = roll < 0.2 ? headcount : roll < 0.6 ? Math.floor(random() * headcount) : 0;
        // The status the domain gives these numbers (filled exactly when every position is), unless cancelled.
        const status =
          roll > 0.92
            ? 'cancelled'
            : nextDemandStatus('open', { headcount, filledCount: filled, salaryMin: null, salaryMax: null }, false);
        const salaryMin = 3000 + Math.floor(random() * 6) * 500;
        const createdAt = new Date(now - Math.floor(random() * 100) * DAY);
        await manager.query(
          `INSERT INTO demands (enterprise_id, occupation, occupation_category, headcount, filled_count, requirements,
             salary_min, salary_max, needed_by, urgency, status, source_visit_id, created_by_id, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::timestamptz, $14::timestamptz)`,
          [
            enterprise.id,
            occupation,
            category,
            headcount,
            filled,
            random() < 0.5 ? '高中及以上学历，有相关经验优先' : null,
            salaryMin,
            salaryMin + 1000 + Math.floor(random() * 4) * 500,
            new Date(now + Math.floor(random() * 90) * DAY).toISOString().slice(0, 10),
            pick(random, ['normal', 'normal', 'high', 'urgent']),
            status,
            visitIds.length && random() < 0.5 ? pick(random, visitIds) : null,
            author,
            createdAt,
          ],
        );
      }
      const problems = Math.floor(random() * 4);
      for (let i = 0; i < problems; i++) {
        const category = pick(random, PROBLEM_CATEGORIES);
        const priority = pick(random, ['low', 'normal', 'normal', 'high', 'urgent'] as Priority[]);
        const reportedAt = new Date(
          now - Math.floor(random() * 60 * 24) * 3600 * 1000 - (5 + Math.floor(random() * 50)) * 60 * 1000,
        );
        const dueAt = dueAtFor(reportedAt, priority, settings.slaDays);
        const roll = random();
        const status = roll < 0.3 ? 'open' : roll < 0.55 ? 'in_progress' : roll < 0.7 ? 'resolved' : 'closed';
        const resolvedAt =
          status === 'resolved' || status === 'closed'
            ? new Date(Math.min(now - 3600 * 1000, reportedAt.getTime() + random() * 10 * DAY))
            : null;
        const closedAt =
          status === 'closed' ? new Date(Math.min(now, resolvedAt!.getTime() + random() * 3 * DAY)) : null;
        const [row] = await manager.query<{ id: string }[]>(
          `INSERT INTO problems (enterprise_id, title, description, category, priority, assignee_id, reported_at, due_at,
             status, resolution, source_visit_id, created_by_id, resolved_at, closed_at, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8, $9, $10, $11, $12, $13::timestamptz, $14::timestamptz, $7::timestamptz,
                   COALESCE($14::timestamptz, $13::timestamptz, $7::timestamptz)) RETURNING id`,
          [
            enterprise.id,
            pick(random, PROBLEM_TITLES[category]),
            `企业联系人${personName(random)}反映。`,
            category,
            priority,
            enterprise.commissionerId,
            reportedAt,
            dueAt,
            status,
            resolvedAt ? RESOLUTION : null,
            visitIds.length && random() < 0.5 ? pick(random, visitIds) : null,
            author,
            resolvedAt,
            closedAt,
          ],
        );
        const id = row.id;
        // The problem's history walks SPEC's state machine to its status: each step is decided by the rule.
        const events: [string, string | null, string | null, string | null, string | null, Date][] = [
          ['created', null, null, 'open', author, reportedAt],
        ];
        const worker = {
          id: enterprise.commissionerId ?? author,
          role: enterprise.commissionerId ? 'commissioner' : 'supervisor',
        } as const;
        const reviewer = { id: options.reviewerId ?? options.supervisorId, role: 'supervisor' } as const;
        const steps: [ProblemAction, { id: string; role: Role }, Date][] = [];
        if (resolvedAt) steps.push(['resolve', worker, resolvedAt]);
        else if (status === 'in_progress') steps.push(['start', worker, new Date(reportedAt.getTime() + 3600 * 1000)]);
        if (closedAt) steps.push(['approve', reviewer, closedAt]);
        let current: ProblemStatus = 'open';
        for (const [action, actor, at] of steps) {
          const to = decideTransition({ status: current, assigneeId: enterprise.commissionerId }, actor, {
            action,
            resolution: RESOLUTION,
          });
          events.push(['transition', action, current, to, actor.id, at]);
          current = to;
        }
        for (const [type, action, from, to, actor, at] of events) {
          await manager.query(
            `INSERT INTO problem_events (problem_id, type, action, from_status, to_status, actor_id, note, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            [id, type, action, from, to, actor, action === 'resolve' ? RESOLUTION : null, at],
          );
        }
      }
      await ledger.refreshShortage(enterprise.id);
    }
    await ledger.refreshVisitSchedule(
      enterprises.map((enterprise) => enterprise.id),
      settings.visitCadenceDays,
    );
  }
}
