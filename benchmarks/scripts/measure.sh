#!/usr/bin/env bash
# Re-measures every figure of benchmarks/README.md. Run from the repository root after
#   ./mvnw -q -B -pl benchmarks -am -DskipTests package
# Needs redis-server (apt-get install -y redis-server), Python 2.7 for the original server (the python section
# fails without it; the others go on), taskset (util-linux), and a per-process file-descriptor limit above
# 10,000 plus a margin (generator and server each hold one end of every connection). Takes about 45 minutes.
# Usage: benchmarks/scripts/measure.sh [OUT_DIR] [SECTION...]   sections: throughput pinned python latency
#        idle stalled jmh cluster (default: all). Every server runs on 127.0.0.1 only. The cluster section also
#        needs redis-benchmark (Debian's redis-tools, installed with redis-server).
set -euo pipefail
out=${1:-benchmarks/results/$(date -u +%F)}
shift || true
sections=${*:-throughput pinned python latency idle stalled jmh cluster}
mkdir -p "$out"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt 10300 ]; then
  echo "measure.sh: ulimit -n is $(ulimit -n); the 10,000-connection runs need about 10,300" >&2
fi
# A copy of the jar, so that rebuilding the module while this runs cannot change the classes under it.
jar=$(mktemp --suffix=.jar)
cp "${BENCH_JAR:-benchmarks/target/obrol-bench.jar}" "$jar"
bench=(java -jar "$jar")
jmhjar=$(mktemp --suffix=.jar)
cp "${JMH_JAR:-benchmarks/target/benchmarks.jar}" "$jmhjar"
trap 'rm -f "$jar" "$jmhjar"' EXIT
runs=${RUNS:-5}
common=(--runs "$runs" --warmup "${WARMUP:-3}" --duration "${DURATION:-5}")

failed=()
for s in $sections; do
  echo "== measure.sh: section $s, $(date -u +%FT%TZ)" >&2
  case $s in
    throughput) # deliveries/s, reference server vs Redis, server and generator sharing both cores
      "${bench[@]}" throughput --target reference,redis --receivers 10,100,1000,10000 --senders 4 --in-flight 64 \
        --payload 32 "${common[@]}" --json "$out/throughput.json" | tee "$out/throughput.txt" ;;
    pinned) # the same with the servers on CPU 0 and the generator on CPU 1: one core each, as Redis uses one
      taskset -c 1 "${bench[@]}" throughput --server-cpus 0 --target reference,redis --receivers 10,100,1000,10000 \
        --senders 4 --in-flight 64 --payload 32 "${common[@]}" --json "$out/pinned.json" | tee "$out/pinned.txt" ;;
    python) # the original: classic dialect, one message in flight, at most ~1,000 connections
      "${bench[@]}" throughput --target python,reference --dialect classic --receivers 10,100,1000 --senders 1 \
        --in-flight 1 --payload 32 "${common[@]}" --json "$out/python.json" | tee "$out/python.txt" ;;
    latency) # open loop: 100,000 deliveries/s to 1,000 receivers (and to 100, for comparison), shared cores and pinned
      "${bench[@]}" latency --target reference,redis --receivers 100,1000 --senders 1 --deliveries-per-second 100000 \
        --payload 32 --runs "$runs" --warmup 3 --duration 10 --json "$out/latency.json" | tee "$out/latency.txt"
      taskset -c 1 "${bench[@]}" latency --server-cpus 0 --target reference,redis --receivers 1000 --senders 1 \
        --deliveries-per-second 100000 --payload 32 --runs "$runs" --warmup 3 --duration 10 \
        --json "$out/latency-pinned.json" | tee "$out/latency-pinned.txt" ;;
    idle) # memory per idle logged-in (Redis: subscribed) connection
      "${bench[@]}" idle --target reference,redis --connections 10000 --runs "$runs" --json "$out/idle.json" | tee "$out/idle.txt" ;;
    stalled) # one receiver that stops reading, next to the same load without it
      "${bench[@]}" throughput --target reference,redis --receivers 100 --senders 4 --in-flight 64 --payload 32 \
        --stalled 0,1 "${common[@]}" --json "$out/stalled.json" | tee "$out/stalled.txt" ;;
    jmh) # the JMH end-to-end benchmark, a subset of its parameters
      java -jar "$jmhjar" BroadcastBenchmarks -p payloadBytes=32 -p senders=1 -p inFlight=16 \
        -rf json -rff "$out/jmh-broadcast.json" | tee "$out/jmh-broadcast.txt" ;;
    cluster) # one server alone, then 1, 2 and 3 nodes clustered over a Redis of the bench's own; Redis work per
      # broadcast; p99 across nodes against one node; Redis's capacity for the command a broadcast costs it
      { uptime; "${bench[@]}" throughput --target reference,cluster:reference:1,cluster:reference:2,cluster:reference:3 \
        --receivers 100,1000 --senders 4 --in-flight 64 --payload 32 "${common[@]}" --json "$out/cluster-throughput.json"; \
        uptime; } | tee "$out/cluster-throughput.txt"
      { uptime; "${bench[@]}" latency --target reference,cluster:reference:3 --receivers 100 --senders 1 \
        --deliveries-per-second 10000 --payload 32 --runs "$runs" --warmup 3 --duration 10 \
        --json "$out/cluster-latency.json"; uptime; } | tee "$out/cluster-latency.txt"
      benchmarks/scripts/redis-capacity.sh | tee "$out/redis-capacity.txt" ;;
    *) echo "measure.sh: unknown section $s" >&2; exit 2 ;;
  esac || failed+=("$s")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "measure.sh: sections with failed runs: ${failed[*]} (see their JSON)" >&2
  exit 1
fi
