#!/usr/bin/env bash
# The figures of benchmarks/README.md, section "One message at a time, latency and memory" (issue 16), with a
# before/after comparison in the same run: BASE_JAR is the obrol-bench.jar of the build to compare with; the
# generator is always this build's, so both servers face the same load generator.
#
#   git worktree add /tmp/obrol-base 3f4d779 && (cd /tmp/obrol-base && ./mvnw -q -B -pl benchmarks -am -DskipTests package)
#   ./mvnw -q -B -pl benchmarks -am -DskipTests package
#   BASE_JAR=/tmp/obrol-base/benchmarks/target/obrol-bench.jar bash benchmarks/scripts/one-message.sh [OUT_DIR] [SECTION...]
#
# Sections: inflight1 (one message in flight, 10/100/1,000 receivers, modern: before, after, Redis, null sink; classic:
# Python, after), closed (4 x 64 in flight, 100 and 1,000 receivers: before, after, Redis), latency (open
# loop: 1,000 broadcasts/s to 100 and 100/s to 1,000: after, Redis), idle (K idle logged-in connections:
# before, after, Redis), alloc (bytes the server's event loops allocate per delivery, embedded server, this
# build only), jmh (bytes allocated per operation, -prof gc, before and after). Without BASE_JAR
# the "before" target is left out. Servers on CPU 0, the generator on CPU 1 (taskset), as Redis uses one
# core. Each table also gives the server's CPU time and context switches per message (from /proc).
# RUNS (default 5), IDLE_K (default 10000; this machine's limit of 20,000 open files per process allows up
# to about 19,000).
set -euo pipefail
out=${1:-benchmarks/results/$(date -u +%F)-one-message}
shift || true
sections=${*:-inflight1 closed latency idle alloc jmh}
mkdir -p "$out"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
jar=$(mktemp --suffix=.jar)
cp "${BENCH_JAR:-benchmarks/target/obrol-bench.jar}" "$jar"
jmhjar=$(mktemp --suffix=.jar)
cp "${JMH_JAR:-benchmarks/target/benchmarks.jar}" "$jmhjar"
trap 'rm -f "$jar" "$jmhjar"' EXIT
bench=(taskset -c 1 java -jar "$jar")
runs=${RUNS:-5}
common=(--runs "$runs" --warmup "${WARMUP:-3}" --duration "${DURATION:-5}" --server-cpus 0)
before=()
basejmh=""
if [ -n "${BASE_JAR:-}" ]; then
  before=("reference=$BASE_JAR")
  basejmh="${BASE_JMH_JAR:-$(dirname "$BASE_JAR")/benchmarks.jar}"
fi
targets() { local IFS=,; echo "$*"; }

failed=()
for s in $sections; do
  echo "== one-message.sh: section $s, $(date -u +%FT%TZ), load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/load.txt" >&2
  case $s in
    inflight1)
      "${bench[@]}" throughput --target "$(targets "${before[@]}" reference redis nullsink)" --receivers 10,100,1000 --senders 1 \
        --in-flight 1 --payload 32 "${common[@]}" --json "$out/inflight1.json" | tee "$out/inflight1.txt"
      "${bench[@]}" throughput --dialect classic --target python,reference --receivers 10,100,1000 --senders 1 \
        --in-flight 1 --payload 32 "${common[@]}" --json "$out/inflight1-python.json" | tee "$out/inflight1-python.txt" ;;
    closed)
      "${bench[@]}" throughput --target "$(targets "${before[@]}" reference redis nullsink)" --receivers 100,1000 --senders 4 \
        --in-flight 64 --payload 32 "${common[@]}" --json "$out/closed.json" | tee "$out/closed.txt" ;;
    latency)
      "${bench[@]}" latency --target reference,redis,nullsink --receivers 100 --senders 1 --deliveries-per-second 100000 \
        --payload 32 --runs "$runs" --warmup 3 --duration 10 --server-cpus 0 --json "$out/latency-100.json" | tee "$out/latency-100.txt"
      "${bench[@]}" latency --target reference,redis,nullsink --receivers 1000 --senders 1 --deliveries-per-second 100000 \
        --payload 32 --runs "$runs" --warmup 3 --duration 10 --server-cpus 0 --json "$out/latency-1000.json" | tee "$out/latency-1000.txt" ;;
    idle)
      "${bench[@]}" idle --target "$(targets "${before[@]}" reference redis)" --connections "${IDLE_K:-10000}" \
        --runs "$runs" --server-cpus 0 --json "$out/idle.json" | tee "$out/idle.txt" ;;
    alloc) # bytes allocated by the server's event loops per delivery and per message (embedded: this build only)
      java -jar "$jar" throughput --target embedded --receivers 10,100 --senders 1 --in-flight 1 --payload 32 --runs 1 \
        --warmup 4 --duration 5 --json "$out/alloc-inflight1.json" | tee "$out/alloc-inflight1.txt"
      java -jar "$jar" throughput --target embedded --receivers 100,1000 --senders 4 --in-flight 64 --payload 32 --runs 1 \
        --warmup 4 --duration 5 --json "$out/alloc-closed.json" | tee "$out/alloc-closed.txt" ;;
    jmh) # bytes allocated per operation (whole JVM: server and clients), one sender, one and 16 in flight
      for j in ${basejmh:+"$basejmh"} "$jmhjar"; do
        name=$([ "$j" = "$jmhjar" ] && echo after || echo before)
        java -jar "$j" BroadcastBenchmarks -p payloadBytes=32 -p senders=1 -p inFlight=1,16 -p dialect=MODERN \
          -p receivers=10,100 -wi 2 -w 2 -i 3 -r 2 -prof gc -rf json -rff "$out/jmh-gc-$name.json" | tee "$out/jmh-gc-$name.txt"
      done ;;
    *) echo "one-message.sh: unknown section $s" >&2; exit 2 ;;
  esac || failed+=("$s")
done
echo "== one-message.sh: done, $(date -u +%FT%TZ), load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/load.txt" >&2
if [ ${#failed[@]} -gt 0 ]; then
  echo "one-message.sh: sections with failed runs: ${failed[*]} (see their JSON)" >&2
  exit 1
fi
