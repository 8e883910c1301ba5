import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Packages that only data-access or app code may import: contracts, config and the
// pure utility libs stay free of ORM, queue, Redis and Nest code.
const infraPackages = ['typeorm', 'pg', 'pgvector', 'pgvector/*', 'ioredis', 'bullmq', '@nestjs/*', 'express'];

// One owner per table (docs/architecture.md, "Who owns which table"): each service's data-access library is
// tagged with that service's scope, so no service can import another's data access; the shared owners (db, jobs,
// audit, erasure) are scope:shared. tools/lint/module-boundaries.spec.ts proves that a forbidden import fails.
const boundaries = (allow = []) => [
  'error',
  {
    enforceBuildableLibDependency: false,
    allow,
    depConstraints: [
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util'] },
      { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util'] },
      { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util'] },
      { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'], bannedExternalImports: infraPackages },
      { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:data-access', 'type:util'] },
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:shared', 'scope:gateway'] },
      { sourceTag: 'scope:ingest', onlyDependOnLibsWithTags: ['scope:shared', 'scope:ingest'] },
      { sourceTag: 'scope:search', onlyDependOnLibsWithTags: ['scope:shared', 'scope:search'] },
      { sourceTag: 'scope:job-orchestrator', onlyDependOnLibsWithTags: ['scope:shared', 'scope:job-orchestrator'] },
      { sourceTag: 'scope:governance', onlyDependOnLibsWithTags: ['scope:shared', 'scope:governance'] },
    ],
  },
];

export default [
  { ignores: ['**/dist', '**/node_modules', '**/coverage', 'tmp', '.nx', '.stack'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@nx/enforce-module-boundaries': boundaries(),
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'tests/**/*.ts'],
    // Tests of any project may use the shared test harness (libs/testing); production code may not.
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@nx/enforce-module-boundaries': boundaries(['@datafactory/testing']) },
  },
  {
    // The search's plan tests assert that its queries use the very indexes ingest builds, so they build them
    // with ingest's VectorIndexRepository: a test-only dependency, allowed here and nowhere else.
    files: ['libs/search-data/src/**/*.int-spec.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(['@datafactory/testing', '@datafactory/ingest-data']) },
  },
  { files: ['**/*.mjs', '**/*.js'], ...tseslint.configs.disableTypeChecked },
];
