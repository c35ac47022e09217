# Sundial's container image. Three stages share one dependency install:
#   deps     — `npm ci` from package.json and the lockfile only, so editing the source reuses this layer;
#   build    — the Prisma client and the admin app (apps/web/dist), built from the source;
#   runtime  — production dependencies (pruned from the same install, no second download), the server source
#              (run by tsx, as `npm start` does), the built admin app and the migrations; a non-root user.
# The embedded database lives in the volume /data; set SUNDIAL_DATABASE__URL to use PostgreSQL instead.
# Run it with `--init` (or `init: true` in Compose) so signals reach node and `docker stop` lets running runs
# finish (up to server.shutdown_grace_seconds; give `docker stop -t` a little more). See docs/operating.md.

# An official Node.js LTS image (https://hub.docker.com/_/node); any Debian-based tag of a supported version.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# The manifests of the root and of every workspace: npm ci links workspaces by their package.json.
COPY package.json package-lock.json ./
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY packages/actions/package.json packages/actions/
COPY packages/builtin-actions/package.json packages/builtin-actions/
COPY packages/client/package.json packages/client/
COPY packages/job-schema/package.json packages/job-schema/
COPY packages/password-policy/package.json packages/password-policy/
RUN npm ci --no-audit --no-fund --loglevel=error

FROM deps AS build
COPY . .
# --force: build from this source, whatever stamps a stray folder may hold.
RUN node scripts/prepare.mjs --force

FROM deps AS prod-deps
# Removes the build tools (Vite, the Prisma CLI, test runners) from the install made above: nothing downloaded.
RUN npm prune --omit=dev --no-audit --no-fund --loglevel=error

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    SUNDIAL_SERVER__HOST=0.0.0.0 \
    SUNDIAL_SERVER__PORT=4000 \
    SUNDIAL_DATABASE__DATA_DIR=/data
WORKDIR /app
RUN groupadd --system sundial \
 && useradd --system --gid sundial --home-dir /app --no-create-home --shell /usr/sbin/nologin sundial \
 && mkdir /data && chown sundial:sundial /data
# Dependencies first: they change less often than the source, so their layer is reused across source changes.
# Everything under /app belongs to root and is read-only for the server; only /data (and /tmp) are writable.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=prod-deps /app/apps/server/node_modules ./apps/server/node_modules
COPY package.json package-lock.json ./
COPY packages ./packages
COPY prisma/migrations ./prisma/migrations
COPY actions ./actions
COPY apps/web/package.json ./apps/web/package.json
COPY --from=build /app/apps/web/dist ./apps/web/dist
COPY apps/server/package.json ./apps/server/package.json
COPY apps/server/bin ./apps/server/bin
COPY --from=build /app/apps/server/src ./apps/server/src
VOLUME /data
USER sundial
EXPOSE 4000
# /healthz: 200 when the database answers and the scheduler is in the state this process wants.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.SUNDIAL_SERVER__PORT || 4000}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself (not npm, not the tsx CLI) receives SIGTERM, so the graceful shutdown in main.ts runs.
CMD ["node", "--import", "tsx", "apps/server/src/main.ts"]
