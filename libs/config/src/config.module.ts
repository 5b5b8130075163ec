import { Global, Module } from '@nestjs/common';
import { Environment, validateEnvironment } from './environment';

/**
 * Offers the environment, validated once when the application starts, as the typed
 * `Environment` provider. A bad value stops the process with a message naming the variable.
 */
@Global()
@Module({
  providers: [{ provide: Environment, useFactory: () => validateEnvironment(process.env) }],
  exports: [Environment],
})
export class KeydeskConfigModule {}
