#!/usr/bin/env bash
# Issue 4's zero-downtime bench: constant load through Gantry's router on examples/hello's web while
# doing ROUNDS deploys alternating two image versions (v1/v2), ROLLBACKS rollbacks, scaling web 5 -> 2
# and one restart of the server. Prints requests served and failed, p99 steady vs during deploys, and
# seconds from `gantry rollback` to all traffic on the old release. Exit 1 when anything failed.
# Usage: bench/deploy-under-load/run.sh
#   env: ROUNDS=20 ROLLBACKS=ROUNDS/2 CONCURRENCY=16 STEADY=10 (s) SETTLE=3 (s) GANTRY_OUT=artifacts/gantry
#        KEEP_WORK=1 (keep logs) PREBUILT_API=1 (api from a prebuilt image, see below)
# Runs its own server (temp data dir, free port) and router; removes its app, images and processes.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"
WORK=$(mktemp -d /tmp/gantry-deploy-under-load.XXXXXX)
IMAGE=gantry-bench-dul/web
TAG_SUFFIX=$$
IMAGES=()
ORCH_PID=

cleanup() {
  # The orchestrator removes its app and stops its processes; this only catches what a killed one left.
  [ -n "$ORCH_PID" ] && kill -TERM "$ORCH_PID" 2>/dev/null && wait "$ORCH_PID" 2>/dev/null || true
  for pidfile in "$WORK"/*.pid; do
    [ -f "$pidfile" ] && kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
  done
  for image in "${IMAGES[@]}"; do docker rmi -f "$image" >/dev/null 2>&1 || true; done
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap "exit 130" INT TERM

./scripts/prereqs.sh
GANTRY_OUT=${GANTRY_OUT:-$ROOT/artifacts/gantry}
./scripts/build.sh "$GANTRY_OUT"

echo "building the two web images and the orchestrator ..."
for version in v1 v2; do
  ctx="$WORK/image-$version"
  mkdir -p "$ctx"
  cp -r examples/hello/web/www "$ctx/www"
  # hello's web page plus one line naming the version; the load generator reads it from every answer.
  cat > "$ctx/Dockerfile" <<DOCKERFILE
FROM gantry/busybox:latest
COPY www /www
RUN chmod 0755 /www/cgi-bin/* && sed -i 's|</body>|<p>version=$version</p></body>|' /www/index.html
EXPOSE 8080
CMD ["httpd", "-f", "-v", "-p", "8080", "-h", "/www"]
DOCKERFILE
  # The engine's legacy builder prints a deprecation notice on every build: keep it in a log unless the build fails.
  docker build -q -t "$IMAGE:$version-$TAG_SUFFIX" "$ctx" >"$WORK/image-$version.log" 2>&1 || { cat "$WORK/image-$version.log"; exit 1; }
  IMAGES+=("$IMAGE:$version-$TAG_SUFFIX")
done

# A copy of examples/hello (the deploy uploads the first file's directory) with an override that
# runs the web from the prebuilt image chosen by WEB_IMAGE instead of building it.
cp -r examples/hello "$WORK/hello"
cat > "$WORK/hello/compose.bench.yaml" <<'YAML'
services:
  web:
    build: !reset null
    image: ${WEB_IMAGE}
    x-gantry:
      host: bench-hello.localhost
      port: 8080
      health:
        path: /
        interval: 2s
YAML

# PREBUILT_API=1 also runs api from a prebuilt image instead of the server building it at every
# deploy: a diagnostic that separates web's release behaviour from api's rebuilds.
if [ "${PREBUILT_API:-0}" = 1 ]; then
  docker build -q -t "gantry-bench-dul/api:$TAG_SUFFIX" examples/hello/api >"$WORK/image-api.log" 2>&1 || { cat "$WORK/image-api.log"; exit 1; }
  IMAGES+=("gantry-bench-dul/api:$TAG_SUFFIX")
  cat >> "$WORK/hello/compose.bench.yaml" <<YAML
  api:
    build: !reset null
    image: gantry-bench-dul/api:$TAG_SUFFIX
YAML
fi

dotnet build -c Release "$HERE/DeployUnderLoad" -o "$WORK/orchestrator" -v quiet -nologo >/dev/null

dotnet "$WORK/orchestrator/DeployUnderLoad.dll" \
  --gantry "$GANTRY_OUT/gantry" --work "$WORK" \
  --compose "$WORK/hello/compose.yaml,$WORK/hello/compose.bench.yaml" \
  --image-v1 "$IMAGE:v1-$TAG_SUFFIX" --image-v2 "$IMAGE:v2-$TAG_SUFFIX" &
ORCH_PID=$!
set +e
wait "$ORCH_PID"
status=$?
set -e
ORCH_PID=
exit "$status"
