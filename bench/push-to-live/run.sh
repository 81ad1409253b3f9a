#!/usr/bin/env bash
# Issue 13's push-to-live bench: seconds from `git push` of a one-line change of examples/hello to the new version
# serving all traffic in staging through Gantry's router, split into receive (the pack up and the hook started), build
# (hello's two images, warm layer cache), push to registry, rollout (the release until every answer is the new page);
# then the same change promoted to production (`gantry promote`) until production's host serves it. A first push (cold:
# a new app, nothing cached) is measured too. Goal: under 20 s to staging with a warm cache.
# Usage: bench/push-to-live/run.sh [ROUNDS]        (warm pushes, default 3; the median is the headline)
#   env: GANTRY_OUT=artifacts/gantry  KEEP_WORK=1 (keep logs)  STABLE=20 (consecutive new answers that count as "all traffic")
# Runs its own server (temp data dir, free port, push environment staging) and router (free port); removes its apps,
# images and processes. Exit 1 when the goal is missed, 2 when it could not measure.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"
ROUNDS=${1:-3}
STABLE=${STABLE:-20}
WORK=$(mktemp -d /tmp/gantry-push-to-live.XXXXXX)
APP=ptl-$$
status=2

cleanup() {
  if [ -f "$WORK/data/admin-token" ] && [ -n "${SERVER_URL:-}" ]; then
    for app in "$APP-staging" "$APP"; do
      GANTRY_SERVER=$SERVER_URL GANTRY_TOKEN=$(cat "$WORK/data/admin-token") "$GANTRY" rm "$app" >/dev/null 2>&1 || true
    done
  fi
  for pidfile in "$WORK"/*.pid; do
    [ -f "$pidfile" ] && kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
  done
  sleep 1
  docker images --format '{{.Repository}}:{{.Tag}}' | grep -E "^$APP(-staging)?/" | xargs -r docker rmi -f >/dev/null 2>&1 || true
  if [ "${KEEP_WORK:-0}" = 1 ] || [ "$status" = 2 ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap "exit 130" INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
secs() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$2"; }

./scripts/prereqs.sh >/dev/null
GANTRY_OUT=${GANTRY_OUT:-$ROOT/artifacts/gantry}
./scripts/build.sh "$GANTRY_OUT" >/dev/null
GANTRY="$GANTRY_OUT/gantry"

PORT=$(free_port); ROUTER_PORT=$(free_port); ADMIN_PORT=$(free_port)
SERVER_URL=http://127.0.0.1:$PORT
"$GANTRY" server --data "$WORK/data" --listen "$SERVER_URL" --log-file "$WORK/server.log" >"$WORK/server.out" 2>&1 &
echo $! > "$WORK/server.pid"
for _ in $(seq 1 150); do curl -fsS "$SERVER_URL/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "$SERVER_URL/healthz" >/dev/null || { echo "the server did not start:"; tail -20 "$WORK/server.out"; exit 2; }
export GANTRY_SERVER=$SERVER_URL GANTRY_TOKEN; GANTRY_TOKEN=$(cat "$WORK/data/admin-token")
DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 "$GANTRY" router --from "$SERVER_URL" --token-file "$WORK/data/admin-token" \
  --state "$WORK/router-state" --http "127.0.0.1:$ROUTER_PORT" --internal "127.0.0.1:$(free_port)" --admin "127.0.0.1:$ADMIN_PORT" \
  >"$WORK/router.out" 2>&1 &
echo $! > "$WORK/router.pid"
for _ in $(seq 1 150); do curl -fsS "http://127.0.0.1:$ADMIN_PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

STAGING_HOST=staging.$APP.localhost
PRODUCTION_HOST=$APP.localhost
"$GANTRY" vars set "$APP" --env staging "HELLO_HOST=$STAGING_HOST" >/dev/null
"$GANTRY" vars set "$APP" --env production "HELLO_HOST=$PRODUCTION_HOST" >/dev/null

# The repository: examples/hello as it is, committed.
REPO=$WORK/repo
cp -r examples/hello "$REPO"
git -C "$REPO" init -q -b main
git -C "$REPO" -c user.name=Bench -c user.email=bench@example.com add -A
git -C "$REPO" -c user.name=Bench -c user.email=bench@example.com commit -q -m "hello"
REMOTE="http://bench:$GANTRY_TOKEN@127.0.0.1:$PORT/git/$APP.git"

# Answers from the router for HOST until STABLE answers in a row contain MARKER; prints the time of the first of them.
wait_serving() { # host marker deadline-seconds
  local host=$1 marker=$2 deadline=$(( $(date +%s) + $3 )) run=0 first=""
  while [ "$(date +%s)" -lt "$deadline" ]; do
    local t; t=$(now)
    if curl -fsS -m 2 -H "Host: $host" "http://127.0.0.1:$ROUTER_PORT/" 2>/dev/null | grep -q "$marker"; then
      [ "$run" = 0 ] && first=$t
      run=$((run + 1))
      [ "$run" -ge "$STABLE" ] && { echo "$first"; return 0; }
    else
      run=0
    fi
    sleep 0.05
  done
  return 1
}

# One push: prints "total receive build rollout" in seconds; the push's output in $WORK/push-N.log with a timestamp a line.
push_round() { # n marker
  local n=$1 marker=$2 log=$WORK/push-$1.log
  local start; start=$(now)
  wait_serving "$STAGING_HOST" "$marker" 300 > "$WORK/serving-$n" &
  local poller=$!
  git -C "$REPO" push --progress "$REMOTE" main 2>&1 | stdbuf -oL tr '\r' '\n' | while IFS= read -r line; do printf '%s %s\n' "$(now)" "$line"; done > "$log"
  wait "$poller" || { echo "round $n: staging never served '$marker'; the push said:" >&2; cut -d' ' -f2- "$log" | grep remote: | tail -20 >&2; return 1; }
  local served; served=$(cat "$WORK/serving-$n")
  local deploying built
  deploying=$(grep -m1 'remote: gantry: deploying' "$log" | cut -d' ' -f1)
  built=$(grep -m1 -E 'remote: gantry: build [0-9]+ succeeded' "$log" | cut -d' ' -f1)
  [ -n "$deploying" ] && [ -n "$built" ] || { echo "round $n: the push did not build:" >&2; cut -d' ' -f2- "$log" | tail -20 >&2; return 1; }
  echo "$(secs "$start" "$served") $(secs "$start" "$deploying") $(secs "$deploying" "$built") $(secs "$built" "$served")"
}

echo "push-to-live: examples/hello ($(nproc) cores), server $SERVER_URL, router 127.0.0.1:$ROUTER_PORT, staging $STAGING_HOST"
printf '%-10s %8s %9s %7s %9s %9s\n' "push" "total_s" "receive_s" "build_s" "registry" "rollout_s"
edit() { # marker: the one-line change, in the page the web serves
  sed -i "s|<h1>[^<]*</h1>|<h1>hello from Gantry ($1)</h1>|" "$REPO/web/www/index.html"
  git -C "$REPO" -c user.name=Bench -c user.email=bench@example.com commit -q -am "$1"
}
edit "ptl-cold-$$"
cold=$(push_round cold "ptl-cold-$$") || exit 2
read -r total receive build rollout <<<"$cold"
printf '%-10s %8s %9s %7s %9s %9s\n' "cold" "$total" "$receive" "$build" "n/a" "$rollout"
totals=()
for i in $(seq 1 "$ROUNDS"); do
  edit "ptl-warm-$i-$$"
  warm=$(push_round "warm-$i" "ptl-warm-$i-$$") || exit 2
  read -r total receive build rollout <<<"$warm"
  totals+=("$total")
  printf '%-10s %8s %9s %7s %9s %9s\n' "warm $i" "$total" "$receive" "$build" "n/a" "$rollout"
done

start=$(now)
wait_serving "$PRODUCTION_HOST" "ptl-warm-$ROUNDS-$$" 300 > "$WORK/serving-promote" &
poller=$!
"$GANTRY" promote "$APP" --from staging --to production > "$WORK/promote.log" 2>&1 || { cat "$WORK/promote.log"; exit 2; }
promoted=$(now)
wait "$poller" || { echo "production never served the promoted page"; cat "$WORK/promote.log"; exit 2; }
served=$(cat "$WORK/serving-promote")
echo "promote: $(secs "$start" "$served") s until production serves it ($(secs "$start" "$promoted") s for the command; nothing rebuilt)"

median=$(printf '%s\n' "${totals[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
echo "registry: n/a on one engine (the engine that built the images runs them; on a Swarm they go through Gantry's registry)"
if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < 20 else 1)" "$median"; then
  echo "headline: warm push to staging serving $median s (median of $ROUNDS) - goal < 20 s: met"; status=0
else
  echo "headline: warm push to staging serving $median s (median of $ROUNDS) - goal < 20 s: MISSED"; status=1
fi
exit "$status"
