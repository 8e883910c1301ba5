// The first import of main.ts: the tracing instrumentations patch http, express, pg and ioredis as they are
// loaded, so the SDK must start before anything else is required. `.env` is read first so OTEL_* set there count.
import { prepareEnvironment } from '@datafactory/config';
import { startTracing } from '@datafactory/telemetry/tracing';

prepareEnvironment();
startTracing('job-orchestrator');
