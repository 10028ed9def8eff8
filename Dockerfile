# Burnrate server image: `docker build -t burnrate .`, or `docker compose up --build` at the repo root.
FROM node:24.11.1-bookworm-slim

WORKDIR /app
RUN chown node:node /app
USER node
COPY --chown=node:node . .
# `npm ci` fetches the project's own Node 24 (the `node` devDependency) that npm scripts run on.
RUN npm ci --no-audit --no-fund && npm run build

ENV PORT=3000 DATA_DIR=/app/.data
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["npm", "start"]
