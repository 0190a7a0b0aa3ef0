// Jest runs the TypeScript sources through @swc/jest as CommonJS (the sources are ESM; Node runs
// them natively elsewhere). Real Postgres and Redis are started once per run by the global setup.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/.toolchain/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/.toolchain/', '<rootDir>/dist/'],
  moduleFileExtensions: ['ts', 'js', 'cjs', 'mjs', 'json'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
        module: { type: 'commonjs' },
      },
    ],
  },
  globalSetup: '<rootDir>/test/harness/services/jest-global-setup.ts',
  globalTeardown: '<rootDir>/test/harness/services/jest-global-teardown.ts',
  testTimeout: 30_000,
};
