{{/*
Checks values.schema.json cannot express: what is required depends on other values, and rules the services
would only enforce at start-up (in CrashLoopBackOff) are enforced at install time instead.
*/}}
{{- define "datafactory.validate" -}}
{{- $v := .Values }}
{{- $components := include "datafactory.components" . | fromYaml }}
{{- $sharedOnly := include "datafactory.sharedOnlyVariables" . | fromYamlArray }}

{{- if not $v.secrets.existingSecret }}
{{- if $v.gateway.enabled }}
{{- $_ := required "secrets.adminToken is required (at least 24 characters, e.g. openssl rand -base64 32), or set secrets.existingSecret" $v.secrets.adminToken }}
{{- $_ := required "secrets.apiKeyPepper is required (at least 24 characters), or set secrets.existingSecret" $v.secrets.apiKeyPepper }}
{{- end }}
{{- $_ := required "secrets.internalToken is required (at least 24 characters), or set secrets.existingSecret" $v.secrets.internalToken }}
{{- if or $v.ingest.enabled $v.ingestWorker.enabled $v.governance.enabled }}
{{- $_ := required "secrets.governanceSigningKey is required (at least 24 characters), or set secrets.existingSecret" $v.secrets.governanceSigningKey }}
{{- end }}
{{- end }}

{{- if not (and $v.postgres.existingSecret $v.postgres.existingSecretUrlKey) }}
{{- $_ := required "postgres.host is required (or postgres.existingSecret with postgres.existingSecretUrlKey)" $v.postgres.host }}
{{- if not $v.postgres.existingSecret }}
{{- $_ := required "postgres.password is required, or set postgres.existingSecret" $v.postgres.password }}
{{- end }}
{{- end }}

{{- if or (not (and $v.redis.existingSecret $v.redis.existingSecretUrlKey)) $v.keda.enabled }}
{{- $_ := required "redis.host is required (or redis.existingSecret with redis.existingSecretUrlKey; KEDA always needs it)" $v.redis.host }}
{{- end }}
{{- if and $v.redis.username (not (or $v.redis.password $v.redis.existingSecret)) }}
{{- fail "redis.username needs a password (redis.password or redis.existingSecret)" }}
{{- end }}

{{- if $v.keda.enabled }}
{{- $target := include "datafactory.kedaTarget" . }}
{{- $targetValues := index $v (index $components $target).values }}
{{- if $targetValues.autoscaling.enabled }}
{{- fail (printf "keda.enabled and %s.autoscaling.enabled both scale %s: turn one off (KEDA creates its own HPA)" (index $components $target).values $target) }}
{{- end }}
{{- if not $targetValues.enabled }}
{{- fail (printf "keda.enabled scales %s, which is disabled (%s.enabled: false)" $target (index $components $target).values) }}
{{- end }}
{{- end }}
{{- if $v.ingestWorker.enabled }}
{{- /* The chart sets WORKER_ENABLED on both Deployments; a false here would be silently overridden. */}}
{{- range $source := list (dict "path" "config" "config" $v.config) (dict "path" "ingest.config" "config" ($v.ingest.config | default dict)) }}
{{- if eq (toString (index $source.config "WORKER_ENABLED")) "false" }}
{{- fail (printf "%s.WORKER_ENABLED is false, but ingestWorker.enabled runs the queue worker in its own Deployment and sets WORKER_ENABLED itself: remove the setting, or turn ingestWorker.enabled off to run no worker" $source.path) }}
{{- end }}
{{- end }}
{{- end }}
{{- /* The worker chunks batch upserts as ingest chunks synchronous ones; WORKER_ENABLED is the chart's. */}}
{{- range $var := list "WORKER_ENABLED" "CHUNK_MAX_TOKENS" "CHUNK_OVERLAP_TOKENS" }}
{{- if hasKey ($v.ingestWorker.config | default dict) $var }}
{{- fail (printf "ingestWorker.config.%s: the worker takes %s from ingest (the chart sets WORKER_ENABLED; set the chunk sizes in ingest.config or config)" $var $var) }}
{{- end }}
{{- end }}
{{- if and $v.ingress.enabled (not $v.gateway.enabled) }}
{{- fail "ingress.enabled routes to the gateway, which is disabled (gateway.enabled: false)" }}
{{- end }}

{{- range $name := include "datafactory.componentNames" . | fromYamlArray }}
{{- $c := index $components $name }}
{{- $app := index $v $c.values }}
{{- range $var, $_ := $app.config | default dict }}
{{- if not (has $var $c.variables) }}
{{- fail (printf "%s.config.%s: %s does not read %s" $c.values $var $name $var) }}
{{- end }}
{{- if has $var $sharedOnly }}
{{- fail (printf "%s.config.%s: every service must have the same %s; set it in config.%s" $c.values $var $var $var) }}
{{- end }}
{{- end }}
{{- if $app.enabled }}
{{- /* The process must end (SHUTDOWN_TIMEOUT_MS after SIGTERM, which follows the preStop sleep) before SIGKILL. */}}
{{- $shutdownMs := include "datafactory.setting" (dict "root" $ "component" $name "name" "SHUTDOWN_TIMEOUT_MS") | default "10000" | int64 }}
{{- $needMs := add (mul (int64 $v.lifecycle.preStopSleepSeconds) 1000) $shutdownMs }}
{{- if le (mul (int64 $app.terminationGracePeriodSeconds) 1000) $needMs }}
{{- fail (printf "%s.terminationGracePeriodSeconds (%d s) must be longer than lifecycle.preStopSleepSeconds plus SHUTDOWN_TIMEOUT_MS (%d ms), or Kubernetes kills %s before its graceful shutdown ends" $c.values (int64 $app.terminationGracePeriodSeconds) $needMs $name) }}
{{- end }}
{{- end }}
{{- end }}

{{- /* The cross-field rules of the apps' zod schemas (libs/config/src/schema-fragments.ts). */}}
{{- $cfg := $v.config }}
{{- if eq (toString $cfg.EMBEDDING_PROVIDER) "openai" }}
{{- if or (not $cfg.EMBEDDING_BASE_URL) (not $cfg.EMBEDDING_MODEL) (not $cfg.EMBEDDING_DIMENSIONS) }}
{{- fail "config.EMBEDDING_PROVIDER=openai needs config.EMBEDDING_BASE_URL, config.EMBEDDING_MODEL and config.EMBEDDING_DIMENSIONS" }}
{{- end }}
{{- end }}
{{- if or $v.ingest.enabled $v.ingestWorker.enabled }}
{{- $max := include "datafactory.setting" (dict "root" $ "component" "ingest" "name" "CHUNK_MAX_TOKENS") | default "400" | int64 }}
{{- $overlap := include "datafactory.setting" (dict "root" $ "component" "ingest" "name" "CHUNK_OVERLAP_TOKENS") | default "60" | int64 }}
{{- if ge (mul $overlap 2) $max }}
{{- fail "CHUNK_OVERLAP_TOKENS must be less than half of CHUNK_MAX_TOKENS" }}
{{- end }}
{{- end }}
{{- end }}
