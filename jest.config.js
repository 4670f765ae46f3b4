/** Unit, template and local-runtime tests. Type checking is a separate step (`npm run typecheck`). */
const { availableParallelism } = require('node:os');

module.exports = {
  // Jest's default (one core fewer than the machine has) runs a 2-core CI machine in band on one core;
  // the suites are CPU-bound and the parent process idles while they run, so two workers there.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  setupFiles: ['<rootDir>/local/polyfills.cjs'],
  testTimeout: 30000,
};
