# One image for the api and the indexer (docker-compose.yml picks the command).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx vite build --config web/vite.config.ts
ENV NODE_ENV=production DATA_DIR=/data
EXPOSE 8080
CMD ["npx", "tsx", "server/src/main.ts"]
