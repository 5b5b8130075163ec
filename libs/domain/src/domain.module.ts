import { Module } from '@nestjs/common';
import { Clock, SystemClock } from '@keydesk/common';
import { DatabaseModule } from '@keydesk/database';
import { QueueModule } from '@keydesk/queue';
import { EnterprisesService } from './enterprises/enterprises.service';
import { EnterpriseImportPlanner } from './imports/enterprise-import.planner';
import { EnterpriseImportWriter } from './imports/enterprise-import.writer';
import { ImportsService } from './imports/imports.service';
import { DashboardService } from './dashboard/dashboard.service';
import { DemandsService } from './demands/demands.service';
import { ProblemsService } from './problems/problems.service';
import { DigestService } from './reminders/digest.service';
import { NotificationsService } from './reminders/notifications.service';
import { ReminderDeliveryService } from './reminders/reminder-delivery.service';
import { ReminderReconciler } from './reminders/reminder-reconciler';
import { ReferenceService } from './reference/reference.service';
import { VisitsService } from './visits/visits.service';
import { SettingsService } from './settings/settings.service';
import { UsersService } from './users/users.service';
import { AuditRepository } from './repositories/audit.repository';
import { DashboardRepository } from './repositories/dashboard.repository';
import { DemandsRepository } from './repositories/demands.repository';
import { EnterprisesRepository } from './repositories/enterprises.repository';
import { ImportsRepository } from './repositories/imports.repository';
import { NotificationsRepository } from './repositories/notifications.repository';
import { ProblemsRepository } from './repositories/problems.repository';
import { ReferenceRepository } from './repositories/reference.repository';
import { RemindersRepository } from './repositories/reminders.repository';
import { RollupsRepository } from './repositories/rollups.repository';
import { SettingsRepository } from './repositories/settings.repository';
import { UsersRepository } from './repositories/users.repository';
import { VisitsRepository } from './repositories/visits.repository';
import { ReminderTriggers } from './reminders/reminder-triggers';
import { TransactionContext } from './transactions/transaction-context';
import { ChangeSettingsWorkflow } from './workflows/change-settings.workflow';
import { ReassignEnterpriseWorkflow } from './workflows/reassign-enterprise.workflow';
import { ExportsService } from './exports/exports.service';

/** The query modules: all SQL of the domain, one per aggregate, below the services. */
const repositories = [
  AuditRepository,
  DashboardRepository,
  DemandsRepository,
  EnterprisesRepository,
  ImportsRepository,
  NotificationsRepository,
  ProblemsRepository,
  ReferenceRepository,
  RemindersRepository,
  RollupsRepository,
  SettingsRepository,
  UsersRepository,
  VisitsRepository,
];

/** Above the aggregates: a change that spans two of them in one transaction. */
const workflows = [ChangeSettingsWorkflow, ReassignEnterpriseWorkflow];

const services = [
  DashboardService,
  DemandsService,
  DigestService,
  EnterprisesService,
  EnterpriseImportPlanner,
  EnterpriseImportWriter,
  ImportsService,
  ExportsService,
  NotificationsService,
  ProblemsService,
  ReferenceService,
  ReminderDeliveryService,
  ReminderReconciler,
  SettingsService,
  UsersService,
  VisitsService,
];

@Module({
  imports: [DatabaseModule, QueueModule],
  providers: [
    TransactionContext,
    ReminderTriggers,
    ...repositories,
    ...services,
    ...workflows,
    { provide: Clock, useClass: SystemClock },
  ],
  exports: [TransactionContext, ...repositories, ...services, ...workflows, Clock, QueueModule],
})
export class DomainModule {}
