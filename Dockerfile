# syntax=docker/dockerfile:1
# One image for every facegate process; compose picks the process with `command:`.
#   docker build -t facegate .                  the runtime image (API, worker, vendor simulator)
#   docker build --target check .               type-check and lint inside the build
# The apps run as bundles made by `npm run build` (esbuild): plain node, no TypeScript at run time.

ARG NODE_VERSION=22
FROM node:${NODE_VERSION}-bookworm-slim AS base
WORKDIR /app
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# Only the package manifests, in their folders: the install layers below are rebuilt when a
# manifest or the lockfile changes, not on every source edit.
FROM base AS manifests
COPY . /src
RUN mkdir /manifests \
 && cd /src \
 && cp package.json package-lock.json /manifests/ \
 && for f in apps/*/package.json packages/*/package.json; do \
      mkdir -p "/manifests/$(dirname "$f")" && cp "$f" "/manifests/$f"; \
    done

# Every dependency, dev tools included, for the checks.
FROM base AS deps
COPY --from=manifests /manifests ./
RUN npm ci --include=dev

FROM deps AS check
COPY . .
RUN npm run typecheck && npm run lint

FROM deps AS build
COPY . .
RUN npm run build

# What runs: production dependencies only, the sources, an unprivileged user.
FROM base AS runtime
COPY --from=manifests /manifests ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 8080 9464
# SIGTERM goes straight to node (no npm or shell in between), so shutdown is graceful.
CMD ["node", "dist/api.mjs"]
