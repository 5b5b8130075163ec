import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigurationError, Environment, validateEnvironment } from '@keydesk/config';
import { AppModule } from './app.module';
import { setupApp } from './setup-app';

async function bootstrap(): Promise<void> {
  let env: Environment;
  try {
    env = validateEnvironment(process.env);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    forceCloseConnections: false,
  });
  setupApp(app);
  const logger = new Logger('keydesk-api');
  try {
    await app.listen(env.PORT, env.HOST);
  } catch (error) {
    // The one start-up failure an operator causes most often: say it in one line, not a stack trace.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL' && code !== 'ENOTFOUND') throw error;
    logger.error(
      code === 'EADDRINUSE'
        ? `port ${env.PORT} is in use by another program: stop it or set PORT to a free port`
        : code === 'EACCES'
          ? `port ${env.PORT} may not be opened by this user: set PORT to a port above 1023`
          : `HOST ${env.HOST} is not an address of this machine: set HOST to one of its addresses, or 0.0.0.0`,
    );
    await app.close();
    process.exit(1);
  }
  const shown =
    env.HOST === '0.0.0.0' || env.HOST === '::'
      ? '127.0.0.1'
      : env.HOST.includes(':') && !env.HOST.startsWith('[')
        ? `[${env.HOST}]`
        : env.HOST;
  logger.log(`API listening on http://${shown}:${env.PORT}/api/v1, docs at http://${shown}:${env.PORT}/api/docs`);
}

void bootstrap();
