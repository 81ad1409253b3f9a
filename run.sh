#!/usr/bin/env bash
# Sets up and starts Gantry on this machine (as root): installs what is missing, starts dockerd,
# builds Gantry, starts the server, installs the `gantry` CLI and logs it in.
#   ./run.sh          start (idempotent: a second run changes nothing that runs)
#   ./run.sh stop     stop Gantry (the apps keep running)
#   ./run.sh status   show what runs
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
DATA=${GANTRY_DATA:-/var/lib/gantry}
LISTEN=${GANTRY_LISTEN:-http://127.0.0.1:7070}
RUNDIR=/run/gantry
LOGDIR=/var/log/gantry
BIN="$ROOT/artifacts/gantry"
log() { printf '[gantry] %s\n' "$*"; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# The server and router rotate their own logs (--log-file, --access-log: 10 MB x 5 and 100 MB x 5). Their stdout/stderr
# only catch what happens before logging starts or a crash; keep that file from growing across many restarts too.
cap_out() { # file
  if [ -f "$1" ] && [ "$(stat -c %s "$1")" -gt 10485760 ]; then mv -f "$1" "$1.1"; fi
}

stop_process() { # name
  local pidfile="$RUNDIR/$1.pid"
  if pid_alive "$pidfile"; then
    local pid; pid=$(cat "$pidfile")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    log "stopped $1 (pid $pid)"
  fi
  rm -f "$pidfile"
}

case "${1:-start}" in
  stop)
    stop_process router
    stop_process server
    exit 0 ;;
  status)
    for p in server router; do
      if pid_alive "$RUNDIR/$p.pid"; then log "$p running (pid $(cat "$RUNDIR/$p.pid"))"; else log "$p not running"; fi
    done
    exit 0 ;;
  start) ;;
  *) echo "usage: ./run.sh [start|stop|status]" >&2; exit 2 ;;
esac

./scripts/prereqs.sh
./scripts/build.sh "$BIN"

# The CLI on the PATH: a wrapper so it works whatever the current directory.
if [ ! -f /usr/local/bin/gantry ] || ! grep -q "$BIN" /usr/local/bin/gantry; then
  printf '#!/bin/sh\nexec "%s/gantry" "$@"\n' "$BIN" > /usr/local/bin/gantry
  chmod 0755 /usr/local/bin/gantry
  log "installed /usr/local/bin/gantry"
fi

mkdir -p "$RUNDIR" "$LOGDIR"
rebuilt=0; [ -f "$BIN/.rebuilt" ] && rebuilt=1 && rm -f "$BIN/.rebuilt"
if pid_alive "$RUNDIR/server.pid" && [ "$rebuilt" = 1 ]; then
  log "Gantry was rebuilt: restarting the server (apps keep running)"
  stop_process server
fi
if ! pid_alive "$RUNDIR/server.pid"; then
  cap_out "$LOGDIR/server.out"
  # setsid: each daemon in a session of its own, as nginx and dockerd put themselves. In the caller's session it would
  # share one CPU share with everything else started from that shell (the kernel's autogroup scheduling groups processes
  # by session), and a shell or CI job that kills its process group would take it along.
  setsid nohup "$BIN/gantry" server --data "$DATA" --listen "$LISTEN" --log-file "$LOGDIR/server.log" >> "$LOGDIR/server.out" 2>&1 < /dev/null &
  echo $! > "$RUNDIR/server.pid"
  log "started the server (pid $!, log $LOGDIR/server.log)"
fi
for _ in $(seq 1 100); do
  curl -fsS "$LISTEN/healthz" >/dev/null 2>&1 && break
  pid_alive "$RUNDIR/server.pid" || { log "the server exited; last log lines:"; tail -n 20 "$LOGDIR/server.out" "$LOGDIR/server.log" 2>/dev/null; exit 1; }
  sleep 0.2
done
curl -fsS "$LISTEN/healthz" >/dev/null || { log "the server did not become healthy; see $LOGDIR/server.log"; exit 1; }

gantry login --server "$LISTEN" --token-file "$DATA/admin-token" >/dev/null

# The router (data plane): follows the server's route table, keeps the last one on disk and keeps
# routing while the server restarts.
if pid_alive "$RUNDIR/router.pid" && [ "$rebuilt" = 1 ]; then
  stop_process router
fi
if ! pid_alive "$RUNDIR/router.pid"; then
  cap_out "$LOGDIR/router.out"
  DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 setsid nohup "$BIN/gantry" router --from "$LISTEN" --token-file "$DATA/router-token" --state "$DATA/router" \
    --http "${GANTRY_ROUTER_HTTP:-0.0.0.0:80}" --access-log "$LOGDIR/access.log" --log-file "$LOGDIR/router.log" >> "$LOGDIR/router.out" 2>&1 < /dev/null &
  echo $! > "$RUNDIR/router.pid"
  log "started the router (pid $!, log $LOGDIR/router.log, access log $LOGDIR/access.log)"
fi
for _ in $(seq 1 50); do
  curl -fsS http://127.0.0.1:9090/healthz >/dev/null 2>&1 && break
  pid_alive "$RUNDIR/router.pid" || { log "the router exited; last log lines:"; tail -n 20 "$LOGDIR/router.out" "$LOGDIR/router.log" 2>/dev/null; exit 1; }
  sleep 0.2
done
log "Gantry is running."
log "  API:          $LISTEN/api/v1   (OpenAPI: $LISTEN/api/v1/openapi.json)"
log "  admin token:  $DATA/admin-token  (the CLI is logged in)"
log "  router:       http://127.0.0.1 by host name (admin: http://127.0.0.1:9090/metrics, /routes, /requests)"
log "  registry:     ${LISTEN#http://}/v2  (docker login ${LISTEN#http://} -u admin -p \$(cat $DATA/admin-token))"
log "  try:          gantry deploy -f examples/hello/compose.yaml --app hello"
log "                curl -H 'Host: hello.localhost' http://127.0.0.1/cgi-bin/api"
