#!/usr/bin/env bash
# Side-by-side proxy benchmark on 127.0.0.1: the shipped `gantry router` command against nginx and HAProxy, each
# writing an access log to a file, in front of one nginx backend (one worker, static 1 KB and 100 KB bodies).
# Rows: 1 KB @ 64 connections (the headline), 1 KB @ 1,000 connections, 100 KB @ 64, TLS HTTP/1.1 @ 64 (wrk),
# TLS HTTP/2 @ 64 (h2load, or hey -h2 when h2load is missing). Rounds are interleaved: every round runs each target
# once, in a rotated order, so drift on a shared machine hits all alike. Per row: req/s, p50, p99, CPU seconds per
# 10k requests (utime+stime from /proc) and ratios to nginx; the proxies' RSS after the headline row and at the end.
# Stops only what it started, by pid.
# Usage: bench/router/run.sh
#   env: DURATION=10s WARMUP=5s THREADS=2 CONNECTIONS=64 MANY=1000 ROUNDS=2 DIRECT=1 ROWS="1k 1k-many 100k tls-h1 tls-h2"
#        H2_TOOL=auto|h2load|hey  GANTRY_BIN=DIR (an existing `gantry` build to measure instead of publishing one)
set -euo pipefail

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
MANY=${MANY:-1000}
ROUNDS=${ROUNDS:-2}
DIRECT=${DIRECT:-1}
ROWS=${ROWS:-"1k 1k-many 100k tls-h1 tls-h2"}
H2_TOOL=${H2_TOOL:-auto}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d /tmp/gantry-router-bench.XXXXXX)
BACKEND_PORT=18180
GANTRY_PORT=18181; NGINX_PORT=18182; HAPROXY_PORT=18183
GANTRY_TLS_PORT=18281; NGINX_TLS_PORT=18282; HAPROXY_TLS_PORT=18283
GANTRY_ADMIN_PORT=18190; GANTRY_INTERNAL_PORT=18191
HZ=$(getconf CLK_TCK)
STARTED=()  # pids this script started (nginx masters are read from their pid files)

cleanup() {
  local pids=("${STARTED[@]}")
  for pidfile in "$WORK"/backend/nginx.pid "$WORK"/nginx/nginx.pid; do
    [ -f "$pidfile" ] && pids+=("$(cat "$pidfile")")
  done
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap "exit 130" INT TERM

need=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || need+=(haproxy)
command -v wrk >/dev/null || need+=(wrk)
command -v openssl >/dev/null || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} ..."
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [[ " $ROWS " == *" tls-h2 "* ]] && [ "$H2_TOOL" != hey ] && ! command -v h2load >/dev/null; then
  # wrk cannot speak HTTP/2; h2load (nghttp2-client) can. The mirror may lack it: then hey -h2 measures the row.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nghttp2-client >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nghttp2-client >/dev/null 2>&1; } || true
fi
if [ "$H2_TOOL" = auto ]; then
  if command -v h2load >/dev/null; then H2_TOOL=h2load; elif command -v hey >/dev/null; then H2_TOOL=hey; else H2_TOOL=none; fi
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)

# 1,000 client connections plus as many upstream ones, per proxy: raise the descriptor limit before anything starts.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((MANY * 2 + 256)) ]; then
  echo "warning: ulimit -n is $(ulimit -n); the $MANY-connection row needs about $((MANY * 2 + 256))" >&2
fi

# --- the shipped command, built as ./run.sh builds it (scripts/build.sh: dotnet publish -c Release, app host) ---
if [ -n "${GANTRY_BIN:-}" ]; then
  BIN=$GANTRY_BIN
else
  BIN="$ROOT/artifacts/bench-router"
  echo "building the gantry command (scripts/build.sh, Release; skipped when no source changed) ..."
  "$ROOT/scripts/build.sh" "$BIN"
  rm -f "$BIN/.rebuilt"
fi
[ -x "$BIN/gantry" ] || { echo "no gantry executable in $BIN" >&2; exit 1; }

