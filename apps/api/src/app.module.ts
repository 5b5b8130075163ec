import { Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { Environment, KeydeskConfigModule } from '@keydesk/config';
import { AuthModule, DomainModule, UsersService } from '@keydesk/domain';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { DashboardController } from './dashboard/dashboard.controller';
import { DemandsController } from './demands/demands.controller';
import { EnterprisesController } from './enterprises/enterprises.controller';
import { HealthController } from './health/health.controller';
import { ImportsController } from './imports/imports.controller';
import { NotificationsController } from './notifications/notifications.controller';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { ProblemsController } from './problems/problems.controller';
import { ReferenceController } from './reference/reference.controller';
import { SettingsController } from './settings/settings.controller';
import { DirectoryController } from './users/directory.controller';
import { UsersController } from './users/users.controller';
import { VisitsController } from './visits/visits.controller';

/** On a database with no users, KEYDESK_ADMIN_PASSWORD creates user `admin`. */
@Injectable()
class InitialAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger(InitialAdmin.name);
  constructor(
    private readonly env: Environment,
    private readonly users: UsersService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.env.KEYDESK_ADMIN_PASSWORD) return;
    if (await this.users.createInitialAdmin(this.env.KEYDESK_ADMIN_PASSWORD)) {
      this.logger.log('created user admin from KEYDESK_ADMIN_PASSWORD');
    }
  }
}

@Module({
  imports: [KeydeskConfigModule, DomainModule, AuthModule],
  controllers: [
    AuthController,
    UsersController,
    DirectoryController,
    EnterprisesController,
    ImportsController,
    VisitsController,
    DemandsController,
    ProblemsController,
    DashboardController,
    NotificationsController,
    SettingsController,
    ReferenceController,
    HealthController,
  ],
  providers: [
    InitialAdmin,
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
  ],
})
export class AppModule {}
