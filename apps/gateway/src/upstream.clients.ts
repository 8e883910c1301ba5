import { InternalHttpClient } from '@datafactory/service-kit';
import { GatewayConfig } from './gateway.config';

/** One client per internal service the gateway talks to synchronously. */
export class UpstreamClients {
  readonly ingest: InternalHttpClient;
  readonly search: InternalHttpClient;
  readonly jobOrchestrator: InternalHttpClient;
  readonly governance: InternalHttpClient;

  constructor(config: GatewayConfig) {
    const client = (name: string, url: string) => new InternalHttpClient(name, url, config.INTERNAL_TOKEN, config.UPSTREAM_TIMEOUT_MS);
    this.ingest = client('ingest', config.INGEST_URL);
    this.search = client('search', config.SEARCH_URL);
    this.jobOrchestrator = client('job-orchestrator', config.JOB_ORCHESTRATOR_URL);
    this.governance = client('governance', config.GOVERNANCE_URL);
  }

  all(): InternalHttpClient[] {
    return [this.ingest, this.search, this.jobOrchestrator, this.governance];
  }
}

/** `path?k=v&...` with the defined values of `query`, URL-encoded. */
export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
