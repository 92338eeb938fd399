// One config, three tiers: unit specs beside the code, integration specs against real
// PostgreSQL and NATS, end-to-end specs in test/ against a running platform in any shape.
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2023',
      },
      module: { type: 'commonjs' },
    },
  ],
};

const moduleNameMapper = {
  '^@platform/migrations/(.*)$': '<rootDir>/migrations/$1',
  '^@platform/database/testing$': '<rootDir>/libs/database/test/scratch-context-database.ts',
  '^@platform/(.*)$': '<rootDir>/libs/$1/src',
};

const base = { rootDir: __dirname, transform, moduleNameMapper, testEnvironment: 'node' };

module.exports = {
  // End-to-end suites start whole deployments that share one NATS server: one at a time.
  maxWorkers: process.env.JEST_MAX_WORKERS ?? '50%',
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts', '<rootDir>/test/architecture/**/*.spec.ts'],
      testPathIgnorePatterns: ['\\.integration\\.spec\\.ts$'],
    },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs}/**/*.integration.spec.ts'],
      // Each suite creates its databases and runs migrations, seconds on a busy machine.
      testTimeout: 30_000,
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/e2e.setup.ts'],
    },
  ],
};
