#!/usr/bin/env bash
# usage: run.sh LABEL K JVM_OPTS...  -> snapshots in LABEL-*.txt
set -u
label=$1; k=$2; shift 2
jar=/tmp/perf2mem/bench-$label.jar
[ -n "${SRCJAR:-}" ] && cp "$SRCJAR" "$jar" || cp /work/wt/perf2/benchmarks/target/obrol-bench.jar "$jar"
ulimit -n $(ulimit -Hn)
java -XX:NativeMemoryTracking=summary "$@" -cp "$jar" io.github.obrol.server.cli.ServerMain --bind 127.0.0.1 --port 0 --rate 0 --connection-rate 0 --max-anonymous-per-address 0 --max-connections $((k+100)) --idle-timeout 0 --login-timeout 600 > $label-server.log 2>&1 &
spid=$!
for i in $(seq 1 120); do port=$(grep -o 'started on port [0-9]*' $label-server.log | grep -o '[0-9]*$'); [ -n "$port" ] && break; sleep 0.5; done
echo "server $spid port $port"
jcmd $spid GC.run >/dev/null; jcmd $spid GC.run >/dev/null
jcmd $spid VM.native_memory baseline > /dev/null
grep VmRSS /proc/$spid/status > $label-rss-before.txt
jcmd $spid GC.class_histogram > $label-histo-before.txt
java -jar "$jar" idle --target obrol://127.0.0.1:$port --connections $k --settle 90 --setup-timeout 300 > $label-bench.log 2>&1 &
bpid=$!
for i in $(seq 1 600); do grep -q "logged in: $k/$k" $label-bench.log && break; kill -0 $bpid 2>/dev/null || break; sleep 0.5; done
sleep 2
jcmd $spid GC.run >/dev/null; jcmd $spid GC.run >/dev/null
grep VmRSS /proc/$spid/status > $label-rss-after.txt
jcmd $spid VM.native_memory summary.diff > $label-nmt-diff.txt
jcmd $spid GC.class_histogram > $label-histo-after.txt
jcmd $spid GC.heap_info > $label-heap-after.txt
kill $bpid; wait $bpid 2>/dev/null
kill $spid; wait $spid 2>/dev/null
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)" > $label-load.txt
cat $label-rss-before.txt $label-rss-after.txt
