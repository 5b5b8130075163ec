import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { Environment } from '@keydesk/config';
import { RedisModule } from '@keydesk/queue';
import { DomainModule } from '../domain.module';
import { AuthService } from './auth.service';
import { LoginBlocksLifted } from './login-blocks-lifted';
import { LoginLimiter } from './login-limiter';

/**
 * Logging in, tokens and the failed-login limits (kept in Redis): the API's concern only, so the
 * worker, which never logs anyone in, has neither the JWT key nor the limiter's Redis client.
 */
@Module({
  imports: [
    DomainModule,
    RedisModule,
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
  providers: [AuthService, LoginLimiter, LoginBlocksLifted],
  exports: [AuthService, LoginLimiter],
})
export class AuthModule {}
