# syntax=docker/dockerfile:1
# One image for the five DataFactory services and the migration job (docs/adr/0009-container-image.md):
#   docker build -t datafactory .
#   docker run --read-only --tmpfs /tmp -e ... datafactory gateway     (or -e APP=gateway)
# Programs: gateway, ingest, search, job-orchestrator, governance, migrate (deploy/docker/entrypoint.sh).

# Major.minor of the `node` devDependency, so the image runs the Node the tests ran on (a deploy test checks).
ARG NODE_VERSION=24.21

FROM node:${NODE_VERSION}-bookworm-slim AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false

# Every dependency at the version package-lock.json pins. `npm install`, not `npm ci`: a lock written against a
# registry mirror without other platforms' optional binaries (@swc/core-darwin-*, ...) is refused by `npm ci`;
# `npm install` keeps every locked version and resolves only such missing entries (ADR 0009).
# --ignore-scripts: no package runs code at install time, and none needs to. It also skips the download of the
# `node` devDependency (a pinned Node for hosts): the build runs on the image's own Node.
FROM base AS build-deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked npm install --ignore-scripts

FROM build-deps AS build
COPY tsconfig.base.json tsconfig.build.json ./
COPY libs ./libs
COPY apps ./apps
RUN npm run build

# Production dependencies only, installed apart rather than pruned, so no dev package can linger in the image.
FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked npm install --omit=dev --ignore-scripts

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ARG NODE_VERSION
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="DataFactory" \
      org.opencontainers.image.description="Multi-tenant ingest, index and retrieval for RAG on Postgres + pgvector: gateway, ingest, search, job-orchestrator, governance and the migration job in one image" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.base.name="docker.io/library/node:${NODE_VERSION}-bookworm-slim"

# tini as PID 1: it forwards the stop signal to node and reaps zombies. The services handle SIGTERM themselves,
# but the migration job does not, and PID 1 ignores signals it has no handler for.
# The package managers that come with the base image are not needed to run node: removed, less to patch.
# A fixed numeric user, not the name: Kubernetes' runAsNonRoot can only verify a number.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /opt/yarn-* \
           /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg \
 && groupadd --system --gid 10001 datafactory \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin datafactory

# Configuration comes from the environment only; services must listen beyond the container's loopback.
ENV NODE_ENV=production ENV_FILE=none BIND_HOST=0.0.0.0

WORKDIR /app
# Owned by root and read-only to the runtime user: the process cannot change its own code. Nothing is written
# outside /tmp, so the container runs with a read-only root filesystem (docker run --read-only --tmpfs /tmp).
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist/apps ./dist/apps
COPY --from=build /app/dist/libs ./dist/libs
COPY package.json ./
COPY --chmod=0755 deploy/docker/entrypoint.sh ./deploy/docker/entrypoint.sh

USER 10001:10001
# API ports 8080-8084 and metrics ports 9101-9105 (gateway, ingest, search, job-orchestrator, governance).
EXPOSE 8080 8081 8082 8083 8084 9101 9102 9103 9104 9105
# No HEALTHCHECK: the port depends on the program; Compose and Kubernetes probe /health/live and /health/ready.
ENTRYPOINT ["/usr/bin/tini", "--", "/app/deploy/docker/entrypoint.sh"]
