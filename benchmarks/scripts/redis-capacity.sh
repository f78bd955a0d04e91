#!/usr/bin/env bash
# Redis's capacity for what a clustered broadcast costs it (benchmarks/README.md, "Cluster"): redis-benchmark
# against a redis-server of its own (no persistence, 127.0.0.1, a free port), for
#   XADD with MAXLEN ~ and a 100-byte field (the stream entry of a broadcast), and
#   EVAL of a one-line Lua script around that XADD (the router appends through a script),
# each without pipelining (4 clients, one command in flight each, as 4 nodes would send) and pipelined (-P 16).
# Prints `uptime` before and after. Usage: benchmarks/scripts/redis-capacity.sh [REQUESTS]
set -euo pipefail
requests=${1:-200000}
port=""
for _ in $(seq 1 20); do
  candidate=$((20000 + RANDOM % 20000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
[ -n "$port" ] || { echo "redis-capacity.sh: no free port found" >&2; exit 1; }
redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --loglevel warning --daemonize no >/dev/null &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
payload=$(printf 'x%.0s' $(seq 1 100))
script="return redis.call('XADD', KEYS[1], 'MAXLEN', '~', '200000', '*', 'e', ARGV[1])"
uptime
redis-server --version
for pipeline in 1 16; do
  echo "# XADD, 4 clients, pipeline $pipeline"
  redis-benchmark -p "$port" -n "$requests" -c 4 -P "$pipeline" --csv XADD obrol:bench MAXLEN '~' 200000 '*' e "$payload"
  echo "# EVAL (Lua around XADD), 4 clients, pipeline $pipeline"
  redis-benchmark -p "$port" -n "$requests" -c 4 -P "$pipeline" --csv EVAL "$script" 1 obrol:bench "$payload"
done
redis-cli -p "$port" info cpu | grep -E '^used_cpu_(sys|user):'
uptime
