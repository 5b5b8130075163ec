import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { Clock, SystemClock } from '@keydesk/common';
import { Environment } from '@keydesk/config';
import { DatabaseModule } from '@keydesk/database';
import { QueueModule, RedisModule } from '@keydesk/queue';
import { AuthService } from './auth/auth.service';
import { LoginLimiter } from './auth/login-limiter';
import { EnterprisesService } from './enterprises/enterprises.service';
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

const services = [
  AuthService,
  DashboardService,
  DemandsService,
  DigestService,
  EnterprisesService,
  LoginLimiter,
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
  imports: [
    DatabaseModule,
    RedisModule,
    QueueModule,
    JwtModule.registerAsync({
      inject: [Environment],
      useFactory: (env: Environment) => ({
        // A KeyObject, made once: given a string, jsonwebtoken first tries (and fails) to parse it
        // as a public key on every call, which cost a tenth of the API's CPU under load.
        secret: createSecretKey(Buffer.from(env.jwtSecret)) as unknown as Buffer,
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  providers: [...services, { provide: Clock, useClass: SystemClock }],
  exports: [...services, Clock, QueueModule],
})
export class DomainModule {}
