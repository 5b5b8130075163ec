import { databaseUrl, TEST_REDIS_URL, workerDatabase, workerQueuePrefix } from './test-env';

// Runs in every test worker before its suites load: the app under test reads these once at start.
process.env.NODE_ENV = 'test';
process.env.DATABASE_URL = databaseUrl(workerDatabase());
process.env.REDIS_URL = TEST_REDIS_URL;
process.env.QUEUE_PREFIX = workerQueuePrefix();
process.env.JWT_SECRET = 'keydesk-test-secret-keydesk-test-secret';
delete process.env.KEYDESK_ADMIN_PASSWORD;
delete process.env.PORT;
