import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
// Global set-up runs outside Jest's module mapping: import the harness files, not the barrel (which pulls in @datafactory/*).
import { OtlpReceiver } from '../../libs/testing/src/otlp-receiver';
import { RunningStack, repoRoot, startStack } from '../../libs/testing/src/stack';
import { createTestDatabase } from '../../libs/testing/src/test-database';

declare global {
  var __DATAFACTORY_E2E__: { stack: RunningStack; databaseUrl: string; receiver: OtlpReceiver } | undefined;
}

/**
 * The five services as real processes against a fresh database; tests reach them through the gateway. Tracing is
 * on, exporting to an in-process OTLP receiver, so every e2e test also runs with the instrumentations loaded and
 * the tracing tests can read the spans of the whole run.
 */
export default async function setup(): Promise<void> {
  const databaseUrl = await createTestDatabase('df_e2e');
  const dir = join(repoRoot, 'tmp', 'test-logs');
  mkdirSync(dir, { recursive: true });
  const receiver = await OtlpReceiver.start(join(dir, `spans-${Date.now()}.jsonl`));
  const stack = await startStack({
    databaseUrl,
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      // Export within a fraction of a second instead of every 5 s: the tests wait for spans.
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=e2e',
      // Small enough that a test's namespace of a few dozen documents gets its own HNSW index.
      VECTOR_INDEX_MIN_CHUNKS: '40',
      // Jobs must start because their creator kicked the outbox relay (over Redis), not because it polled.
      OUTBOX_POLL_MS: '60000',
    },
  });
  globalThis.__DATAFACTORY_E2E__ = { stack, databaseUrl, receiver };
  process.env['E2E_GATEWAY_URL'] = stack.gatewayUrl;
  process.env['E2E_ADMIN_TOKEN'] = stack.adminToken;
  process.env['E2E_DATABASE_URL'] = databaseUrl;
  process.env['E2E_PORTS'] = JSON.stringify(stack.ports);
  process.env['E2E_METRICS_PORTS'] = JSON.stringify(stack.metricsPorts);
  process.env['E2E_GOVERNANCE_SIGNING_KEY'] = stack.env['GOVERNANCE_SIGNING_KEY'];
  process.env['E2E_QUEUE_PREFIX'] = stack.env['QUEUE_PREFIX'];
  process.env['E2E_REDIS_URL'] = stack.env['REDIS_URL'];
  process.env['E2E_LOG_DIR'] = stack.logDir;
  process.env['E2E_SPANS_FILE'] = receiver.file;
}
