/** Benchmarks: the e2e harness (own database and Redis prefix) with a large generated data set. */
const base = require('../jest.config.js');

const e2e = base.projects.find((project) => project.displayName === 'e2e');

module.exports = {
  ...e2e,
  displayName: 'bench',
  testMatch: ['<rootDir>/bench/**/*.bench.ts'],
  testTimeout: 30 * 60 * 1000,
  maxWorkers: 1,
};
