#!/usr/bin/env bash
# Issue 16's "19,000 idle connections in one server process with every active user's p99 unchanged": one
# reference server (CPU 0, heap sized for its connection limit as chat-server-api/README.md says), the open-loop
# latency of 100 active receivers at 1,000 broadcasts/s measured without idle connections, then again while
# IDLE_K (default 19,000) idle logged-in connections are held by `obrol-bench idle` in another process. The server's resident memory and
# live heap (class histogram after a full GC) are read before and after the idle logins.
#
#   ./mvnw -q -B -pl benchmarks -am -DskipTests package
#   bash benchmarks/scripts/idle-active.sh [OUT_DIR]
set -euo pipefail
out=${1:-benchmarks/results/$(date -u +%F)-idle-active}
k=${IDLE_K:-19000}
runs=${RUNS:-5}
mkdir -p "$out"
ulimit -n "$(ulimit -Hn)"
here=$(cd "$(dirname "$0")" && pwd)
jar=$(mktemp --suffix=.jar)
cp "${BENCH_JAR:-benchmarks/target/obrol-bench.jar}" "$jar"
server_jar=${SERVER_JAR:-chat-server-api/target/obrol-server.jar}
heap=$((128 + k * 64 / 1024))m
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
taskset -c 0 java "-Xmx$heap" "-XX:MaxDirectMemorySize=$heap" -XX:+ExitOnOutOfMemoryError -jar "$server_jar" \
  --bind 127.0.0.1 --port "$port" --max-connections $((k + 1000)) --connection-rate 0 \
  --max-anonymous-per-address 0 --idle-timeout 0 >"$out/server.log" 2>&1 &
server=$!
holder=""
cleanup() {
  [ -n "$holder" ] && kill "$holder" 2>/dev/null && wait "$holder" 2>/dev/null || true
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -f "$jar"
}
trap cleanup EXIT
for _ in $(seq 1 300); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1).close()" 2>/dev/null && break
  kill -0 "$server" || { cat "$out/server.log"; exit 1; }
  sleep 0.1
done
memory() { # label: RSS from /proc; live heap from the class histogram, which runs a full GC first
  echo "$1 rss_kb=$(awk '/^VmRSS/ {print $2}' /proc/$server/status) live_heap_bytes=$(jcmd "$server" GC.class_histogram | awk '/^Total/ {print $3}')" | tee -a "$out/memory.txt"
}
latency() { # label
  taskset -c 1 java -jar "$jar" latency --target "obrol://127.0.0.1:$port" --receivers 100 --senders 1 \
    --deliveries-per-second 100000 --payload 32 --runs "$runs" --warmup 3 --duration 10 \
    --json "$out/latency-$1.json" | tee "$out/latency-$1.txt"
}
echo "== idle-active.sh: $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg), K=$k, -Xmx$heap" | tee -a "$out/load.txt"
memory before
latency 0-idle
# The idle connections: obrol-bench idle holds them for --settle seconds after the last login, then closes them
# (it reads memory only for servers it started, so against obrol:// it only holds). Every login is announced to
# every user already in, so the setup delivers about K^2/2 JOIN lines (180 million for 19,000): minutes.
java -jar "$jar" idle --target "obrol://127.0.0.1:$port" --connections "$k" --settle 900 \
  --setup-timeout 1500 >"$out/holder.txt" 2>&1 &
holder=$!
for _ in $(seq 1 15000); do
  grep -q "idle connections logged in: $k/$k" "$out/holder.txt" && break
  kill -0 "$holder" 2>/dev/null || { tail -20 "$out/holder.txt"; exit 1; }
  sleep 0.1
done
grep -q "idle connections logged in: $k/$k" "$out/holder.txt" || { echo "the idle connections did not log in within 25 minutes" >&2; exit 1; }
echo "== $k idle connections logged in: $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/load.txt"
memory "with-$k-idle"
latency "$k-idle"
echo "== idle-active.sh: done $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/load.txt"
