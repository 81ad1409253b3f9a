#!/usr/bin/env bash
# Gantry's registry against docker-registry (the CNCF distribution registry, Debian package), side by side on
# 127.0.0.1 with filesystem storage on the same disk. Prints each figure for both and the ratio gantry/reference.
#   manifest GET and HEAD per second at 64 concurrent clients (hey, 10 s each)
#   blob GET throughput, 10 MB and 100 MB blobs, 1 and 4 clients (hey, fixed request count), on a quiet machine and
#   again beside a CPU-bound neighbour (one `while :; do :; done` shell per core, started and stopped by this script);
#   each figure is the median of BENCH_BLOB_REPS runs, the two registries measured alternately, page cache warm for both
#   monolithic and chunked (10 MB PATCHes) push throughput, 100 MB blob (curl)
#   50 concurrent `docker pull`s of one image, image removed locally between rounds, registries alternating per round
# Bounded in time (each step has a timeout); stops only the processes it started, by pid.
# BENCH_ONLY="blobs pulls" (any of manifests pushes blobs pulls) runs a subset; GANTRY_REGISTRY_SENDFILE=0 measures
# Gantry with Kestrel's own file path instead of sendfile(2).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
DURATION="${BENCH_DURATION:-10s}"
PULL_ROUNDS="${BENCH_PULL_ROUNDS:-3}"
BLOB_REPS="${BENCH_BLOB_REPS:-3}"
ONLY="${BENCH_ONLY:-manifests pushes blobs pulls}"
section() { case " $ONLY " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
work="$(mktemp -d /tmp/gdr-bench.XXXXXX)"
results_dir="$here/results"
mkdir -p "$results_dir"
results="$results_dir/$(date -u +%Y%m%dT%H%M%SZ).txt"
pids=()
images=()

log() { printf '[bench] %s\n' "$*" >&2; }

cleanup() {
  for pid in "${pids[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]:-}"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
  for img in "${images[@]:-}"; do
    [ -n "$img" ] && docker rmi -f "$img" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

need=()
command -v docker-registry >/dev/null || need+=(docker-registry)
command -v hey >/dev/null || need+=(hey)
command -v skopeo >/dev/null || need+=(skopeo)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
"$repo_root/scripts/prereqs.sh" >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
REF_PORT="$(free_port)"
GANTRY_PORT="$(free_port)"
while [ "$GANTRY_PORT" = "$REF_PORT" ]; do GANTRY_PORT="$(free_port)"; done

# --- start docker-registry with its own config and storage -------------------------------------
mkdir -p "$work/ref-storage" "$work/gantry-storage"
cat > "$work/ref-config.yml" <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: $work/ref-storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$REF_PORT
EOF
docker-registry serve "$work/ref-config.yml" > "$work/ref.log" 2>&1 &
pids+=($!)

# --- build and start Gantry's registry (Release) ---------------------------------------------------
log "building the Gantry registry bench host (Release)"
timeout 300 dotnet build -c Release "$here/BenchHost" -o "$work/host" -nologo -v q > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
dotnet "$work/host/Gantry.Registry.BenchHost.dll" "$work/gantry-storage" "http://127.0.0.1:$GANTRY_PORT" > "$work/gantry.log" 2>&1 &
pids+=($!)

for port in "$REF_PORT" "$GANTRY_PORT"; do
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null || { log "registry on port $port did not start"; cat "$work"/*.log; exit 1; }
done
log "docker-registry on :$REF_PORT, gantry on :$GANTRY_PORT"

# --- seed: one multi-layer image (skopeo from the local engine) into both ---------------------------
tag="gdr-bench-$$"
mkdir -p "$work/ctx"
head -c 3000000 /dev/urandom > "$work/ctx/payload.bin"
printf 'FROM gantry/busybox:latest\nRUN echo %s > /nonce.txt\nCOPY payload.bin /payload.bin\n' "$tag" > "$work/ctx/Dockerfile"
docker build -q -t "$tag:v1" "$work/ctx" >/dev/null
images+=("$tag:v1")
for port in "$REF_PORT" "$GANTRY_PORT"; do
  timeout 120 skopeo copy -q --dest-tls-verify=false "docker-daemon:$tag:v1" "docker://127.0.0.1:$port/bench/img:v1"
done

ACCEPT="application/vnd.docker.distribution.manifest.v2+json"
declare -A R

hey_rps() { # hey arguments... -> requests/second; logs any answer that was not 200
  local out
  out="$(timeout 120 hey "$@" 2>/dev/null)"
  if printf '%s\n' "$out" | sed -n '/Status code distribution/,$p' | grep -E '^\s+\[[0-9]+\]' | grep -vq '\[200\]'; then
    log "non-200 answers from hey $*:"; printf '%s\n' "$out" | sed -n '/Status code distribution/,$p' >&2
  fi
  printf '%s\n' "$out" | awk '/Requests\/sec/ {print $2}'
}
rps() { hey_rps -z "$DURATION" -c 64 -m "$2" -H "Accept: $ACCEPT" "$1"; } # url method

if section manifests; then
log "manifest GET/HEAD, 64 clients, $DURATION each"
for name in ref gantry; do
  port=$REF_PORT; [ "$name" = gantry ] && port=$GANTRY_PORT
  url="http://127.0.0.1:$port/v2/bench/img/manifests/v1"
  code="$(curl -sS -o /dev/null -w '%{http_code}' -H "Accept: $ACCEPT" "$url")"
  [ "$code" = 200 ] || { log "manifest GET on $name answered $code, not 200"; exit 1; }
  R[$name.mget]="$(rps "$url" GET)"
  R[$name.mhead]="$(rps "$url" HEAD)"
done
fi

# --- blobs: monolithic push (timed), then GET throughput -----------------------------------------------
now() { date +%s.%N; }
mbps() { awk -v b="$1" -v t="$2" 'BEGIN { printf "%.1f", b / 1048576 / t }'; }

for size in 10 100; do
  head -c $((size * 1048576)) /dev/urandom > "$work/blob$size"
  sha256sum "$work/blob$size" | awk '{print "sha256:"$1}' > "$work/blob$size.digest"
done

# POST a session, then PUT the whole body with ?digest=: the monolithic form both registries accept.
push_blob() { # port repository file digest
  local loc sep
  loc="$(curl -fsS -X POST -D - -o /dev/null "http://127.0.0.1:$1/v2/$2/blobs/uploads/" | awk -F': ' 'tolower($1)=="location" {print $2}' | tr -d '\r')"
  case "$loc" in http*) ;; *) loc="http://127.0.0.1:$1$loc" ;; esac
  sep='?'; case "$loc" in *\?*) sep='&' ;; esac
  timeout 120 curl -fsS -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$3" "$loc${sep}digest=$4" -o /dev/null
}

if section pushes; then
log "monolithic push, 100 MB x 3"
for name in ref gantry; do
  port=$REF_PORT; [ "$name" = gantry ] && port=$GANTRY_PORT
  d="$(cat "$work/blob100.digest")"
  start="$(now)"
  for i in 1 2 3; do
    push_blob "$port" "bench/mono$i" "$work/blob100" "$d"
  done
  R[$name.mono]="$(mbps $((300 * 1048576)) "$(awk -v a="$start" -v b="$(now)" 'BEGIN{print b-a}')")"
done

log "chunked push, 100 MB in 10 MB PATCHes x 3"
split -b 10485760 -d "$work/blob100" "$work/chunk."
for name in ref gantry; do
  port=$REF_PORT; [ "$name" = gantry ] && port=$GANTRY_PORT
  d="$(cat "$work/blob100.digest")"
  start="$(now)"
  for i in 1 2 3; do
    loc="$(curl -fsS -X POST -D - -o /dev/null "http://127.0.0.1:$port/v2/bench/chunk$i/blobs/uploads/" | awk -F': ' 'tolower($1)=="location" {print $2}' | tr -d '\r')"
    offset=0
    for f in "$work"/chunk.*; do
      case "$loc" in http*) ;; *) loc="http://127.0.0.1:$port$loc" ;; esac
      len=$(stat -c %s "$f")
      loc="$(timeout 60 curl -fsS -X PATCH -H 'Content-Type: application/octet-stream' -H "Content-Range: $offset-$((offset + len - 1))" \
        --data-binary "@$f" -D - -o /dev/null "$loc" | awk -F': ' 'tolower($1)=="location" {print $2}' | tr -d '\r')"
      offset=$((offset + len))
    done
    case "$loc" in http*) ;; *) loc="http://127.0.0.1:$port$loc" ;; esac
    sep='?'; case "$loc" in *\?*) sep='&' ;; esac
    timeout 60 curl -fsS -X PUT "$loc${sep}digest=$d" -o /dev/null
  done
  R[$name.chunked]="$(mbps $((300 * 1048576)) "$(awk -v a="$start" -v b="$(now)" 'BEGIN{print b-a}')")"
done

fi

if section blobs; then
# One shell busy loop per core, as a control plane or a build beside the registry would be.
neighbour=()
start_neighbour() {
  for _ in $(seq 1 "$(nproc)"); do
    sh -c 'while :; do :; done' &
    neighbour+=($!)
    pids+=($!)
  done
}
stop_neighbour() {
  for pid in "${neighbour[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${neighbour[@]}"; do wait "$pid" 2>/dev/null || true; done
  neighbour=()
}
blob_mbps() { # port size clients -> MB/s over a fixed amount of data
  local d n r
  d="$(cat "$work/blob$2.digest")"
  n=$(( $3 * 60 )); [ "$2" = 100 ] && n=$(( $3 * 10 ))
  r="$(hey_rps -n "$n" -c "$3" "http://127.0.0.1:$1/v2/bench/blobs/blobs/$d")"
  awk -v r="$r" -v s="$2" 'BEGIN { printf "%.0f", r * s }'
}
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.0f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

for name in ref gantry; do
  port=$REF_PORT; [ "$name" = gantry ] && port=$GANTRY_PORT
  for size in 10 100; do
    d="$(cat "$work/blob$size.digest")"
    push_blob "$port" bench/blobs "$work/blob$size" "$d"
    # Warm the page cache for both registries' copies; every timed GET then reads memory, not the disk.
    code="$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/bench/blobs/blobs/$d")"
    [ "$code" = 200 ] || { log "blob GET on $name answered $code, not 200"; exit 1; }
  done
done

for cond in quiet busy; do
  if [ "$cond" = busy ]; then
    log "blob GET beside a CPU-bound neighbour ($(nproc) busy loops), $BLOB_REPS runs each, registries alternating"
    start_neighbour
  else
    log "blob GET, quiet, $BLOB_REPS runs each, registries alternating"
  fi
  for size in 10 100; do
    for clients in 1 4; do
      : > "$work/ref.samples"; : > "$work/gantry.samples"
      for rep in $(seq 1 "$BLOB_REPS"); do
        order="ref gantry"; [ $((rep % 2)) = 0 ] && order="gantry ref"
        for name in $order; do
          port=$REF_PORT; [ "$name" = gantry ] && port=$GANTRY_PORT
          blob_mbps "$port" "$size" "$clients" >> "$work/$name.samples"
          echo >> "$work/$name.samples"
        done
      done
      for name in ref gantry; do
        R[$name.blob.$cond.$size.$clients]="$(median < "$work/$name.samples")"
        log "  $cond ${size} MB ${clients}c $name: $(tr '\n' ' ' < "$work/$name.samples")-> ${R[$name.blob.$cond.$size.$clients]}"
      done
    done
  done
  [ "$cond" = busy ] && stop_neighbour
done
fi

if section pulls; then
log "$PULL_ROUNDS rounds of 50 concurrent docker pulls, registries alternating"
R[ref.pull]=0; R[gantry.pull]=0
for round in $(seq 1 "$PULL_ROUNDS"); do
  order="ref gantry"; [ $((round % 2)) = 0 ] && order="gantry ref"
  for name in $order; do
    port=$REF_PORT; [ "$name" = gantry ] && port=$GANTRY_PORT
    image="127.0.0.1:$port/bench/img:v1"
    images+=("$image")
    docker rmi -f "$image" >/dev/null 2>&1 || true
    start="$(now)"
    pulls=()
    for _ in $(seq 1 50); do timeout 120 docker pull -q "$image" >/dev/null 2>&1 & pulls+=($!); done
    wait_fail=0
    for job in "${pulls[@]}"; do wait "$job" || wait_fail=1; done
    [ "$wait_fail" = 0 ] || log "some pulls from $name failed in round $round"
    R[$name.pull]="$(awk -v t="${R[$name.pull]}" -v a="$start" -v b="$(now)" 'BEGIN{print t + b - a}')"
    docker rmi -f "$image" >/dev/null 2>&1 || true
  done
done
for name in ref gantry; do
  R[$name.pull]="$(awk -v t="${R[$name.pull]}" -v n="$PULL_ROUNDS" 'BEGIN { printf "%.2f", t / n }')"
done
fi

ratio() { awk -v g="$1" -v r="$2" 'BEGIN { if (r > 0) printf "%.2fx", g / r; else print "n/a" }'; }
row() { printf '%-52s %14s %14s %8s\n' "$1" "$2" "$3" "$(ratio "$3" "$2")"; }
{
  printf '%-52s %14s %14s %8s\n' "measure" "docker-registry" "gantry" "ratio"
  if section manifests; then
    row "manifest GET req/s (64 clients)" "${R[ref.mget]}" "${R[gantry.mget]}"
    row "manifest HEAD req/s (64 clients)" "${R[ref.mhead]}" "${R[gantry.mhead]}"
  fi
  if section blobs; then
    for cond in quiet busy; do
      suffix=""; [ "$cond" = busy ] && suffix=", CPU-bound neighbour"
      for size in 10 100; do
        for clients in 1 4; do
          c="client"; [ "$clients" -gt 1 ] && c="clients"
          row "blob GET $size MB, MB/s ($clients $c$suffix)" "${R[ref.blob.$cond.$size.$clients]}" "${R[gantry.blob.$cond.$size.$clients]}"
        done
      done
    done
  fi
  if section pushes; then
    row "monolithic push 100 MB, MB/s" "${R[ref.mono]}" "${R[gantry.mono]}"
    row "chunked push 100 MB (10 MB PATCH), MB/s" "${R[ref.chunked]}" "${R[gantry.chunked]}"
  fi
  if section pulls; then
    # Lower is better for a time, so the ratio is docker-registry / gantry.
    printf '%-52s %14s %14s %8s\n' "50 concurrent docker pulls, s/round (lower)" "${R[ref.pull]}" "${R[gantry.pull]}" "$(ratio "${R[ref.pull]}" "${R[gantry.pull]}")"
  fi
  echo "(ratio = gantry / docker-registry; for the pull time it is docker-registry / gantry, so > 1 means gantry is faster)"
  echo "(gantry blob path: $([ "${GANTRY_REGISTRY_SENDFILE:-1}" = 0 ] && echo "Kestrel's own SendFileAsync copy" || echo "sendfile(2)"); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
} | tee "$results"
log "results saved to $results"
