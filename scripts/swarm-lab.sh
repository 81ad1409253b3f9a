#!/usr/bin/env bash
# A lab of real Docker hosts on one machine: three engines, each in a network namespace and a UTS
# namespace of its own (host names node1..node3), on the bridge gbr0 (10.99.0.1/24; nodes 10.99.0.11-13).
# Swarm treats them as three machines, so Gantry's multi-node tests and the "Many machines" quickstart run on it.
#
#   scripts/swarm-lab.sh up              start what is not running (idempotent); load the test images
#   scripts/swarm-lab.sh down            stop everything and leave nothing behind (namespaces, mounts, data)
#   scripts/swarm-lab.sh status          one line per node
#   scripts/swarm-lab.sh fail NODE       a power loss: link cut, engine, containerd, shims and containers killed
#   scripts/swarm-lab.sh revive NODE     power back on: the link up, the engine started on the same disk, empty
#
# Sockets: /run/gantry-lab/nodeN.sock. Data: /var/lib/gantry-lab/nodeN. Engine logs: /var/lib/gantry-lab/nodeN.log.
# Every engine trusts any registry on the lab bridge (--insecure-registry 10.99.0.0/24), so a Gantry server
# listening on 10.99.0.1 serves them images.
#
# The host's own dockerd (/var/run/docker.sock) is never touched: no process is found by name, only by what
# belongs to a node (its network namespace, its exec root on the command line, its cgroup parent).
# GANTRY_LAB_NODES (default 3) sets the number of nodes; GANTRY_LAB_IMAGES adds host images to load into each.
set -euo pipefail

RUN=/run/gantry-lab
DATA=/var/lib/gantry-lab
BRIDGE=gbr0
NODES=${GANTRY_LAB_NODES:-3}
IMAGES="gantry/busybox:latest gantry/busybox:1 ${GANTRY_LAB_IMAGES:-}"

