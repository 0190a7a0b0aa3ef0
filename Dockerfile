# The edgeplane runtime: one image for both roles, chosen at start by EDGEPLANE_ROLE (edge | origin).
#   docker build -t registry.example.com/edgeplane/runtime:0.1.0 .
# Stage 1 bundles runtime/main.ts with esbuild (scripts/build-bundle.ts), builds the edge's
# zero-copy addon beside it, and installs beside the bundle only the native packages it imports.
# Stage 2 is distroless Node 24: no shell, no package manager, user nonroot (65532), and nothing
# written outside /tmp and the cache volume, so it runs with a read-only root filesystem.
ARG NODE_VERSION=24.21.0

FROM node:${NODE_VERSION}-bookworm-slim AS build
# gcc builds the edge's zero-copy addon (runtime/edge/zero-copy/send-file.c) against this Node's headers.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY tsconfig.json ./
COPY runtime ./runtime
COPY scripts/build-bundle.ts scripts/build-zero-copy.sh ./scripts/
RUN node scripts/build-bundle.ts --outdir /out \
 && scripts/build-zero-copy.sh /out/send-file.node \
 && test -f /out/send-file.node \
 && cd /out \
 && npm install --omit=dev --no-package-lock --no-audit --no-fund --loglevel=error

FROM gcr.io/distroless/nodejs24-debian12:nonroot
WORKDIR /app
COPY --from=build /out/ /app/
ENV NODE_ENV=production
USER 65532:65532
EXPOSE 8080 9090
# The distroless entrypoint is node itself.
CMD ["--enable-source-maps", "/app/main.mjs"]
