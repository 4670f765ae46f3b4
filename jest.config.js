/**
 * Unit, template and local-runtime tests. Type checking is a separate step (`npm run typecheck`).
 *
 * Two projects. `default` is what `npm test` runs. `slow` holds the suites named `*.slow.test.ts`: the
 * esbuild bundles, processes spawned (npm start, local serve, the CLI), runs on a scaled real-time clock,
 * the browser, whole restore and cutover workflows, concurrency properties and the config matrix.
 * `npm run test:slow` runs them, CI runs them on every change (`.ci/run`), and `npx jest` runs both.
 */
const { availableParallelism } = require('node:os');

const shared = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  setupFiles: ['<rootDir>/local/polyfills.cjs'],
};

module.exports = {
  // Jest's default (one core fewer than the machine has) runs a 2-core CI machine in band on one core;
  // the suites are CPU-bound and the parent process idles while they run, so two workers there.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  // Two suites share two cores: a test that takes 15 s alone may take twice that beside another one.
  testTimeout: 60000,
  projects: [
    {
      ...shared,
      displayName: 'default',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['\\.slow\\.test\\.ts$'],
    },
    { ...shared, displayName: 'slow', testMatch: ['**/*.slow.test.ts'] },
  ],
};
