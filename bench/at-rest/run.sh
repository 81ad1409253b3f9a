#!/usr/bin/env bash
# Issue 9's at-rest bench: N apps of 3 health-checked replicas on a private Gantry server and router,
# converged, then DURATION seconds at rest with Gantry running and DURATION with it stopped. Prints the
# server's CPU and RSS, store writes per minute, data directory growth, and dockerd's CPU with Gantry
# running against stopped, against issue 9's goals, for each N (default 10 then 50).
# Usage: bench/at-rest/run.sh [--duration 300] [--apps 10,50] [--settle 20] [--parallel 4]
#                             [--healthcheck-interval 10s] [--router-health-interval 5s] [--json FILE]
#   env: GANTRY_OUT=artifacts/gantry  KEEP_WORK=1 (keep the work directory: logs, data dir)
# Exit 0 when every goal is met, 1 when one is missed, 2 when the bench could not measure.
# Everything it creates carries this run's names: the server's own data directory (so its own owner
# id on every container), apps named at-rest-PID-NN, the image gantry-bench-at-rest/web:PID.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"
WORK=$(mktemp -d /tmp/gantry-at-rest.XXXXXX)
PREFIX=at-rest-$$
IMAGE=gantry-bench-at-rest/web:$$
ORCH_PID=

cleanup() {
  # The orchestrator removes its apps and stops its processes; this only catches what a killed one left.
  if [ -n "$ORCH_PID" ]; then kill -TERM "$ORCH_PID" 2>/dev/null || true; wait "$ORCH_PID" 2>/dev/null || true; fi
  for pidfile in "$WORK"/*.pid; do
    [ -f "$pidfile" ] && kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
  done
  # Containers and networks left by this run's server: its owner id is unique to its data directory,
  # and the app label must carry this run's prefix as well, so nothing of anyone else's matches.
  if [ -f "$WORK/data/installation-id" ]; then
    owner=$(cat "$WORK/data/installation-id")
    left=$(docker ps -a --filter "label=gantry.owner=$owner" --format '{{.ID}} {{.Label "gantry.app"}}' | awk -v p="$PREFIX-" 'index($2, p) == 1 { print $1 }')
    [ -n "$left" ] && { echo "removing $(echo "$left" | wc -w) containers left by this run"; docker rm -f $left >/dev/null 2>&1 || true; }
    nets=$(docker network ls --filter "label=gantry.owner=$owner" --format '{{.ID}} {{.Label "gantry.app"}}' | awk -v p="$PREFIX-" 'index($2, p) == 1 { print $1 }')
    [ -n "$nets" ] && docker network rm $nets >/dev/null 2>&1 || true
  fi
  docker rmi "$IMAGE" >/dev/null 2>&1 || true
  # A run that could not measure keeps its logs (server.log, router.log, cli.log) for the diagnosis.
  if [ "${KEEP_WORK:-0}" = 1 ] || [ "${status:-0}" = 2 ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap "exit 130" INT TERM

./scripts/prereqs.sh
GANTRY_OUT=${GANTRY_OUT:-$ROOT/artifacts/gantry}
./scripts/build.sh "$GANTRY_OUT"

# One tiny web image for every app: busybox httpd serving one page (wget is its health check).
mkdir -p "$WORK/image/www"
echo '<html><body>at rest</body></html>' > "$WORK/image/www/index.html"
cat > "$WORK/image/Dockerfile" <<'DOCKERFILE'
FROM gantry/busybox:latest
COPY www /www
EXPOSE 8080
CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
DOCKERFILE
# The engine's legacy builder prints a deprecation notice on every build: keep it in a log unless the build fails.
docker build -q -t "$IMAGE" "$WORK/image" >"$WORK/image.log" 2>&1 || { cat "$WORK/image.log"; exit 2; }

# -B: no __pycache__ in the source tree.
python3 -B "$HERE/at_rest.py" --gantry "$GANTRY_OUT/gantry" --work "$WORK" --image "$IMAGE" --prefix "$PREFIX" "$@" &
ORCH_PID=$!
set +e
wait "$ORCH_PID"
status=$?
set -e
ORCH_PID=
exit "$status"
