#!/usr/bin/env bash
# Issue 11's failover bench on the Swarm lab (scripts/swarm-lab.sh): a routed app of REPLICAS busybox httpd replicas
# spread over node1..node3, constant load through node1's router (gantry-loadgen, keep-alive, CONCURRENCY in flight),
# then (1) node3 loses power (`swarm-lab.sh fail node3`) and (2), on a fresh deploy once node3 is back, `gantry node drain
# node3`. For each it prints: failed requests and p99 of the load run, seconds until the lost replicas run elsewhere
# (REPLICAS running on node1 and node2), and seconds until node3's replicas left every live router's table (node1's and
# node2's, read from each router's own /routes). Swarm's anchor is printed beside them (docs/decisions/0021).
#
#   flock /tmp/gantry-lab.lock bench/failover/run.sh     # the lab is shared: always under the lock; about 4 minutes
#   env: REPLICAS=6 CONCURRENCY=8 HEARTBEAT=1 (Swarm's dispatcher heartbeat, s; cluster init's default) GANTRY_OUT=artifacts/gantry (or GANTRY_BIN=path/to/gantry) KEEP_WORK=1 (keep the server's log)
#
# Runs its own server (temp data directory) driving node1, as README's "Many machines" does; leaves every node out of any
# Swarm and the lab down at the end (it brings the lab up if it is not).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"
REPLICAS=${REPLICAS:-6}
CONCURRENCY=${CONCURRENCY:-8}
PORT=${PORT:-7391}
WORK=$(mktemp -d /tmp/gantry-failover.XXXXXX)
SERVER_PID=
LOAD_PID=

