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
    await app.listen(env.PORT, '0.0.0.0');
  } catch (error) {
    // The one start-up failure an operator causes most often: say it in one line, not a stack trace.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
    logger.error(
      code === 'EADDRINUSE'
        ? `port ${env.PORT} is in use by another program: stop it or set PORT to a free port`
        : `port ${env.PORT} may not be opened by this user: set PORT to a port above 1023`,
    );
    await app.close();
    process.exit(1);
  }
  logger.log(`API listening on http://127.0.0.1:${env.PORT}/api/v1, docs at http://127.0.0.1:${env.PORT}/api/docs`);
}

void bootstrap();
