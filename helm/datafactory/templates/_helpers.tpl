{{/* Names */}}

{{- define "datafactory.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "datafactory.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
"<fullname>-<suffix>" within the 63 characters of a DNS label: the full name is shortened, never the suffix, so
that two components of one release cannot end up with the same name. Call with (list $ "suffix").
*/}}
{{- define "datafactory.resourceName" -}}
{{- $root := index . 0 }}
{{- $suffix := index . 1 }}
{{- $max := sub 62 (len $suffix) | int }}
{{- printf "%s-%s" (include "datafactory.fullname" $root | trunc $max | trimSuffix "-") $suffix }}
{{- end }}

{{- define "datafactory.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "datafactory.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "datafactory.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Labels */}}

{{- define "datafactory.selectorLabels" -}}
app.kubernetes.io/name: {{ include "datafactory.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "datafactory.labels" -}}
helm.sh/chart: {{ include "datafactory.chart" . }}
{{ include "datafactory.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | replace "+" "_" | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: datafactory
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* (dict "root" $ "component" "gateway") */}}
{{- define "datafactory.componentSelectorLabels" -}}
{{ include "datafactory.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "datafactory.componentLabels" -}}
{{ include "datafactory.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "datafactory.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/*
The services. Ports are the image's defaults and are passed explicitly. `variables` are the settings of
`config` each service reads (its zod schema minus what the chart sets itself), `secrets` the keys of the
services' Secret it gets; tests/deploy/helm-chart.deploy-spec.ts checks both against the apps' schemas.
`api: false` marks a component no one calls: it gets no API Service and no API port in its NetworkPolicy.
`program` is the image argument when it is not the component name; `configFrom` lists the values blocks whose
`config` override the shared one, later ones winning (default: the component's own).
*/}}
{{- define "datafactory.components" -}}
gateway:
  values: gateway
  api: true
  httpPort: 8080
  metricsPort: 9101
  portVariable: GATEWAY_PORT
  secrets: [ADMIN_TOKEN, API_KEY_PEPPER, INTERNAL_TOKEN]
  variables: [LOG_LEVEL, SHUTDOWN_TIMEOUT_MS, DB_POOL_SIZE, DB_STATEMENT_TIMEOUT_MS, DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    QUEUE_PREFIX, MAX_BODY_BYTES, UPSTREAM_TIMEOUT_MS, IDEMPOTENCY_TTL_SECONDS, SSE_HEARTBEAT_MS]
ingest:
  values: ingest
  api: true
  httpPort: 8081
  metricsPort: 9102
  portVariable: INGEST_PORT
  secrets: &ingestSecrets [INTERNAL_TOKEN, GOVERNANCE_SIGNING_KEY, EMBEDDING_API_KEY]
  variables: &ingestVariables [LOG_LEVEL, SHUTDOWN_TIMEOUT_MS, DB_POOL_SIZE, DB_STATEMENT_TIMEOUT_MS,
    DB_IDLE_IN_TRANSACTION_TIMEOUT_MS, QUEUE_PREFIX, MAX_BODY_BYTES, EMBEDDING_PROVIDER, EMBEDDING_BASE_URL, EMBEDDING_MODEL, EMBEDDING_DIMENSIONS,
    EMBEDDING_AZURE_API_VERSION, EMBEDDING_BATCH_SIZE, EMBEDDING_CONCURRENCY, EMBEDDING_TIMEOUT_MS, EMBEDDING_MAX_RETRIES,
    CHUNK_MAX_TOKENS, CHUNK_OVERLAP_TOKENS, RETRY_BASE_MS, RETRY_FACTOR, WORKER_ENABLED, WORKER_CONCURRENCY, WORKER_LOCK_MS,
    WORKER_STALLED_INTERVAL_MS, WORKER_WRITE_GROUP_DOCS, VECTOR_INDEX_MIN_CHUNKS, VECTOR_INDEX_M, VECTOR_INDEX_EF_CONSTRUCTION,
    VECTOR_INDEX_BUILD_MEMORY, RETENTION_DEFAULT_DAYS, RETENTION_DELETED_GRACE_DAYS, RETENTION_SWEEP_INTERVAL_MS,
    RETENTION_SWEEP_BATCH]
# The worker-only ingest pods (ingestWorker.enabled): the same program, settings and secrets, on ingest's ports.
ingest-worker:
  values: ingestWorker
  api: false
  program: ingest
  configFrom: [ingest, ingestWorker]
  httpPort: 8081
  metricsPort: 9102
  portVariable: INGEST_PORT
  secrets: *ingestSecrets
  variables: *ingestVariables
search:
  values: search
  api: true
  httpPort: 8082
  metricsPort: 9103
  portVariable: SEARCH_PORT
  secrets: [INTERNAL_TOKEN, EMBEDDING_API_KEY]
  variables: [LOG_LEVEL, SHUTDOWN_TIMEOUT_MS, DB_POOL_SIZE, DB_STATEMENT_TIMEOUT_MS, DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    EMBEDDING_PROVIDER, EMBEDDING_BASE_URL, EMBEDDING_MODEL, EMBEDDING_DIMENSIONS, EMBEDDING_AZURE_API_VERSION,
    EMBEDDING_BATCH_SIZE, EMBEDDING_CONCURRENCY, EMBEDDING_TIMEOUT_MS, EMBEDDING_MAX_RETRIES, SEARCH_EF_SEARCH, SEARCH_MAX_SCAN_TUPLES,
    SEARCH_HYBRID_CANDIDATES, QUERY_EMBEDDING_CACHE_SIZE]
job-orchestrator:
  values: jobOrchestrator
  api: true
  httpPort: 8083
  metricsPort: 9104
  portVariable: JOB_ORCHESTRATOR_PORT
  secrets: [INTERNAL_TOKEN]
  variables: [LOG_LEVEL, SHUTDOWN_TIMEOUT_MS, DB_POOL_SIZE, DB_STATEMENT_TIMEOUT_MS, DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    QUEUE_PREFIX, MAX_BODY_BYTES, JOB_MAX_ATTEMPTS, BATCH_MAX_DOCUMENTS, INTERACTIVE_BATCH_MAX, OUTBOX_RELAY_ENABLED,
    OUTBOX_POLL_MS, RECONCILE_INTERVAL_MS, RECONCILE_IDLE_MS, RETENTION_DEFAULT_DAYS, RETENTION_DELETED_GRACE_DAYS,
    RETENTION_SWEEP_INTERVAL_MS, RETENTION_SWEEP_BATCH]
governance:
  values: governance
  api: true
  httpPort: 8084
  metricsPort: 9105
  portVariable: GOVERNANCE_PORT
  secrets: [INTERNAL_TOKEN, GOVERNANCE_SIGNING_KEY]
  variables: [LOG_LEVEL, SHUTDOWN_TIMEOUT_MS, DB_POOL_SIZE, DB_STATEMENT_TIMEOUT_MS, DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    QUEUE_PREFIX, JOB_MAX_ATTEMPTS, RETENTION_DEFAULT_DAYS, RETENTION_DELETED_GRACE_DAYS, RETENTION_SWEEP_INTERVAL_MS,
    RETENTION_SWEEP_BATCH]
{{- end }}

{{- define "datafactory.componentNames" -}}
[gateway, ingest, ingest-worker, search, job-orchestrator, governance]
{{- end }}

{{/* The image argument of a component: (dict "root" $ "component" "ingest-worker") */}}
{{- define "datafactory.program" -}}
{{- $c := index (include "datafactory.components" .root | fromYaml) .component }}
{{- $c.program | default .component }}
{{- end }}

{{/*
The Deployment KEDA scales: where the queue worker runs, the worker-only Deployment when there is one.
*/}}
{{- define "datafactory.kedaTarget" -}}
{{- if .Values.ingestWorker.enabled }}ingest-worker{{ else }}ingest{{ end }}
{{- end }}

{{/*
Settings that services must agree on (docs/configuration.md, "Same values everywhere"): they come from `config`
only, never from one service's overrides.
*/}}
{{- define "datafactory.sharedOnlyVariables" -}}
[QUEUE_PREFIX, EMBEDDING_PROVIDER, EMBEDDING_BASE_URL, EMBEDDING_MODEL, EMBEDDING_DIMENSIONS, EMBEDDING_AZURE_API_VERSION,
  RETENTION_DEFAULT_DAYS, RETENTION_DELETED_GRACE_DAYS, RETENTION_SWEEP_INTERVAL_MS]
{{- end }}

{{/* The values block of a component: (dict "root" $ "component" "ingest") */}}
{{- define "datafactory.componentValues" -}}
{{- $c := index (include "datafactory.components" .root | fromYaml) .component }}
{{- toYaml (index .root.Values $c.values) }}
{{- end }}

{{/*
A value as an environment variable string. Numbers in values files are float64 in Helm: printed as they are,
10485760 would become "1.048576e+07".
*/}}
{{- define "datafactory.envString" -}}
{{- if kindIs "float64" . }}{{ int64 . }}{{ else }}{{ . }}{{ end }}
{{- end }}

{{/*
The effective value of each `config` variable a component reads, as a YAML map of strings: the component's
override (for the worker: ingest's, then its own), else the shared value; null or "" leaves the variable unset
(the application default applies).
*/}}
{{- define "datafactory.componentSettings" -}}
{{- $root := .root }}
{{- $c := index (include "datafactory.components" $root | fromYaml) .component }}
{{- /* Not sprig's merge: it would let a lower layer fill in a null, false or 0 of a higher one. */}}
{{- $own := dict }}
{{- range $block := $c.configFrom | default (list $c.values) }}
{{- range $var, $value := (index $root.Values $block).config | default dict }}
{{- $_ := set $own $var $value }}
{{- end }}
{{- end }}
{{- /* With a worker Deployment of its own, the chart decides where the queue worker runs. */}}
{{- if $root.Values.ingestWorker.enabled }}
{{- if eq .component "ingest" }}{{ $_ := set $own "WORKER_ENABLED" false }}{{ end }}
{{- if eq .component "ingest-worker" }}{{ $_ := set $own "WORKER_ENABLED" true }}{{ end }}
{{- end }}
{{- $shared := $root.Values.config }}
{{- range $var := $c.variables }}
{{- $v := index $shared $var }}
{{- if hasKey $own $var }}{{ $v = index $own $var }}{{ end }}
{{- if and (not (kindIs "invalid" $v)) (ne (toString $v) "") }}
{{ $var }}: {{ include "datafactory.envString" $v | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/* One effective setting of a component, "" when unset: (dict "root" $ "component" "ingest" "name" "QUEUE_PREFIX") */}}
{{- define "datafactory.setting" -}}
{{- $settings := include "datafactory.componentSettings" . | fromYaml }}
{{- index $settings .name | default "" }}
{{- end }}

{{- define "datafactory.serviceUrl" -}}
{{- $c := index (include "datafactory.components" .root | fromYaml) .component }}
{{- $app := index .root.Values $c.values }}
{{- printf "http://%s.%s.svc.%s:%d" (include "datafactory.resourceName" (list .root .component)) .root.Release.Namespace .root.Values.clusterDomain (int64 $app.service.port) }}
{{- end }}

{{- define "datafactory.trustedCaPath" -}}
{{- printf "/etc/datafactory/ca/%s" .Values.trustedCa.key }}
{{- end }}

{{/*
The ConfigMap data of a component: everything it reads that is not secret. Its hash is a pod annotation, so a
change rolls exactly the services it concerns.
*/}}
{{- define "datafactory.configMapData" -}}
{{- $root := .root }}
{{- $c := index (include "datafactory.components" $root | fromYaml) .component }}
ENV_FILE: "none"
NODE_ENV: "production"
BIND_HOST: "0.0.0.0"
{{ $c.portVariable }}: {{ int64 $c.httpPort | quote }}
METRICS_PORT: {{ int64 $c.metricsPort | quote }}
{{- if eq .component "gateway" }}
INGEST_URL: {{ include "datafactory.serviceUrl" (dict "root" $root "component" "ingest") | quote }}
SEARCH_URL: {{ include "datafactory.serviceUrl" (dict "root" $root "component" "search") | quote }}
JOB_ORCHESTRATOR_URL: {{ include "datafactory.serviceUrl" (dict "root" $root "component" "job-orchestrator") | quote }}
GOVERNANCE_URL: {{ include "datafactory.serviceUrl" (dict "root" $root "component" "governance") | quote }}
{{- end }}
{{- if $root.Values.trustedCa.secretName }}
NODE_EXTRA_CA_CERTS: {{ include "datafactory.trustedCaPath" $root | quote }}
{{- end }}
{{- if $root.Values.tracing.otlpEndpoint }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ $root.Values.tracing.otlpEndpoint | quote }}
{{- /* The worker is the ingest program: its spans belong to datafactory-ingest, like its metrics. */}}
OTEL_SERVICE_NAME: {{ printf "datafactory-%s" (include "datafactory.program" .) | quote }}
{{- if not (kindIs "invalid" $root.Values.tracing.samplerRatio) }}
OTEL_TRACES_SAMPLER: "parentbased_traceidratio"
OTEL_TRACES_SAMPLER_ARG: {{ $root.Values.tracing.samplerRatio | toString | quote }}
{{- end }}
{{- end }}
{{- include "datafactory.componentSettings" . }}
{{- end }}

{{/* Secrets */}}

{{- define "datafactory.appSecretName" -}}
{{- .Values.secrets.existingSecret | default (include "datafactory.fullname" .) }}
{{- end }}

{{- define "datafactory.urlEncode" -}}
{{- urlquery . | replace "+" "%20" }}
{{- end }}

{{- define "datafactory.postgresQuery" -}}
{{- printf "sslmode=%s" .Values.postgres.sslMode }}
{{- end }}

{{/* The whole DATABASE_URL, password included (for the chart's own Secret). */}}
{{- define "datafactory.postgresUrl" -}}
{{- $p := .Values.postgres }}
{{- printf "postgres://%s:%s@%s:%d/%s?%s" (include "datafactory.urlEncode" $p.user) (include "datafactory.urlEncode" $p.password) $p.host (int64 $p.port) (include "datafactory.urlEncode" $p.database) (include "datafactory.postgresQuery" .) }}
{{- end }}

{{/* DATABASE_URL with the password taken from $(DATABASE_PASSWORD), which Kubernetes substitutes in the pod. */}}
{{- define "datafactory.postgresUrlTemplate" -}}
{{- $p := .Values.postgres }}
{{- printf "postgres://%s:$(DATABASE_PASSWORD)@%s:%d/%s?%s" (include "datafactory.urlEncode" $p.user) $p.host (int64 $p.port) (include "datafactory.urlEncode" $p.database) (include "datafactory.postgresQuery" .) }}
{{- end }}

{{- define "datafactory.redisScheme" -}}
{{- if .Values.redis.tls.enabled }}rediss{{ else }}redis{{ end }}
{{- end }}

{{/* The whole REDIS_URL (for the chart's own Secret); no credentials part without a password. */}}
{{- define "datafactory.redisUrl" -}}
{{- $r := .Values.redis }}
{{- $auth := "" }}
{{- if $r.password }}
{{- $auth = printf "%s:%s@" (include "datafactory.urlEncode" $r.username) (include "datafactory.urlEncode" $r.password) }}
{{- end }}
{{- printf "%s://%s%s:%d/%d" (include "datafactory.redisScheme" .) $auth $r.host (int64 $r.port) (int64 $r.db) }}
{{- end }}

{{- define "datafactory.redisUrlTemplate" -}}
{{- $r := .Values.redis }}
{{- printf "%s://%s:$(REDIS_PASSWORD)@%s:%d/%d" (include "datafactory.redisScheme" .) (include "datafactory.urlEncode" $r.username) $r.host (int64 $r.port) (int64 $r.db) }}
{{- end }}

{{/* The chart-managed Secret, as a YAML map; empty when every secret comes from existing Secrets. */}}
{{- define "datafactory.secretData" -}}
{{- $s := .Values.secrets }}
{{- if not $s.existingSecret }}
ADMIN_TOKEN: {{ $s.adminToken | quote }}
API_KEY_PEPPER: {{ $s.apiKeyPepper | quote }}
INTERNAL_TOKEN: {{ $s.internalToken | quote }}
GOVERNANCE_SIGNING_KEY: {{ $s.governanceSigningKey | quote }}
{{- if $s.embeddingApiKey }}
EMBEDDING_API_KEY: {{ $s.embeddingApiKey | quote }}
{{- end }}
{{- end }}
{{- if not .Values.postgres.existingSecret }}
DATABASE_URL: {{ include "datafactory.postgresUrl" . | quote }}
{{- end }}
{{- if not .Values.redis.existingSecret }}
REDIS_URL: {{ include "datafactory.redisUrl" . | quote }}
{{- if .Values.redis.password }}
REDIS_PASSWORD: {{ .Values.redis.password | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/* The environment entries for DATABASE_URL (the Job uses the same, with the hook Secret's name in .secretName). */}}
{{- define "datafactory.databaseEnv" -}}
{{- $p := .root.Values.postgres }}
{{- if and $p.existingSecret $p.existingSecretUrlKey }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ $p.existingSecret }}
      key: {{ $p.existingSecretUrlKey }}
{{- else if $p.existingSecret }}
- name: DATABASE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $p.existingSecret }}
      key: {{ $p.existingSecretPasswordKey }}
- name: DATABASE_URL
  value: {{ include "datafactory.postgresUrlTemplate" .root | quote }}
{{- else }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: DATABASE_URL
{{- end }}
{{- end }}

{{- define "datafactory.redisEnv" -}}
{{- $r := .Values.redis }}
{{- if and $r.existingSecret $r.existingSecretUrlKey }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ $r.existingSecret }}
      key: {{ $r.existingSecretUrlKey }}
{{- else if $r.existingSecret }}
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $r.existingSecret }}
      key: {{ $r.existingSecretPasswordKey }}
