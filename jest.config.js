/** Unit tests beside the code; end-to-end suites in test/ on real PostgreSQL and Redis. */
const { readFileSync } = require('node:fs');

const swc = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8'));
const { compilerOptions } = JSON.parse(readFileSync(`${__dirname}/tsconfig.json`, 'utf8'));
// `@keydesk/domain` → libs/domain/src, built from the tsconfig paths so the two never disagree.
const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias}$`,
    `<rootDir>/${target.replace(/^\.\//, '')}`,
  ]),
);

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  // Nest 12 ships ES modules only; swc turns them (and our TypeScript) into CommonJS for jest.
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', { ...swc, swcrc: false }] },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|file-type|uid|load-esm)/)'],
  moduleNameMapper,
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  // The web app has its own runners (vitest, Playwright).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/apps/web/'],
};

module.exports = {
  // Per project it is ignored: the e2e suites wait for real delayed jobs and need more than the 5 s default.
  testTimeout: 30000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFiles: ['<rootDir>/test/support/worker-env.ts'],
    },
  ],
};
