cd /tmp/perf2mem
uptime > seq-uptime.txt
timeout 400 ./run.sh after 5000 -Xms512m -Xmx4g
SRCJAR=/tmp/perf2mem/base.jar timeout 400 ./run.sh basept 5000 -Xms512m -Xmx4g -XX:+AlwaysPreTouch
timeout 400 ./run.sh afterpt 5000 -Xms512m -Xmx4g -XX:+AlwaysPreTouch
timeout 400 ./run.sh after15k 15000 -Xms512m -Xmx4g -XX:+AlwaysPreTouch
uptime >> seq-uptime.txt