- name: REDIS_URL
  value: {{ include "datafactory.redisUrlTemplate" . | quote }}
{{- else }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "datafactory.fullname" . }}
      key: REDIS_URL
{{- end }}
{{- end }}

{{/* Pods */}}

{{- define "datafactory.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- if .Values.trustedCa.secretName }}
- name: trusted-ca
  secret:
    secretName: {{ .Values.trustedCa.secretName }}
    items:
      - key: {{ .Values.trustedCa.key }}
        path: {{ .Values.trustedCa.key }}
{{- end }}
{{- end }}

{{- define "datafactory.tmpVolumeMount" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.trustedCa.secretName }}
- name: trusted-ca
  mountPath: /etc/datafactory/ca
  readOnly: true
{{- end }}
{{- end }}

{{/* A probe from the merged probe settings: (dict "path" "/health/live" "settings" $settings) */}}
{{- define "datafactory.probe" -}}
httpGet:
  path: {{ .path }}
  port: http
periodSeconds: {{ int64 .settings.periodSeconds }}
timeoutSeconds: {{ int64 .settings.timeoutSeconds }}
failureThreshold: {{ int64 .settings.failureThreshold }}
{{- end }}

{{/*
OTEL_RESOURCE_ATTRIBUTES: where a span comes from ($(K8S_POD_NAME) is substituted by Kubernetes). The apps set
service.name, service.version and deployment.environment.name (from NODE_ENV) themselves; these win.
*/}}
{{- define "datafactory.otelResourceAttributes" -}}
{{- $attrs := list (printf "k8s.namespace.name=%s" .Release.Namespace) "k8s.pod.name=$(K8S_POD_NAME)" }}
{{- with .Values.tracing.environment }}
{{- $attrs = append $attrs (printf "deployment.environment.name=%s" .) }}
{{- end }}
{{- range $key, $value := .Values.tracing.resourceAttributes }}
{{- $attrs = append $attrs (printf "%s=%s" $key (toString $value)) }}
{{- end }}
{{- join "," $attrs }}
{{- end }}

{{/* Network policy egress rules */}}
{{- define "datafactory.dnsEgress" -}}
- ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
  {{- with .Values.networkPolicy.dns.to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}

{{- define "datafactory.postgresEgress" -}}
- ports:
    - port: {{ int64 .Values.postgres.port }}
      protocol: TCP
  {{- with .Values.networkPolicy.postgresTo }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}

{{- define "datafactory.storeEgress" -}}
{{ include "datafactory.dnsEgress" . }}
{{ include "datafactory.postgresEgress" . }}
- ports:
    - port: {{ int64 .Values.redis.port }}
      protocol: TCP
  {{- with .Values.networkPolicy.redisTo }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