# --- content and the certificate every TLS listener serves ---
mkdir -p "$WORK/www" "$WORK/backend" "$WORK/nginx" "$WORK/haproxy" "$WORK/gantry/certs" "$WORK/gantry/state" "$WORK/clients"
head -c 1024 /dev/zero | tr '\0' 'x' > "$WORK/www/1k"
head -c 102400 /dev/zero | tr '\0' 'x' > "$WORK/www/100k"
CERTS="$WORK/gantry/certs"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$CERTS/bench.key" -out "$CERTS/bench.crt" 2>/dev/null
cat "$CERTS/bench.crt" "$CERTS/bench.key" > "$WORK/haproxy/bench.pem"

# nginx's workers run as the invoking user, so they can read the content and write the temp files under $WORK.
NGINX_USER=""; [ "$(id -u)" = 0 ] && NGINX_USER="user root;"

# --- the one backend: nginx, one worker, static files, no log ---
cat > "$WORK/backend/nginx.conf" <<CONF
$NGINX_USER
worker_processes 1;
worker_rlimit_nofile 16384;
pid $WORK/backend/nginx.pid;
error_log $WORK/backend/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  open_file_cache max=16;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  client_body_temp_path $WORK/backend; proxy_temp_path $WORK/backend; fastcgi_temp_path $WORK/backend; uwsgi_temp_path $WORK/backend; scgi_temp_path $WORK/backend;
  server { listen 127.0.0.1:$BACKEND_PORT; root $WORK/www; default_type text/plain; }
}
CONF
"$NGINX" -c "$WORK/backend/nginx.conf" -p "$WORK/backend"

# --- nginx as the reference proxy: the combined access log, buffered as production configs write it ---
cat > "$WORK/nginx/nginx.conf" <<CONF
$NGINX_USER
worker_processes auto;
worker_rlimit_nofile 16384;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 8192; }
http {
  access_log $WORK/nginx/access.log combined buffer=64k flush=1s;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx; uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  upstream backend { server 127.0.0.1:$BACKEND_PORT; keepalive 1024; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    listen 127.0.0.1:$NGINX_TLS_PORT ssl http2;
    ssl_certificate $CERTS/bench.crt;
    ssl_certificate_key $CERTS/bench.key;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Real-IP \$remote_addr;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$host;
    }
  }
}
CONF
"$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx"

# --- HAProxy: http mode, httplog written by its own threads to stdout, which is a file (see README) ---
cat > "$WORK/haproxy/haproxy.cfg" <<CONF
global
  nbthread 2
  maxconn 8192
  log stdout format raw local0
defaults
  mode http
  log global
  option httplog
  maxconn 8192
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  option http-keep-alive
frontend fe
  bind 127.0.0.1:$HAPROXY_PORT
  bind 127.0.0.1:$HAPROXY_TLS_PORT ssl crt $WORK/haproxy/bench.pem alpn h2,http/1.1
  option forwardfor
  http-request set-header X-Forwarded-Proto https if { ssl_fc }
  http-request set-header X-Forwarded-Proto http if !{ ssl_fc }
  default_backend be
backend be
  http-reuse always
  server s1 127.0.0.1:$BACKEND_PORT
CONF
# setsid: every proxy in a session of its own, as nginx's daemon is and as a service manager runs each (see README).
setsid "$HAPROXY" -db -f "$WORK/haproxy/haproxy.cfg" >> "$WORK/haproxy/access.log" 2>> "$WORK/haproxy/error.log" < /dev/null &
HAPROXY_PID=$!
STARTED+=("$HAPROXY_PID")

# --- Gantry: the command line and environment ./run.sh starts the router with, on a static route table ---
cat > "$WORK/gantry/routes.json" <<CONF
{"version":1,"routes":[{"id":"bench","hosts":["*"],"clusterId":"backend"}],
 "clusters":[{"id":"backend","destinations":[{"id":"b1","address":"http://127.0.0.1:$BACKEND_PORT"}]}]}
