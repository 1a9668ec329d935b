import type { Config } from 'jest';

// One jest run covers the tests of every package. Sources are compiled by ts-jest; `.js` suffixes of relative
// ESM imports are mapped back to the `.ts` files, and workspace packages resolve to their sources.
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/demo', '<rootDir>/test'],
  testMatch: ['**/test/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }] },
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // Core as Node resolves it (the "node" condition: content hashing loaded), then every package and subpath.
    '^@shared-call/core$': '<rootDir>/packages/core/src/node.ts',
    '^@shared-call/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
    '^@shared-call/([a-z-]+)/([a-z-]+)$': '<rootDir>/packages/$1/src/$2.ts',
  },
  // A package build in progress (scripts/build-package.mjs) has a staging copy with the package's own name.
  modulePathIgnorePatterns: ['/\\.build-\\d+/', '/\\.dist-old-\\d+/'],
  testTimeout: 30_000,
  // A redis-server for @shared-call/redis's tests (see packages/redis/test/redis-global-setup.cjs).
  globalSetup: '<rootDir>/packages/redis/test/redis-global-setup.cjs',
  globalTeardown: '<rootDir>/packages/redis/test/redis-global-teardown.cjs',
};

export default config;
