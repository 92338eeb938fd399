# syntax=docker/dockerfile:1

# One image for every deployment shape: SERVICES, NATS_URL and DATABASE_URL choose it at run time.

# Node.js 24, as `engines` requires and the `node` devDependency gives npm scripts.
FROM node:24-bookworm-slim AS base
WORKDIR /app

FROM base AS build
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY nest-cli.json tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
COPY migrations ./migrations
RUN npm run build

# Installed apart from the build stage so no devDependency reaches the final image.
FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev

FROM base AS runtime
ENV NODE_ENV=production
COPY package.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# DATA_DIR (./data) holds the embedded PGlite database when DATABASE_URL is unset.
RUN mkdir -p data && chown node:node data
USER node
EXPOSE 3000
# Slim images have no curl; node's global fetch does the probe.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live', { signal: AbortSignal.timeout(3000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/platform/src/main.js"]
