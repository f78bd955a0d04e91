#!/usr/bin/env bash
# Issue 16's "19,000 idle connections in one server process with every active user's p99 unchanged": one
# reference server (CPU 0, heap sized for its connection limit as chat-server-api/README.md says); 100 active
# users exchange private messages at 1,000/s (open loop, idle_peers.py active), first alone, then while IDLE_K
# (default 19,000) idle logged-in connections are held by idle_peers.py hold (both on CPU 1). Private messages
# reach only their addressee, so the idle users take no part in the active traffic: the comparison shows what
# their mere presence costs the active users. Resident memory and live heap (class histogram after a full GC)
# are read before and after the idle logins.
#
#   ./mvnw -q -B -pl chat-server-api -am -DskipTests package
#   bash benchmarks/scripts/idle-active.sh [OUT_DIR]
set -euo pipefail
out=${1:-benchmarks/results/$(date -u +%F)-idle-active}
k=${IDLE_K:-19000}
users=${ACTIVE_USERS:-100}
rate=${RATE:-1000}
mkdir -p "$out"
ulimit -n "$(ulimit -Hn)"
here=$(cd "$(dirname "$0")" && pwd)
server_jar=${SERVER_JAR:-chat-server-api/target/obrol-server.jar}
ready=$(mktemp -u)
stop=$(mktemp -u)
heap=$((128 + k * 64 / 1024))m
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
taskset -c 0 java "-Xmx$heap" "-XX:MaxDirectMemorySize=$heap" -XX:+ExitOnOutOfMemoryError -jar "$server_jar" \
  --bind 127.0.0.1 --port "$port" --max-connections $((k + 1000)) --connection-rate 0 \
  --max-anonymous-per-address 0 --idle-timeout 0 --rate 0 2>&1 | gzip -c >"$out/server.log.gz" &
sleep 0.2
server=$(pgrep -f -- "--port $port" | head -1)
holder=""
cleanup() {
  touch "$stop"
  [ -n "$holder" ] && wait "$holder" 2>/dev/null || true
  kill "$server" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -f "$ready" "$stop"
}
trap cleanup EXIT
for _ in $(seq 1 300); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1).close()" 2>/dev/null && break
  kill -0 "$server" || exit 1
  sleep 0.1
done
memory() { # label: RSS from /proc; live heap from the class histogram, which runs a full GC first
  echo "$1 rss_kb=$(awk '/^VmRSS/ {print $2}' /proc/$server/status) live_heap_bytes=$(jcmd "$server" GC.class_histogram | awk '/^Total/ {print $3}')" | tee -a "$out/memory.txt"
}
active() { # label: 3 s warm-up, then 5 windows of 10 s
  taskset -c 1 python3 "$here/idle_peers.py" active 127.0.0.1 "$port" "$users" "$rate" 3 10 5 "$out/active-$1.json" \
    | tee "$out/active-$1.txt"
}
echo "== idle-active.sh: $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg), K=$k, -Xmx$heap" | tee -a "$out/load.txt"
memory before
active 0-idle
taskset -c 1 python3 "$here/idle_peers.py" hold 127.0.0.1 "$port" "$k" "$ready" "$stop" >"$out/holder.txt" 2>&1 &
holder=$!
for _ in $(seq 1 36000); do
  [ -e "$ready" ] && break
  kill -0 "$holder" 2>/dev/null || { cat "$out/holder.txt"; exit 1; }
  sleep 0.1
done
[ -e "$ready" ] || { echo "the idle connections did not log in within an hour" >&2; exit 1; }
echo "== $k idle connections logged in: $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/load.txt"
memory "with-$k-idle"
active "$k-idle"
echo "== idle-active.sh: done $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/load.txt"
