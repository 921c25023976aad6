# recsysops daemon image.
#
#   docker build -t recsysops .
#   docker run --rm -p 9464:9464 recsysops              # the built-in demo world
#   docker run --rm -p 9464:9464 -v "$PWD/checks:/app/checks:ro" -v "$PWD/recsysops.yaml:/app/recsysops.yaml:ro" \
#     recsysops start -c recsysops.yaml --metrics-host 0.0.0.0
#
# The state directory (issues, alert state, notifier outbox) is a volume so it survives restarts and
# `docker run … recsysops issues list` / `diagnose <id>` can read what the daemon wrote.

# ---- build: all dependencies, compile src/ into dist/ ----
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json

# ---- runtime: production dependencies and the compiled code only ----
FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    RECSYSOPS_STATE=/var/lib/recsysops
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY checks ./checks
COPY dashboards ./dashboards
# The image's `node` user (uid 1000) runs the daemon; it owns the state directory before it becomes a
# volume, so a fresh named volume inherits that ownership.
RUN mkdir -p "$RECSYSOPS_STATE" && chown node:node "$RECSYSOPS_STATE"
USER node
VOLUME ["/var/lib/recsysops"]
EXPOSE 9464
# node:20-slim has no curl; Node's own fetch probes /metrics on the default port.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9464/metrics').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["start", "--metrics-host", "0.0.0.0"]