CONF
DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 setsid "$BIN/gantry" router --routes "$WORK/gantry/routes.json" \
  --http "127.0.0.1:$GANTRY_PORT" --https "127.0.0.1:$GANTRY_TLS_PORT" --certs "$CERTS" \
  --admin "127.0.0.1:$GANTRY_ADMIN_PORT" --internal "127.0.0.1:$GANTRY_INTERNAL_PORT" --state "$WORK/gantry/state" \
  --access-log "$WORK/gantry/access.log" --log-file "$WORK/gantry/router.log" >> "$WORK/gantry/router.out" 2>&1 &
GANTRY_PID=$!
STARTED+=("$GANTRY_PID")

# --- targets: name -> URLs and the processes whose CPU and memory count ---
declare -A HTTP_URL TLS_URL
HTTP_URL[direct]="http://127.0.0.1:$BACKEND_PORT"
HTTP_URL[gantry]="http://127.0.0.1:$GANTRY_PORT";   TLS_URL[gantry]="https://127.0.0.1:$GANTRY_TLS_PORT"
HTTP_URL[nginx]="http://127.0.0.1:$NGINX_PORT";     TLS_URL[nginx]="https://127.0.0.1:$NGINX_TLS_PORT"
HTTP_URL[haproxy]="http://127.0.0.1:$HAPROXY_PORT"; TLS_URL[haproxy]="https://127.0.0.1:$HAPROXY_TLS_PORT"
PROXIES=(gantry nginx haproxy)

# An nginx master and its workers (children of the pid in the pid file); the others are one process each.
pids_of() {
  case $1 in
    gantry) echo "$GANTRY_PID" ;;
    haproxy) echo "$HAPROXY_PID" ;;
    nginx) local m; m=$(cat "$WORK/nginx/nginx.pid"); echo "$m" $(pgrep -P "$m") ;;
    direct) local m; m=$(cat "$WORK/backend/nginx.pid"); echo "$m" $(pgrep -P "$m") ;;
  esac
}
# utime+stime in clock ticks, summed over the target's processes (fields 14 and 15, counted after the ")" of comm).
cpu_ticks() {
  local total=0 pid
  for pid in $(pids_of "$1"); do
    total=$((total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat")))
  done
  echo "$total"
}
# VmRSS or VmHWM in KB, summed over the target's processes (nginx's workers share pages, so its sum overstates).
mem_kb() {
  local total=0 pid
  for pid in $(pids_of "$1"); do
    total=$((total + $(awk -v k="$2:" '$1 == k { print $2 }' "/proc/$pid/status")))
  done
  echo "$total"
}

wait_ready() { # url [curl options...]
  local url=$1; shift
  for _ in $(seq 1 150); do
    curl -fsS -o /dev/null "$@" "$url" 2>/dev/null && return 0
    kill -0 "$GANTRY_PID" 2>/dev/null || { echo "the gantry router exited:"; tail -n 20 "$WORK/gantry/router.out" "$WORK/gantry/router.log"; exit 1; }
    sleep 0.1
  done
  curl -fsS -o /dev/null "$@" "$url" || { echo "$url does not answer" >&2; exit 1; }
}
wait_ready "${HTTP_URL[direct]}/1k"
for t in "${PROXIES[@]}"; do
  wait_ready "${HTTP_URL[$t]}/1k"
  wait_ready "${TLS_URL[$t]}/1k" -k --http1.1
  proto=$(curl -sk --http2 -o /dev/null -w '%{http_version}' "${TLS_URL[$t]}/1k")
  [ "$proto" = 2 ] || { echo "$t does not negotiate HTTP/2 over TLS (got HTTP/$proto)" >&2; exit 1; }
done

to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); print v/1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); print v+0 } else if (v ~ /s$/) { sub(/s$/, "", v); print v*1000 } else print v }'; }

