# One image for the API, the indexer and the migration; docker-compose.yml
# picks the command (node dist/api.js, dist/indexer.js or dist/migrate.js).

# Build: the web UI (web/dist) and the processes as JavaScript (dist/, npm run build:server).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm run build:server

# Run: production dependencies, the bundles, the UI and the identity rules; no sources, no compiler.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production DATA_DIR=/data PANORAMA_HOST=0.0.0.0 NODE_OPTIONS=--enable-source-maps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY config ./config
# DATA_DIR holds the credentials and the suppression pepper the API makes on its first start.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080
# For the API; docker-compose.yml gives the indexer its own check and the migration none.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "dist/healthcheck.js", "api"]
CMD ["node", "dist/api.js"]