log() { printf '[failover] %s\n' "$*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

cleanup() {
  [ -n "$LOAD_PID" ] && kill "$LOAD_PID" 2>/dev/null || true
  [ -n "$SERVER_PID" ] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  scripts/swarm-lab.sh revive node3 >/dev/null 2>&1 || true
  for n in 1 2 3; do docker -H "unix:///run/gantry-lab/node$n.sock" swarm leave --force >/dev/null 2>&1 || true; done
  scripts/swarm-lab.sh down >/dev/null 2>&1 || true
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap "exit 130" INT TERM

./scripts/prereqs.sh >/dev/null
if [ -n "${GANTRY_BIN:-}" ]; then
  GANTRY=$GANTRY_BIN   # an already built gantry (e.g. src/Gantry.Cli/bin/Release/net10.0/gantry)
else
  GANTRY_OUT=${GANTRY_OUT:-$ROOT/artifacts/gantry}
  ./scripts/build.sh "$GANTRY_OUT"
  GANTRY="$GANTRY_OUT/gantry"
fi
dotnet build bench/Gantry.LoadGen -c Release --nologo -v quiet >/dev/null
LOADGEN="$ROOT/bench/Gantry.LoadGen/bin/Release/net10.0/gantry-loadgen"

scripts/swarm-lab.sh up >/dev/null
for n in 1 2 3; do docker -H "unix:///run/gantry-lab/node$n.sock" swarm leave --force >/dev/null 2>&1 || true; done

log "server on node1's engine (data $WORK/data)"
"$GANTRY" server --data "$WORK/data" --listen "http://127.0.0.1:$PORT;http://10.99.0.1:$PORT" \
  --registry-address "10.99.0.1:$PORT" --advertise-url "http://10.99.0.1:$PORT" \
  --engine unix:///run/gantry-lab/node1.sock > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do [ -f "$WORK/data/admin-token" ] && curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
export GANTRY_SERVER="http://127.0.0.1:$PORT" GANTRY_TOKEN
GANTRY_TOKEN=$(cat "$WORK/data/admin-token")
g() { "$GANTRY" "$@"; }

g cluster init --advertise-addr 10.99.0.11 ${HEARTBEAT:+--heartbeat "$HEARTBEAT"} >/dev/null
g node add unix:///run/gantry-lab/node2.sock >/dev/null
g node add unix:///run/gantry-lab/node3.sock >/dev/null
HEARTBEAT=$(g cluster -o json | jq -r '.heartbeatSeconds')

deploy() {
  local app=$1 dir="$WORK/$1"
  mkdir -p "$dir"
  cat > "$dir/compose.yaml" <<YAML
services:
  web:
    image: gantry/busybox:1
    command: ["httpd", "-f", "-p", "8080", "-h", "/etc"]
    stop_grace_period: 1s
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/hostname"]
      interval: 1s
      retries: 3
    x-gantry:
      host: $app.localhost
      port: 8080
    deploy:
      replicas: $REPLICAS
      resources:
        limits: { memory: 16M }
YAML
  (cd "$dir" && g deploy -f compose.yaml --app "$app" >/dev/null)
  for _ in $(seq 1 120); do
    [ "$(g ps "$app" -o json | jq '[.[].replica | select(.state == "running" and .health == "healthy")] | length')" = "$REPLICAS" ] \
      && [ "$(g ps "$app" -o json | jq '[.[].replica.node] | unique | length')" = 3 ] && break
    sleep 1
  done
  [ "$(g ps "$app" -o json | jq '[.[].replica.node] | unique | length')" = 3 ] \
    || { log "$app: $REPLICAS healthy replicas on three nodes did not happen"; g ps "$app"; exit 1; }
  # A cluster at rest has a router following the server on every node (node3's is how the server first hears it is gone).
  for _ in $(seq 1 120); do
    [ "$(g nodes -o json | jq '[.[] | select((.router // "") | startswith("running (table"))] | length')" = 3 ] && return 0
    sleep 1
  done
  log "a reporting router on every node did not happen"; g nodes; exit 1
}

# The pid of a node's router container (its network namespace is where its admin endpoint listens).
router_pid() {
  local id; id=$(docker -H "unix:///run/gantry-lab/$1.sock" ps -q --filter label=gantry.role=node-router | head -1)
  [ -n "$id" ] && docker -H "unix:///run/gantry-lab/$1.sock" inspect -f '{{.State.Pid}}' "$id"
}

# The app's replicas running and healthy on node1 and node2, from its status (the API's app read: `gantry ps` also reads
# every replica's CPU and memory from its node, which takes seconds on a busy machine).
running_elsewhere() {
  curl -sf --max-time 5 -H "Authorization: Bearer $GANTRY_TOKEN" "$GANTRY_SERVER/api/v1/apps/$1" \
    | jq '[.status.services[].replicas[] | select(.state == "running" and .health == "healthy" and (.node == "node1" or .node == "node2"))] | length'
}

# Polls CONDITION (a command) every 0.1 s until it holds or 90 s passed; writes the seconds since T0 (or "never") to FILE.
seconds_until() {
  local t0=$1 file=$2; shift 2
  while ! "$@"; do
    if awk -v a="$t0" -v b="$(now)" 'BEGIN { exit !(b - a > 90) }'; then echo never > "$file"; return; fi
    sleep 0.1
  done
  since "$t0" > "$file"
}

# True when no live router (node1's, node2's: ROUTER_PIDS) routes HOST to any of the addresses in LOST (one per line):
# each router's /routes read in its own network namespace, the lost addresses looked for in the raw JSON (a read is
# three processes, so the poll stays tight on a busy machine).
routes_dropped() {
  local lost=$2 pid table
  for pid in $ROUTER_PIDS; do
    table=$(nsenter --net="/proc/$pid/ns/net" curl -sf --max-time 2 http://127.0.0.1:9090/routes) || return 1
    grep -q -F "$(sed 's#.*#//&:#' <<<"$lost")" <<<"$table" && return 1
  done
  return 0
}

capacity_back() { [ "$(running_elsewhere "$1")" -ge "$REPLICAS" ] 2>/dev/null; }

# Runs one scenario: load through node1's router, ACTION at t0, then two polls side by side until node3's replicas are out
# of node1's and node2's tables and REPLICAS run healthy on node1 and node2.
scenario() {
  local name=$1 app=$2 action=$3 host="$2.localhost"
  local lost; lost=$(g ps "$app" -o json | jq -r '.[].replica | select(.node == "node3") | .ipAddress' | sort)
  ROUTER_PIDS="$(router_pid node1) $(router_pid node2)"
  "$LOADGEN" --url http://10.99.0.11/hostname --host "$host" --concurrency "$CONCURRENCY" --duration 45s --timeout 10s > "$WORK/$name.load" 2>&1 &
  LOAD_PID=$!
  sleep 3
  rm -f "$WORK/fail.out"
  local t0; t0=$(now)
  seconds_until "$t0" "$WORK/$name.routes" routes_dropped "$host" "$lost" &
  local routes_pid=$!
  seconds_until "$t0" "$WORK/$name.capacity" capacity_back "$app" &
  local capacity_pid=$!
  $action
  local returned; returned=$(since "$t0")
  wait "$routes_pid" "$capacity_pid" || true
  wait "$LOAD_PID" || true
  LOAD_PID=
  local requests failed p99
  requests=$(sed -n 's/^requests: \([0-9]*\) .*/\1/p' "$WORK/$name.load")
  failed=$(sed -n 's/.*failed \([0-9]*\)$/\1/p' "$WORK/$name.load" | head -1)
  p99=$(sed -n 's/.*p99 \([0-9.]* ms\).*/\1/p' "$WORK/$name.load")
  printf '%-8s requests %s, failed %s, p99 %s (45 s run, %s in flight); %s returned after %s s; node3 replicas out of node1+node2 router tables after %s s; %s replicas running healthy on node1+node2 after %s s\n' \
    "$name" "${requests:-?}" "${failed:-?}" "${p99:-?}" "$CONCURRENCY" "$action" "$returned" "$(cat "$WORK/$name.routes")" "$REPLICAS" "$(cat "$WORK/$name.capacity")"
  grep -A20 '^failures by kind' "$WORK/$name.load" | head -8 | sed 's/^/         /' || true
  # What node1's router answered itself with a 5xx, and why (its access log is the container's output).
  local router; router=$(docker -H unix:///run/gantry-lab/node1.sock ps -q --filter label=gantry.role=node-router | head -1)
  [ -z "$router" ] || docker -H unix:///run/gantry-lab/node1.sock logs "$router" 2>/dev/null \
    | grep -F "\"host\":\"$host\"" | grep -E '"status":5[0-9][0-9]' | head -3 | sed 's/^/         router: /' || true
  # When the link actually went down (the script's first lines and bash's start come before it, on a loaded machine).
  local cut; cut=$(sed -n 's/.*link down at \([0-9.]*\)$/\1/p' "$WORK/fail.out" 2>/dev/null | head -1)
  [ -z "$cut" ] || awk -v a="$t0" -v b="$cut" 'BEGIN { printf "         node3 link down +%.2f s (the fail script'"'"'s first lines)\n", b - a }'
  # The server's side of it, in seconds after t0: the manager's verdict on node3 and the route tables it published.
  awk -v t0="$t0" '/cluster: node node3 is|Route table/ {
      cmd = "date -d " substr($1, 1, 23) "Z +%s.%N"; cmd | getline t; close(cmd)
      if (t >= t0 && n++ < 5) { sub(/^[^ ]+ [a-z]+: [^ ]+ /, ""); printf "         server +%.2f s: %s\n", t - t0, $0 }
    }' "$WORK/server.log" || true
  g events "$app" | grep -E 'node3 \(|running again' | sed 's/^/         event: /' | tail -3 || true
}

fail_node3() { scripts/swarm-lab.sh fail node3 > "$WORK/fail.out" 2>&1; }
drain_node3() { g node drain node3 >/dev/null; }

log "failure: $REPLICAS replicas, node3 loses power under load (dispatcher heartbeat ${HEARTBEAT} s)"
deploy fo-fail
scenario failure fo-fail fail_node3

log "node3 back (empty), fresh deploy, then a drain under load"
scripts/swarm-lab.sh revive node3 >/dev/null
for _ in $(seq 1 120); do [ "$(g nodes -o json | jq -r '.[] | select(.name == "node3") | .state')" = ready ] && break; sleep 1; done
# A second app beside the first (whose replicas now all run on node1 and node2): Swarm spreads each service over the
# nodes by itself, so the new one has 2 replicas on node3 again. (Removing the first app here can stall: after a power
# loss Swarm may keep a dead task's attachment to the app's network until the node's agent reports it gone.)
deploy fo-drain
scenario drain fo-drain drain_node3

echo "anchor (Swarm alone, same lab, 6 sleeping replicas, node3's link cut): all replicas running elsewhere after 34 s (heartbeat 5 s), 25 s (heartbeat 1 s)"
