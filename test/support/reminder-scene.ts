import type { DataSource } from 'typeorm';
import { createEnterprise, CreatedEnterprise } from '../factories/enterprises.factory';
import { createUser, TestUser } from '../factories/users.factory';
import { createTestApp, TestApp } from './test-app';
import { startWorker, TestWorker } from './worker';

export interface ReminderScene {
  t: TestApp;
  db: DataSource;
  worker: TestWorker;
  admin: TestUser;
  /** The enterprise's commissioner, and so the assignee of its problems. */
  zhang: TestUser;
  /** A supervisor of the enterprise's district (220102). */
  supervisor: TestUser;
  enterprise: CreatedEnterprise;
}

/** The API and a worker on the real clock, with one enterprise and the people its reminders reach. */
export async function reminderScene(): Promise<ReminderScene> {
  const t = await createTestApp();
  const worker = await startWorker();
  const admin = await createUser(t, 'admin');
  const zhang = await createUser(t, 'commissioner');
  const supervisor = await createUser(t, 'supervisor', { districtCodes: ['220102'] });
  const enterprise = await createEnterprise(t, admin.auth, { districtCode: '220102', commissionerId: zhang.user.id });
  return { t, db: t.db, worker, admin, zhang, supervisor, enterprise };
}