log() { printf '[swarm-lab] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root: the lab creates network namespaces and starts engines"

node_index() {
  case "${1:-}" in
    node[0-9]) local n=${1#node}; [ "$n" -ge 1 ] && [ "$n" -le "$NODES" ] && { echo "$n"; return; } ;;
  esac
  die "unknown node '${1:-}': expected node1..node$NODES"
}

sock() { echo "$RUN/node$1.sock"; }
netns() { echo "gn$1"; }
hostveth() { echo "gv$1"; }
addr() { echo "10.99.0.1$1"; }
cgparent() { echo "gantry-lab-node$1"; }
engine() { docker -H "unix://$(sock "$1")" "${@:2}"; }
engine_up() { [ -S "$(sock "$1")" ] && timeout 5 docker -H "unix://$(sock "$1")" version >/dev/null 2>&1; }
dockerd_pid() { local f="$RUN/node$1/docker.pid"; [ -f "$f" ] && cat "$f" || true; }
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# Every process of node N, by what belongs to it: in its network namespace (dockerd, containerd, proxies),
# its exec root on the command line (containerd, shims) or under its cgroup parent (the containers).
node_pids() {
  local n=$1 ns_ino=""
  [ -e "/var/run/netns/$(netns "$n")" ] && ns_ino=$(stat -L -c %i "/var/run/netns/$(netns "$n")")
  # One find and one grep over /proc (a process per pid is seconds on a busy machine); the bracket keeps
  # the grep from matching its own command line.
  {
    [ -z "$ns_ino" ] || find /proc/[0-9]*/ns/net -maxdepth 0 -lname "net:\[$ns_ino\]" 2>/dev/null
    grep -l -a -- "$RUN/node$n[/]" /proc/[0-9]*/cmdline 2>/dev/null
    cat /sys/fs/cgroup/pids/"$(cgparent "$n")"/*/cgroup.procs 2>/dev/null
  } | sed -n 's#^/proc/\([0-9]*\)/.*#\1#p; s#^\([0-9][0-9]*\)$#\1#p' | grep -vx -e "$$" -e "${BASHPID:-$$}" | sort -un || true
}

kill_node_processes() {
  local n=$1 pids
  for _ in 1 2 3 4 5; do
    pids=$(node_pids "$n")
    [ -z "$pids" ] && return 0
    # shellcheck disable=SC2086
    kill -9 $pids 2>/dev/null || true
    sleep 0.3
  done
  pids=$(node_pids "$n")
  [ -z "$pids" ] || log "node$n: processes still alive after SIGKILL: $pids"
}

# The node's mounts (overlay layers, netns files, shm) in the host mount table, deepest first.
unmount_node() {
  local n=$1 m
  for m in $(awk -v a="$DATA/node$n" -v b="$RUN/node$n" '$2==a || $2==b || index($2,a"/")==1 || index($2,b"/")==1 {print $2}' /proc/mounts | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
}

remove_cgroups() {
  local n=$1 d
  for d in /sys/fs/cgroup/*/"$(cgparent "$n")"; do
    [ -d "$d" ] || continue
    find "$d" -mindepth 1 -depth -type d -exec rmdir {} \; 2>/dev/null || true
    rmdir "$d" 2>/dev/null || true
  done
}

ensure_bridge() {
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    ip addr add 10.99.0.1/24 dev "$BRIDGE"
  fi
  ip link set "$BRIDGE" up
  # The host dockerd sets FORWARD to DROP; the nodes talk to each other across the bridge (and nowhere else).
  iptables -C FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT 2>/dev/null || iptables -I FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT
}

ensure_link() {
  local n=$1 ns; ns=$(netns "$n")
  [ -e "/var/run/netns/$ns" ] || ip netns add "$ns"
  if ! ip link show "$(hostveth "$n")" >/dev/null 2>&1; then
    ip link add "$(hostveth "$n")" type veth peer name "gp$n"
    ip link set "gp$n" netns "$ns"
    ip -n "$ns" link set "gp$n" name eth0
    ip -n "$ns" addr add "$(addr "$n")/24" dev eth0
  fi
  ip link set "$(hostveth "$n")" master "$BRIDGE" up
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
  ip -n "$ns" route replace default via 10.99.0.1
}

start_engine() {
  local n=$1
  if alive "$(dockerd_pid "$n")"; then
    wait_engine "$n"
    return
  fi
  kill_node_processes "$n"   # a containerd or shim left from a failure would hold the exec root
  unmount_node "$n"
  mkdir -p "$RUN/node$n" "$DATA/node$n"
  rm -f "$(sock "$n")" "$RUN/node$n/docker.pid"
  log "node$n: starting its engine ($(addr "$n"), $(sock "$n"))"
  # nsenter --net, not `ip netns exec` (that remounts /sys and dockerd then finds no devices cgroup).
  # setsid: a shell or CI job that kills its process group must not take the lab with it.
  setsid nsenter --net="/var/run/netns/$(netns "$n")" unshare --uts sh -c '
    hostname "$0"; exec dockerd "$@"' "node$n" \
      --data-root "$DATA/node$n" --exec-root "$RUN/node$n" --pidfile "$RUN/node$n/docker.pid" \
      -H "unix://$(sock "$n")" --insecure-registry 10.99.0.0/24 --cgroup-parent "/$(cgparent "$n")" \
      >> "$DATA/node$n.log" 2>&1 < /dev/null &
  wait_engine "$n"
}

wait_engine() {
  local n=$1
  for _ in $(seq 1 120); do
    engine_up "$n" && return 0
    sleep 0.5
  done
  tail -n 20 "$DATA/node$n.log" >&2 || true
  die "node$n: the engine did not answer on $(sock "$n") within 60 s (log above: $DATA/node$n.log)"
}

load_images() {
  local n=$1 missing=() img
  for img in $IMAGES; do
    docker image inspect "$img" >/dev/null 2>&1 || die "image $img is not on the host's engine: run scripts/prereqs.sh first"
    [ "$(engine "$n" image inspect -f '{{.Id}}' "$img" 2>/dev/null)" = "$(docker image inspect -f '{{.Id}}' "$img")" ] || missing+=("$img")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "node$n: loading ${missing[*]}"
  docker save "${missing[@]}" | engine "$n" load -q >/dev/null
}

cmd_up() {
  mkdir -p "$RUN" "$DATA"
  ensure_bridge
  local n
  for n in $(seq 1 "$NODES"); do ensure_link "$n"; start_engine "$n"; done
  for n in $(seq 1 "$NODES"); do load_images "$n"; done
  cmd_status
}

stop_node() {
  local n=$1 pid; pid=$(dockerd_pid "$n")
  if alive "$pid" && engine_up "$n"; then
    # Containers first, while their shims still run: killing shims orphans the containers' processes.
    local ids; ids=$(engine "$n" ps -aq 2>/dev/null || true)
    # shellcheck disable=SC2086
    [ -z "$ids" ] || timeout 60 docker -H "unix://$(sock "$n")" rm -f $ids >/dev/null 2>&1 || true
  fi
  if alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do alive "$pid" || break; sleep 0.5; done
  fi
  kill_node_processes "$n"
  unmount_node "$n"
  remove_cgroups "$n"
  rm -f "$(sock "$n")"
}

cmd_down() {
  local n
  for n in $(seq 1 9); do
    [ -e "/var/run/netns/gn$n" ] || [ -d "$RUN/node$n" ] || [ -d "$DATA/node$n" ] || continue
    log "node$n: stopping"
    stop_node "$n"
    ip netns delete "gn$n" 2>/dev/null || true
    ip link delete "gv$n" 2>/dev/null || true
  done
  iptables -D FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT 2>/dev/null || true
  ip link delete "$BRIDGE" 2>/dev/null || true
  rm -rf "$RUN" "$DATA"
  log "down: nothing of the lab is left"
}

cmd_status() {
  local n pid state swarm
  for n in $(seq 1 "$NODES"); do
    pid=$(dockerd_pid "$n")
    if engine_up "$n"; then
      swarm=$(engine "$n" info -f '{{.Swarm.LocalNodeState}}{{if .Swarm.ControlAvailable}} manager{{end}}' 2>/dev/null || echo '?')
      state="up (pid $pid) swarm: $swarm, containers running: $(engine "$n" ps -q | wc -l)"
    elif [ -e "/var/run/netns/$(netns "$n")" ]; then
      state="down"
    else
      state="absent"
    fi
    local link=down
    [ "$(cat "/sys/class/net/$(hostveth "$n")/operstate" 2>/dev/null)" = up ] && link=up
    printf 'node%s  %-12s link %-4s  %s  %s\n' "$n" "$(addr "$n")" "$link" "$(sock "$n")" "$state"
  done
}

cmd_fail() {
  local n; n=$(node_index "$1")
  [ -e "/var/run/netns/$(netns "$n")" ] || die "node$n is not in the lab: run '$0 up' first"
  log "node$n: power loss (link cut, every process of the node killed)"
  # The link first: from this instant the other nodes hear nothing more from it.
  ip link set "$(hostveth "$n")" down
  log "node$n: link down at $(date +%s.%N)"
  # Containers' processes are frozen by no one: SIGKILL everything of the node, repeated until none is left.
  kill_node_processes "$n"
  unmount_node "$n"
  remove_cgroups "$n"
  rm -f "$(sock "$n")" "$RUN/node$n/docker.pid"
}

cmd_revive() {
  local n; n=$(node_index "$1")
  [ -e "/var/run/netns/$(netns "$n")" ] || die "node$n is not in the lab: run '$0 up' first"
  if alive "$(dockerd_pid "$n")"; then log "node$n: already running"; return 0; fi
  ensure_link "$n"
  start_engine "$n"
  # Back empty: what ran before the power loss does not come back (Swarm places its tasks anew).
  local ids; ids=$(engine "$n" ps -aq --filter label=com.docker.swarm.task.id 2>/dev/null || true)
  # shellcheck disable=SC2086
  [ -z "$ids" ] || engine "$n" rm -f $ids >/dev/null 2>&1 || true
  ids=$(engine "$n" ps -aq 2>/dev/null || true)
  # shellcheck disable=SC2086
  [ -z "$ids" ] || engine "$n" rm -f $ids >/dev/null 2>&1 || true
  cmd_status
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  fail) cmd_fail "${2:-}" ;;
  revive) cmd_revive "${2:-}" ;;
  *) echo "usage: $0 up|down|status|fail NODE|revive NODE" >&2; exit 2 ;;
esac
