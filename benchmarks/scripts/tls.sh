#!/bin/sh
# The "TLS" figures of benchmarks/README.md: the reference server without TLS, with TLS on the JDK's provider,
# and with TLS on OpenSSL (netty-tcnative), closed-loop throughput and open-loop latency, the machine's load
# (uptime) recorded before and after each. Run from the repository root after ./mvnw -B -ntp package.
# --connect-batch 10: 200 simultaneous TLS handshakes on a loaded 2-core machine outlast the server's handshake
# timeout (runs failed with "connection closed before it was ready"); the plain run uses the same for comparison.
set -u
out=${1:-benchmarks/results/$(date -u +%Y-%m-%d)-tls}
mkdir -p "$out"
jar=benchmarks/target/obrol-bench.jar
for config in plain jdk openssl; do
  case $config in
    plain) tls="" ;;
    jdk) tls="--tls --tls-provider JDK" ;;
    openssl) tls="--tls --tls-provider OPENSSL" ;;
  esac
  echo "before throughput $config: $(uptime)" >> "$out/uptime.txt"
  # shellcheck disable=SC2086
  java -jar $jar throughput --target reference $tls --receivers 100 --senders 4 --in-flight 64 --payload 32 --connect-batch 10 \
    --runs 3 --warmup 3 --duration 5 --json "$out/throughput-$config.json" > "$out/throughput-$config.txt" 2>&1
  echo "after throughput $config: $(uptime)" >> "$out/uptime.txt"
  # shellcheck disable=SC2086
  java -jar $jar latency --target reference $tls --receivers 100 --senders 1 --deliveries-per-second 100000 --connect-batch 10 \
    --payload 32 --runs 3 --warmup 3 --duration 10 --json "$out/latency-$config.json" > "$out/latency-$config.txt" 2>&1
  echo "after latency $config: $(uptime)" >> "$out/uptime.txt"
done
