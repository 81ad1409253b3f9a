#!/usr/bin/env bash
# Foundation figures (issue 2): planning time for 1,000 services x 5 replicas against a faked engine
# view, the server's idle memory, and seconds from `gantry deploy` to all of examples/hello healthy.
# Runs against a private server on its own data directory and port; removes what it deployed.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
./scripts/prereqs.sh
OUT=$(mktemp -d)
trap 'kill "${SERVER_PID:-}" 2>/dev/null || true; rm -rf "$OUT"' EXIT

echo "== planner"
dotnet run -c Release --project bench/Gantry.Bench -- 1000 5

echo "== server idle memory and deploy time"
./scripts/build.sh "$ROOT/artifacts/gantry" >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$ROOT/artifacts/gantry/gantry" server --data "$OUT/data" --listen "http://127.0.0.1:$PORT" > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
sleep 10
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status")
echo "  server idle RSS after 10 s: $((rss_kb / 1024)) MiB"

export GANTRY_SERVER="http://127.0.0.1:$PORT" GANTRY_TOKEN=$(cat "$OUT/data/admin-token") XDG_CONFIG_HOME="$OUT/config"
export HELLO_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
for round in first second; do
  app="bench-hello-$round"
  start=$(date +%s.%N)
  "$ROOT/artifacts/gantry/gantry" deploy -f examples/hello/compose.yaml --app "$app" > "$OUT/deploy-$round.log"
  end=$(date +%s.%N)
  printf '  deploy -> all healthy (%s deploy): %.1f s\n' "$round" "$(echo "$end - $start" | bc)"
  "$ROOT/artifacts/gantry/gantry" rm "$app" > /dev/null
done
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status")
echo "  server RSS after two deploys: $((rss_kb / 1024)) MiB"
