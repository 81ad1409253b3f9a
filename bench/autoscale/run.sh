#!/usr/bin/env bash
# Issue 14's autoscale bench: a routed service at `min: 1` (rps target) under a load step through Gantry's router at
# a fixed rate well above its target, then the load back down; then a service at `min: 0` woken by one request.
# Prints the seconds from the step to the first new replica serving traffic (goal under 15 s), the replica count over
# time, failed requests during scale-out and during scale-in (goal 0 each), and the cold start from zero.
# Usage: bench/autoscale/run.sh [--rate 80] [--base-rate 5] [--step 60] [--rps 20] [--max 4] [--scale-in-delay 30s]
#   env: GANTRY_OUT=artifacts/gantry  KEEP_WORK=1 (keep the work directory: logs, data dir)
# Exit 0 when every goal is met, 1 when one is missed, 2 when the bench could not measure.
# Everything it creates carries this run's names: its own data directory (its own owner id on every container), apps
# named autoscale-PID-*, the image gantry-bench-autoscale/web:PID.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"
WORK=$(mktemp -d /tmp/gantry-autoscale.XXXXXX)
PREFIX=autoscale-$$
IMAGE=gantry-bench-autoscale/web:$$
ORCH_PID=

cleanup() {
  # The orchestrator removes its apps and stops its processes; this only catches what a killed one left.
  if [ -n "$ORCH_PID" ]; then kill -TERM "$ORCH_PID" 2>/dev/null || true; wait "$ORCH_PID" 2>/dev/null || true; fi
  for pidfile in "$WORK"/*.pid; do
    [ -f "$pidfile" ] && kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
  done
  if [ -f "$WORK/data/installation-id" ]; then
    owner=$(cat "$WORK/data/installation-id")
    left=$(docker ps -a --filter "label=gantry.owner=$owner" --format '{{.ID}} {{.Label "gantry.app"}}' | awk -v p="$PREFIX-" 'index($2, p) == 1 { print $1 }')
    [ -n "$left" ] && { echo "removing $(echo "$left" | wc -w) containers left by this run"; docker rm -f $left >/dev/null 2>&1 || true; }
    nets=$(docker network ls --filter "label=gantry.owner=$owner" --format '{{.ID}} {{.Label "gantry.app"}}' | awk -v p="$PREFIX-" 'index($2, p) == 1 { print $1 }')
    [ -n "$nets" ] && docker network rm $nets >/dev/null 2>&1 || true
  fi
  docker rmi "$IMAGE" >/dev/null 2>&1 || true
  if [ "${KEEP_WORK:-0}" = 1 ] || [ "${status:-0}" = 2 ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap "exit 130" INT TERM

./scripts/prereqs.sh
GANTRY_OUT=${GANTRY_OUT:-$ROOT/artifacts/gantry}
./scripts/build.sh "$GANTRY_OUT"

# busybox httpd serving one static file written at start with the replica's host name (its container id), so every
# answer says who served it without a process per request.
mkdir -p "$WORK/image"
cat > "$WORK/image/Dockerfile" <<'DOCKERFILE'
FROM gantry/busybox:latest
EXPOSE 8080
CMD ["sh", "-c", "mkdir -p /www && echo replica=$(hostname) > /www/who && exec httpd -f -p 8080 -h /www"]
DOCKERFILE
docker build -q -t "$IMAGE" "$WORK/image" >"$WORK/image.log" 2>&1 || { cat "$WORK/image.log"; exit 2; }

python3 -B "$HERE/autoscale.py" --gantry "$GANTRY_OUT/gantry" --work "$WORK" --image "$IMAGE" --prefix "$PREFIX" "$@" &
ORCH_PID=$!
set +e
wait "$ORCH_PID"
status=$?
set -e
ORCH_PID=
exit "$status"
