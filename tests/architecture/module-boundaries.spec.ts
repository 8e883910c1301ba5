import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './table-writers';

const run = promisify(execFile);
const bin = (name: string) => join(repoRoot, 'node_modules/.bin', name);

interface LintResult {
  filePath: string;
  messages: Array<{ ruleId: string | null; message: string }>;
}

/**
 * Lints probe files placed inside real projects with the repository's own ESLint config, and checks that
 * `@nx/enforce-module-boundaries` rejects cross-service data access and accepts a service's own.
 */
describe('module boundaries (lint)', () => {
  const dir = `__boundary_probe_${process.pid}__`;
  const probes = {
    searchImportsGatewayData: `apps/search/src/${dir}/probe.ts`,
    ingestDataImportsGovernanceData: `libs/ingest-data/src/${dir}/probe.ts`,
    gatewayImportsGatewayData: `apps/gateway/src/${dir}/probe.ts`,
  };
  let results: Map<string, LintResult['messages']>;

  beforeAll(async () => {
    const write = (path: string, text: string) => {
      mkdirSync(join(repoRoot, path, '..'), { recursive: true });
      writeFileSync(join(repoRoot, path), text);
    };
    write(
      probes.searchImportsGatewayData,
      `import { ApiKeysRepository } from '@datafactory/gateway-data';\nexport const probe = ApiKeysRepository;\n`,
    );
    write(
      probes.ingestDataImportsGovernanceData,
      `import { RetentionRepository } from '@datafactory/governance-data';\nexport const probe = RetentionRepository;\n`,
    );
    write(
      probes.gatewayImportsGatewayData,
      `import { ApiKeysRepository } from '@datafactory/gateway-data';\nexport const probe = ApiKeysRepository;\n`,
    );
    const env = { ...process.env, NX_DAEMON: 'false' };
    try {
      // The rule reads the project graph; without one it silently allows everything.
      await run(bin('nx'), ['show', 'projects'], { cwd: repoRoot, env });
      const out = await run(bin('eslint'), ['--format', 'json', '--no-warn-ignored', ...Object.values(probes)], {
        cwd: repoRoot,
        env,
        maxBuffer: 16 * 1024 * 1024,
      }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '[]' })); // exit code 1 when it finds errors
      const parsed = JSON.parse(out.stdout) as LintResult[];
      results = new Map(parsed.map((r) => [r.filePath.slice(repoRoot.length + 1), r.messages]));
    } finally {
      for (const path of Object.values(probes)) rmSync(join(repoRoot, path, '..'), { recursive: true, force: true });
    }
  }, 120_000);

  const boundaryErrors = (path: string) => (results.get(path) ?? []).filter((m) => m.ruleId === '@nx/enforce-module-boundaries');

  it('rejects a service importing another service’s data-access library', () => {
    expect(results.has(probes.searchImportsGatewayData)).toBe(true);
    expect(boundaryErrors(probes.searchImportsGatewayData).map((m) => m.message)).toEqual([
      expect.stringContaining('"scope:search" can only depend on libs tagged with "scope:shared", "scope:search"'),
    ]);
  });

  it('rejects one service’s data-access library importing another’s', () => {
    expect(boundaryErrors(probes.ingestDataImportsGovernanceData).map((m) => m.message)).toEqual([
      expect.stringContaining('"scope:ingest" can only depend on libs tagged with "scope:shared", "scope:ingest"'),
    ]);
  });

  it('accepts a service importing its own data-access library', () => {
    expect(results.has(probes.gatewayImportsGatewayData)).toBe(true);
    expect(results.get(probes.gatewayImportsGatewayData)).toEqual([]);
  });
});
