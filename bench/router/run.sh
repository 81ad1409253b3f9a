#!/usr/bin/env bash
# Side-by-side HTTP proxy benchmark on 127.0.0.1: direct backend, Gantry's router, nginx, HAProxy.
# One backend (nginx answering a static "ok"), identical wrk settings for every target, ROUNDS rounds each.
# Prints req/s, p50 and p99 per target and Gantry's ratios to nginx and HAProxy. Stops everything it started, by pid.
# Usage: bench/router/run.sh            (env: DURATION=10s THREADS=2 CONNECTIONS=64 ROUNDS=2 WITH_LOG=1)
# WITH_LOG=1 (default) also measures a second Gantry process that writes its JSON access log to a file ("gantry+log").
set -euo pipefail

DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
ROUNDS=${ROUNDS:-2}
WITH_LOG=${WITH_LOG:-1}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d /tmp/gantry-router-bench.XXXXXX)
BACKEND_PORT=18180; GANTRY_PORT=18181; NGINX_PORT=18182; HAPROXY_PORT=18183; GANTRY_LOG_PORT=18184; ADMIN_PORT=18190; ADMIN_LOG_PORT=18191
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pidfile in "$WORK"/*.pid; do [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true; done
  sleep 0.5
  rm -rf "$WORK"
}
trap cleanup EXIT
trap "exit 130" INT TERM

need=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || need+=(haproxy)
command -v wrk >/dev/null || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} ..."
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)

echo "building Gantry's router (Release) ..."
dotnet build -c Release "$HERE/GantryRouterBench" -o "$WORK/gantry" -v quiet -nologo >/dev/null

# --- the one backend: nginx, one worker, static "ok" ---
mkdir -p "$WORK/backend" "$WORK/nginx"
cat > "$WORK/backend/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/backend.pid;
error_log $WORK/backend/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  client_body_temp_path $WORK/backend; proxy_temp_path $WORK/backend; fastcgi_temp_path $WORK/backend; uwsgi_temp_path $WORK/backend; scgi_temp_path $WORK/backend;
  server { listen 127.0.0.1:$BACKEND_PORT; location / { default_type text/plain; return 200 "ok"; } }
}
CONF
"$NGINX" -c "$WORK/backend/nginx.conf" -p "$WORK/backend"

# --- nginx as the reference proxy ---
cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx; uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  upstream backend { server 127.0.0.1:$BACKEND_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF
"$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx"

# --- HAProxy: http mode, no per-server maxqueue/limits ---
cat > "$WORK/haproxy.cfg" <<CONF
global
  nbthread 2
  maxconn 4096
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  option http-keep-alive
frontend fe
  bind 127.0.0.1:$HAPROXY_PORT
  default_backend be
backend be
  http-reuse always
  server s1 127.0.0.1:$BACKEND_PORT
CONF
"$HAPROXY" -f "$WORK/haproxy.cfg" -D -p "$WORK/haproxy.pid"

# --- Gantry's router ---
cat > "$WORK/routes.json" <<CONF
{"version":1,"routes":[{"id":"bench","hosts":["*"],"clusterId":"backend"}],
 "clusters":[{"id":"backend","destinations":[{"id":"b1","address":"http://127.0.0.1:$BACKEND_PORT"}]}]}
CONF
DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 dotnet "$WORK/gantry/GantryRouterBench.dll" "$WORK/routes.json" "$GANTRY_PORT" "$ADMIN_PORT" &
PIDS+=($!)
PORTS=($BACKEND_PORT $NGINX_PORT $HAPROXY_PORT $GANTRY_PORT)
if [ "$WITH_LOG" = "1" ]; then
  DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 dotnet "$WORK/gantry/GantryRouterBench.dll" "$WORK/routes.json" "$GANTRY_LOG_PORT" "$ADMIN_LOG_PORT" "$WORK/access.log" &
  PIDS+=($!)
  PORTS+=($GANTRY_LOG_PORT)
fi

for port in "${PORTS[@]}"; do
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break
    sleep 0.1
  done
  curl -fsS -o /dev/null "http://127.0.0.1:$port/" || { echo "port $port does not answer"; exit 1; }
done

# wrk prints latency percentiles with --latency; convert to milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); print v/1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); print v+0 } else if (v ~ /s$/) { sub(/s$/, "", v); print v*1000 } else print v }'; }

declare -A RPS P50 P99
run_target() {
  local name=$1 port=$2 best_rps=0 sum_rps=0 p50s=() p99s=()
  # warm-up, the same for every target: JIT tiering (for .NET) and connection pools (for all)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "http://127.0.0.1:$port/" >/dev/null
  for round in $(seq 1 "$ROUNDS"); do
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$port/")
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(to_ms "$(echo "$out" | awk '$1=="50%" {print $2}')")
    p99=$(to_ms "$(echo "$out" | awk '$1=="99%" {print $2}')")
    errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
    printf "  %-10s round %d: %10.0f req/s  p50 %7.3f ms  p99 %7.3f ms %s\n" "$name" "$round" "$rps" "$p50" "$p99" "$errors"
    sum_rps=$(awk -v a="$sum_rps" -v b="$rps" 'BEGIN{print a+b}')
    p50s+=("$p50"); p99s+=("$p99")
  done
  RPS[$name]=$(awk -v s="$sum_rps" -v n="$ROUNDS" 'BEGIN{printf "%.0f", s/n}')
  P50[$name]=$(printf "%s\n" "${p50s[@]}" | awk '{s+=$1} END {printf "%.3f", s/NR}')
  P99[$name]=$(printf "%s\n" "${p99s[@]}" | awk '{s+=$1} END {printf "%.3f", s/NR}')
}

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $ROUNDS rounds each, 127.0.0.1, $(nproc) cores"
run_target direct "$BACKEND_PORT"
run_target gantry "$GANTRY_PORT"
run_target nginx "$NGINX_PORT"
run_target haproxy "$HAPROXY_PORT"
TARGETS=(direct gantry nginx haproxy)
if [ "$WITH_LOG" = "1" ]; then
  run_target gantry+log "$GANTRY_LOG_PORT"
  TARGETS+=(gantry+log)
  echo "  (gantry+log wrote $(wc -l < "$WORK/access.log") access-log lines)"
fi

echo
printf "%-10s %12s %10s %10s\n" target "req/s" "p50 ms" "p99 ms"
for t in "${TARGETS[@]}"; do
  printf "%-10s %12s %10s %10s\n" "$t" "${RPS[$t]}" "${P50[$t]}" "${P99[$t]}"
done
echo
awk -v g="${RPS[gantry]}" -v n="${RPS[nginx]}" -v h="${RPS[haproxy]}" -v gp="${P99[gantry]}" -v np="${P99[nginx]}" -v hp="${P99[haproxy]}" 'BEGIN {
  printf "gantry/nginx:   throughput %.2fx, p99 %.2fx  (goal: >= 1.00x throughput, <= 1.20x p99)\n", g/n, gp/np
  printf "gantry/haproxy: throughput %.2fx, p99 %.2fx\n", g/h, gp/hp
}'
