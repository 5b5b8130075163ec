import { DataSource } from 'typeorm';
import { Enterprise, EnterpriseAssignment, EnterpriseRevision, User, type Role } from '@keydesk/database';
import { diffFields, hashPassword } from '@keydesk/domain';
import { generateEnterprises, mobilePhone, seededRandom } from './demo-data';
import { generateFieldWork } from './field-work';

/** Every demo login shares this password; the demo is for trying keydesk, never for real data. */
export const DEMO_PASSWORD = 'keydesk-demo';

interface DemoUser {
  username: string;
  displayName: string;
  role: Role;
  districtCodes?: string[];
}

export const DEMO_USERS: DemoUser[] = [
  { username: 'admin', displayName: '系统管理员', role: 'admin' },
  { username: 'sup.city', displayName: '王建国（市局就业科）', role: 'supervisor' },
  {
    username: 'sup.south',
    displayName: '李秀兰（南关·朝阳）',
    role: 'supervisor',
    districtCodes: ['220102', '220104'],
  },
  { username: 'comm.zhang', displayName: '张伟', role: 'commissioner' },
  { username: 'comm.liu', displayName: '刘芳', role: 'commissioner' },
  { username: 'comm.chen', displayName: '陈磊', role: 'commissioner' },
  { username: 'comm.yang', displayName: '杨静', role: 'commissioner' },
  { username: 'comm.zhao', displayName: '赵强', role: 'commissioner' },
  { username: 'comm.huang', displayName: '黄海燕', role: 'commissioner' },
];

export const DEMO_ENTERPRISE_COUNT = 60;

/**
 * Loads the demo data set into an empty database: the users above, about sixty enterprises
 * (each with its creation revision and first assignment) and a few months of visits, demands
 * and problems in every state, some overdue and some awaiting review. Refuses a database that
 * already has users or enterprises. Returns false when it refused.
 */
export async function seedDemo(db: DataSource, now = new Date()): Promise<boolean> {
  return db.transaction(async (manager) => {
    // Two seeders racing: the second waits here and then finds data.
    await manager.query('LOCK TABLE users, enterprises IN EXCLUSIVE MODE');
    if ((await manager.count(User)) > 0 || (await manager.count(Enterprise)) > 0) return false;

    const random = seededRandom(4754);
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const users = await manager.save(
      DEMO_USERS.map((user) =>
        manager.create(User, {
          ...user,
          districtCodes: user.districtCodes ?? [],
          phone: mobilePhone(random),
          active: true,
          passwordHash,
          credentialsChangedAt: now,
        }),
      ),
    );
    const admin = users.find((user) => user.role === 'admin')!;
    const commissioners = users.filter((user) => user.role === 'commissioner');
    // The southern supervisor's two districts get two commissioners of their own, so that their view is coherent.
    const southern = new Set(['220102', '220104']);
    const [southA, southB, ...others] = commissioners;

    const enterprises = generateEnterprises(DEMO_ENTERPRISE_COUNT);
    for (const [index, fields] of enterprises.entries()) {
      const pool = southern.has(fields.districtCode) ? [southA, southB] : others;
      // A few enterprises are still waiting for a commissioner.
      const commissioner = index % 17 === 5 ? null : pool[index % pool.length];
      const createdAt = new Date(now.getTime() - (120 - index) * 24 * 3600 * 1000);
      const enterprise = await manager.save(
        manager.create(Enterprise, {
          ...fields,
          visitCadenceDays: null,
          commissionerId: commissioner?.id ?? null,
          status: 'active',
          version: 1,
          createdAt,
          updatedAt: createdAt,
        }),
      );
      await manager.insert(EnterpriseRevision, {
        enterpriseId: enterprise.id,
        actorId: admin.id,
        action: 'created',
        changes: diffFields({}, { ...fields, commissionerId: commissioner?.id ?? null }),
        version: 1,
        changedAt: createdAt,
      });
      if (commissioner) {
        await manager.insert(EnterpriseAssignment, {
          enterpriseId: enterprise.id,
          commissionerId: commissioner.id,
          previousCommissionerId: null,
          reason: 'initial assignment',
          assignedById: admin.id,
          assignedAt: createdAt,
        });
      }
    }
    const reviewer = users.find((user) => user.username === 'sup.city')!;
    await generateFieldWork(manager, { now, seed: 2017, supervisorId: reviewer.id, reviewerId: reviewer.id });
    return true;
  });
}
