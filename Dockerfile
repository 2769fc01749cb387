# syntax=docker/dockerfile:1
# tektite's one image: the controller (default), EventListener sinks (`eventlistener --name N --namespace NS`)
# and the step helper at /tektite/entrypoint, which the `prepare` init container of every TaskRun pod runs
# (`/tektite/entrypoint init ...`) to copy it into the pod. Build: docker build -t ghcr.io/tektite/tektite:dev .
ARG NODE_VERSION=20

# --- build: TypeScript → dist/, the static step helper (musl), production node_modules -------------------
FROM node:${NODE_VERSION}-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends musl-tools \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
COPY scripts/build-entrypoint.mjs scripts/build-cli.mjs scripts/build-dashboard.mjs scripts/
COPY src/entrypoint src/entrypoint
# npm ci runs `prepare`, which builds the helper with musl-gcc (a ~35 kB static binary).
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src src
RUN node scripts/build-entrypoint.mjs --force \
 && node scripts/build-dashboard.mjs \
 && npx tsc -p tsconfig.build.json \
 && npm prune --omit=dev --no-audit --no-fund

# --- runtime: node slim, non-root, read-only friendly -----------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    TKT_ENTRYPOINT=/tektite/entrypoint \
    TKT_CATALOG_DIR=/app/catalog
WORKDIR /app
COPY --from=build --chown=0:0 /src/package.json ./
COPY --from=build --chown=0:0 /src/node_modules ./node_modules
COPY --from=build --chown=0:0 /src/dist ./dist
COPY --chown=0:0 bin ./bin
# The catalog answers the `hub` resolver (TKT_CATALOG_DIR).
COPY --chown=0:0 catalog ./catalog
COPY --from=build --chown=0:0 --chmod=0555 /src/dist/entrypoint/entrypoint /tektite/entrypoint
# 65532 = "nonroot" as in distroless; the files above are root-owned and not writable by it.
USER 65532:65532
EXPOSE 8080 9090 9097
ENTRYPOINT ["node", "/app/dist/cli/main.js"]
CMD ["controller"]
