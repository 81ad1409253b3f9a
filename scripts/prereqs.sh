#!/usr/bin/env bash
# Installs and starts what Gantry needs on a fresh Debian machine, as root: the Docker engine
# (from Debian's packages), busybox-static (tiny test images), chromium (the console's browser tests), and the
# .NET SDK check.
# Idempotent and quick on a second run: nothing is installed or started twice.
set -euo pipefail

log() { printf '[prereqs] %s\n' "$*" >&2; }

need_pkgs=()
command -v dockerd >/dev/null 2>&1 || need_pkgs+=(docker.io)
dpkg -s busybox-static >/dev/null 2>&1 || need_pkgs+=(busybox-static)
command -v git >/dev/null 2>&1 || need_pkgs+=(git)
command -v curl >/dev/null 2>&1 || need_pkgs+=(curl)
# The console's browser tests drive Debian's Chromium through Playwright (its own browser download cannot work here).
[ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
for extra in ${GANTRY_EXTRA_PKGS:-}; do
  dpkg -s "$extra" >/dev/null 2>&1 || need_pkgs+=("$extra")
done

if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing ${need_pkgs[*]} from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null 2>&1; then
  log "the .NET 10 SDK is missing: install it (dotnet-sdk-10.0) and run this again"
  exit 1
fi

# dockerd: there is no systemd here, so start it ourselves and wait for the socket.
if ! docker version >/dev/null 2>&1; then
  log "starting dockerd (log: /var/log/dockerd.log)"
  if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
    rm -f /var/run/docker.pid
  fi
  # Its own session: a shell or CI job that kills its process group when it ends must not take the engine with it.
  setsid nohup dockerd > /var/log/dockerd.log 2>&1 < /dev/null &
  for _ in $(seq 1 60); do
    docker version >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker version >/dev/null 2>&1 || { log "dockerd did not start; see /var/log/dockerd.log"; tail -n 20 /var/log/dockerd.log >&2; exit 1; }
fi

# The base image every test and example builds on: busybox on scratch, built locally
# (no image registry is reachable from these machines).
if ! docker image inspect gantry/busybox:latest >/dev/null 2>&1; then
  log "building gantry/busybox:latest from busybox-static"
  ctx=$(mktemp -d)
  cp /bin/busybox "$ctx/busybox"
  cat > "$ctx/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
DOCKERFILE
  docker build -q -t gantry/busybox:latest "$ctx" >/dev/null
  rm -rf "$ctx"
fi
# A version tag of the same image: production deploys refuse floating tags (latest).
docker image inspect gantry/busybox:1 >/dev/null 2>&1 || docker tag gantry/busybox:latest gantry/busybox:1
log "ready: $(docker version --format 'engine {{.Server.Version}}, API {{.Server.APIVersion}}')"
