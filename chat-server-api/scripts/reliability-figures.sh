#!/bin/sh
# Reproduces the figures of the "Reliability" section of chat-server-api/README.md: runs the abuse suite
# (JUnit tag "abuse") against Obrol's server and, with -Dobrol.abuse.redis=true, the same scenarios against
# a Redis 7 started on a free loopback port without persistence (Debian: apt-get install -y redis-server;
# the Redis scenarios skip where it is absent). Prints every measured figure.
#
# Usage: chat-server-api/scripts/reliability-figures.sh        (from anywhere; about 3 minutes)
set -u
cd "$(dirname "$0")/../.." || exit 1
rm -f chat-server-api/target/abuse-figures.txt
status=0
./mvnw -B -ntp -q -pl chat-server-api -am test -Dgroups=abuse -Dobrol.abuse.redis=true \
  -Dsurefire.failIfNoSpecifiedTests=false || status=$?
echo
echo "Figures (scenario | what | value):"
cat chat-server-api/target/abuse-figures.txt 2>/dev/null || echo "(none recorded)"
exit "$status"