# One client run; sets R_RPS R_P50 R_P99 (ms) R_REQ (completed requests) R_ERR (text, empty when none).
client_run() { # tool connections duration url
  local tool=$1 conns=$2 dur=$3 url=$4 out
  case $tool in
    wrk)
      out=$(wrk -t"$THREADS" -c"$conns" -d"$dur" --timeout 10s --latency "$url")
      R_RPS=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
      R_REQ=$(echo "$out" | awk '/requests in/ {print $1}')
      R_P50=$(to_ms "$(echo "$out" | awk '$1=="50%" {print $2}')")
      R_P99=$(to_ms "$(echo "$out" | awk '$1=="99%" {print $2}')")
      R_ERR=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr -s ' \n' ' ')
      ;;
    h2load)
      # -m1: one request in flight per connection, as wrk does; latencies from the per-request log (µs).
      local log="$WORK/clients/h2load.log"
      rm -f "$log"
      out=$(h2load -c"$conns" -m1 -t"$THREADS" -D "$dur" --log-file="$log" "$url" 2>&1)
      R_RPS=$(echo "$out" | awk '/^finished in/ { for (i = 1; i <= NF; i++) if ($i == "req/s,") print $(i-1) }')
      R_REQ=$(echo "$out" | awk '/^requests:/ { for (i = 1; i <= NF; i++) if ($i == "succeeded,") print $(i-1) }')
      read -r R_P50 R_P99 < <(awk -F'\t' '$2 == 200 { print $3 }' "$log" | sort -n | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "0 0"; exit } i50 = int(NR * 0.50); i99 = int(NR * 0.99); if (i50 < 1) i50 = 1; if (i99 < 1) i99 = 1
        printf "%.3f %.3f\n", v[i50] / 1000, v[i99] / 1000 }')
      R_ERR=$(echo "$out" | awk '/^requests:/ { for (i = 1; i <= NF; i++) if (($i ~ /^(failed|errored|timeout),?$/) && $(i-1) != "0") printf "%s %s ", $(i-1), $i }')
      ;;
    hey)
      # hey's Go client multiplexes all its workers' streams over few connections: see README.
      out=$(hey -h2 -c "$conns" -z "$dur" "$url" 2>&1)
      R_RPS=$(echo "$out" | awk '/Requests\/sec:/ {print $2}')
      R_REQ=$(echo "$out" | awk '/^ *\[200\]/ {print $2}')
      R_P50=$(echo "$out" | awk '$1=="50%" {printf "%.3f", $3 * 1000}')
      R_P99=$(echo "$out" | awk '$1=="99%" {printf "%.3f", $3 * 1000}')
      R_ERR=$(echo "$out" | awk '/^Error distribution:/ {e=1} e' | tr -s ' \n' ' ')
      ;;
  esac
  R_REQ=${R_REQ:-0}
}

declare -A ROW_RPS ROW_P50 ROW_P99 ROW_CPU SERVED ROW_TITLE
ROW_ORDER=()
RSS_HEADLINE=()

