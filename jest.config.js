// One Jest run, six projects: unit (no I/O), integration (real Postgres + pgvector and Redis,
// real migrations), e2e (the five services running as processes, driven over HTTP) and faults (crash
// and outage scenarios against the services with their own Postgres and Redis), deploy (image, compose, chart)
// and bench (a smoke of the side-by-side benchmark).
const { readFileSync } = require('node:fs');

const tsconfig = JSON.parse(readFileSync(`${__dirname}/tsconfig.base.json`, 'utf8'));
const moduleNameMapper = Object.fromEntries(
  Object.entries(tsconfig.compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace('/', '\\/')}$`,
    `<rootDir>/${target.replace(/^\.\//, '')}`,
  ]),
);

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
      sourceMaps: 'inline',
    },
  ],
};

const common = { rootDir: __dirname, testEnvironment: 'node', transform, moduleNameMapper, moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  reporters: ['default', '<rootDir>/tools/jest/summary-reporter.js'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    // The structure itself: the owner map in docs/architecture.md against the code, and the lint boundaries.
    { ...common, displayName: 'architecture', testMatch: ['<rootDir>/tests/architecture/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/tests/setup/integration.global-setup.ts',
      globalTeardown: '<rootDir>/tests/setup/integration.global-teardown.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/tests/setup/e2e.global-setup.ts',
      globalTeardown: '<rootDir>/tests/setup/e2e.global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/tests/setup/e2e.timeout.ts'],
    },
    {
      ...common,
      displayName: 'faults',
      testMatch: ['<rootDir>/tests/faults/**/*.fault-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/tests/setup/faults.timeout.ts'],
    },
    // The deployment artefacts (Dockerfile, compose stack, Helm chart) checked without Docker or helm.
    { ...common, displayName: 'deploy', testMatch: ['<rootDir>/tests/deploy/**/*.deploy-spec.ts'] },
    // A smoke of `npm run bench:compare` (a few hundred documents): it works and writes its files; no timings asserted.
    { ...common, displayName: 'bench', testMatch: ['<rootDir>/tests/bench/**/*.bench-spec.ts'] },
  ],
};
