#!/bin/bash
# OK SEND and PING round trips (2,000 each, one connection) on a 2-node cluster of JAR's reference server over a redis-server
# of its own, and the node's threads (jstack). Usage: cluster-oksend.sh OBROL-BENCH-JAR LABEL (needs redis-server, python3).
JAR=$1; LABEL=$2; RP=$((20000 + RANDOM % 10000)); P1=$((RP+1)); P2=$((RP+2))
redis-server --port $RP --save '' --appendonly no --daemonize no > /dev/null 2>&1 & R=$!
sleep 0.5
java -Xmx512m -cp $JAR io.github.obrol.server.cli.ServerMain --bind 127.0.0.1 --port $P1 --cluster redis://127.0.0.1:$RP --node-id n1 > ${TMPDIR:-/tmp}/cluster-oksend-n1-$LABEL.log 2>&1 & N1=$!
java -Xmx512m -cp $JAR io.github.obrol.server.cli.ServerMain --bind 127.0.0.1 --port $P2 --cluster redis://127.0.0.1:$RP --node-id n2 > ${TMPDIR:-/tmp}/cluster-oksend-n2-$LABEL.log 2>&1 & N2=$!
for i in $(seq 1 120); do grep -q "started on port" ${TMPDIR:-/tmp}/cluster-oksend-n1-$LABEL.log && grep -q "started on port" ${TMPDIR:-/tmp}/cluster-oksend-n2-$LABEL.log && break; sleep 0.5; done
uptime; echo "$LABEL"; timeout 120 python3 "$(dirname "$0")/cluster-oksend.py" $P1 $P2 2000; uptime
jstack $N1 | grep "^\"" | cut -d\" -f2 | sed "s/[0-9]*//g" | sort | uniq -c; kill $N1 $N2; wait $N1 $N2 2>/dev/null; kill $R; wait $R 2>/dev/null
grep -h "joined" ${TMPDIR:-/tmp}/cluster-oksend-n1-$LABEL.log | head -1