run_row() { # id title tool connections scheme path
  local id=$1 title=$2 tool=$3 conns=$4 scheme=$5 path=$6 targets=() t round i n
  [ "$scheme" = http ] && [ "$DIRECT" = 1 ] && targets+=(direct)
  targets+=("${PROXIES[@]}")
  n=${#targets[@]}
  ROW_ORDER+=("$id"); ROW_TITLE[$id]=$title
  echo
  local cmd
  case $tool in
    wrk) cmd="wrk -t$THREADS -c$conns -d$DURATION --timeout 10s --latency" ;;
    h2load) cmd="h2load -c$conns -m1 -t$THREADS -D $DURATION" ;;
    hey) cmd="hey -h2 -c $conns -z $DURATION" ;;
  esac
  echo "== $title: $cmd, $ROUNDS interleaved rounds after a $WARMUP warm-up each =="
  url_of() { if [ "$scheme" = https ]; then echo "${TLS_URL[$1]}$path"; else echo "${HTTP_URL[$1]}$path"; fi; }
  # Warm-up, the same for every target: JIT tiering (for .NET), connection pools and TLS sessions (for all).
  for t in "${targets[@]}"; do
    client_run "$tool" "$conns" "$WARMUP" "$(url_of "$t")"
    SERVED[$t]=$(( ${SERVED[$t]:-0} + R_REQ ))
  done
  declare -A sum_rps=() sum_p50=() sum_p99=() ticks=() reqs=()
  for round in $(seq 1 "$ROUNDS"); do
    for i in $(seq 0 $((n - 1))); do
      t=${targets[$(( (i + round - 1) % n ))]}
      local before after
      before=$(cpu_ticks "$t")
      client_run "$tool" "$conns" "$DURATION" "$(url_of "$t")"
      after=$(cpu_ticks "$t")
      SERVED[$t]=$(( ${SERVED[$t]:-0} + R_REQ ))
      printf "  round %d %-8s %9.0f req/s  p50 %8.3f ms  p99 %8.3f ms  %s\n" "$round" "$t" "$R_RPS" "$R_P50" "$R_P99" "${R_ERR:-}"
      sum_rps[$t]=$(awk -v a="${sum_rps[$t]:-0}" -v b="$R_RPS" 'BEGIN { print a + b }')
      sum_p50[$t]=$(awk -v a="${sum_p50[$t]:-0}" -v b="$R_P50" 'BEGIN { print a + b }')
      sum_p99[$t]=$(awk -v a="${sum_p99[$t]:-0}" -v b="$R_P99" 'BEGIN { print a + b }')
      ticks[$t]=$(( ${ticks[$t]:-0} + after - before ))
      reqs[$t]=$(( ${reqs[$t]:-0} + R_REQ ))
    done
  done
  for t in "${targets[@]}"; do
    ROW_RPS[$id,$t]=$(awk -v s="${sum_rps[$t]}" -v n="$ROUNDS" 'BEGIN { printf "%.0f", s / n }')
    ROW_P50[$id,$t]=$(awk -v s="${sum_p50[$t]}" -v n="$ROUNDS" 'BEGIN { printf "%.3f", s / n }')
    ROW_P99[$id,$t]=$(awk -v s="${sum_p99[$t]}" -v n="$ROUNDS" 'BEGIN { printf "%.3f", s / n }')
    ROW_CPU[$id,$t]=$(awk -v c="${ticks[$t]}" -v hz="$HZ" -v r="${reqs[$t]}" 'BEGIN { if (r > 0) printf "%.2f", c / hz * 10000 / r; else print "-" }')
  done
  printf "  %-8s %10s %9s %9s %10s %12s %10s\n" target "req/s" "p50 ms" "p99 ms" "CPU s/10k" "req/s/nginx" "p99/nginx"
  for t in "${targets[@]}"; do
    printf "  %-8s %10s %9s %9s %10s %12s %10s\n" "$t" "${ROW_RPS[$id,$t]}" "${ROW_P50[$id,$t]}" "${ROW_P99[$id,$t]}" "${ROW_CPU[$id,$t]}" \
      "$(awk -v a="${ROW_RPS[$id,$t]}" -v b="${ROW_RPS[$id,nginx]}" 'BEGIN { printf "%.2fx", a / b }')" \
      "$(awk -v a="${ROW_P99[$id,$t]}" -v b="${ROW_P99[$id,nginx]}" 'BEGIN { printf "%.2fx", a / b }')"
  done
}

echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); gantry $("$BIN/gantry" --version 2>/dev/null | head -n1 || echo '?') ($BIN)"
echo "nginx $("$NGINX" -v 2>&1 | sed 's/.*\///'), $("$HAPROXY" -v 2>&1 | head -n1 | cut -d' ' -f1-3), $(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-2), h2: $H2_TOOL"
echo "every proxy writes an access log to a file: gantry JSON lines, nginx combined (buffer=64k flush=1s), HAProxy httplog to stdout (a file)"
for row in $ROWS; do
  case $row in
    1k)      run_row 1k "1 KB, $CONNECTIONS connections, HTTP/1.1 (headline)" wrk "$CONNECTIONS" http /1k
             for t in "${PROXIES[@]}"; do RSS_HEADLINE+=("$t=$(mem_kb "$t" VmRSS)"); done ;;
    1k-many) run_row 1k-many "1 KB, $MANY connections, HTTP/1.1" wrk "$MANY" http /1k ;;
    100k)    run_row 100k "100 KB, $CONNECTIONS connections, HTTP/1.1" wrk "$CONNECTIONS" http /100k ;;
    tls-h1)  run_row tls-h1 "1 KB, $CONNECTIONS connections, TLS HTTP/1.1" wrk "$CONNECTIONS" https /1k ;;
    tls-h2)  if [ "$H2_TOOL" = none ]; then echo; echo "== TLS HTTP/2: skipped (neither h2load nor hey is installed) =="; continue; fi
             run_row tls-h2 "1 KB, $CONNECTIONS connections, TLS HTTP/2" "$H2_TOOL" "$CONNECTIONS" https /1k ;;
    *) echo "unknown row '$row' (rows: 1k 1k-many 100k tls-h1 tls-h2)" >&2; exit 2 ;;
  esac
done

# --- memory, access logs, summary ---
sleep 2  # nginx flushes its log buffer every second; Gantry's writer drains its channel
echo
echo "== memory (KB; nginx: master + workers summed) =="
printf "  %-8s %14s %14s %14s\n" target "RSS after 1k" "RSS at end" "peak (VmHWM)"
for t in "${PROXIES[@]}"; do
  after=-
  for kv in "${RSS_HEADLINE[@]}"; do [ "${kv%%=*}" = "$t" ] && after=${kv#*=}; done
  printf "  %-8s %14s %14s %14s\n" "$t" "$after" "$(mem_kb "$t" VmRSS)" "$(mem_kb "$t" VmHWM)"
done
echo
echo "== access logs (lines written / requests the clients counted, warm-ups included) =="
lines_of() { cat "$@" 2>/dev/null | wc -l; }
dropped=$(curl -fsS "http://127.0.0.1:$GANTRY_ADMIN_PORT/metrics" 2>/dev/null | awk '/^gantry_router_access_log_dropped_total/ {print $2}')
printf "  %-8s %12s %12s  %s\n" gantry "$(lines_of "$WORK"/gantry/access.log*)" "${SERVED[gantry]:-0}" "(dropped by the writer: ${dropped:-?})"
printf "  %-8s %12s %12s\n" nginx "$(lines_of "$WORK/nginx/access.log")" "${SERVED[nginx]:-0}"
printf "  %-8s %12s %12s\n" haproxy "$(lines_of "$WORK/haproxy/access.log")" "${SERVED[haproxy]:-0}"

echo
echo "== summary: gantry against nginx (goal on the headline row: >= 1.00x throughput, <= 1.20x p99) =="
printf "  %-42s %22s %8s %16s %12s\n" row "req/s g/n/h" "x nginx" "p99 ms g/n" "x nginx p99"
for id in "${ROW_ORDER[@]}"; do
  printf "  %-42s %22s %8s %16s %12s\n" "${ROW_TITLE[$id]}" \
    "${ROW_RPS[$id,gantry]}/${ROW_RPS[$id,nginx]}/${ROW_RPS[$id,haproxy]}" \
    "$(awk -v a="${ROW_RPS[$id,gantry]}" -v b="${ROW_RPS[$id,nginx]}" 'BEGIN { printf "%.2fx", a / b }')" \
    "${ROW_P99[$id,gantry]}/${ROW_P99[$id,nginx]}" \
    "$(awk -v a="${ROW_P99[$id,gantry]}" -v b="${ROW_P99[$id,nginx]}" 'BEGIN { printf "%.2fx", a / b }')"
done
echo "  (CPU s/10k: gantry/nginx/haproxy)"
for id in "${ROW_ORDER[@]}"; do
  printf "  %-42s %s/%s/%s\n" "${ROW_TITLE[$id]}" "${ROW_CPU[$id,gantry]}" "${ROW_CPU[$id,nginx]}" "${ROW_CPU[$id,haproxy]}"
done
