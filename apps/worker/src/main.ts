import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigurationError, validateEnvironment } from '@keydesk/config';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  try {
    validateEnvironment(process.env);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  // An application context: no HTTP server. Shutdown hooks close workers, then queues, then connections.
  const app = await NestFactory.createApplicationContext(WorkerModule);
  app.enableShutdownHooks();
}

void bootstrap();
