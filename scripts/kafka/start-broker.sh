#!/usr/bin/env bash
# start-broker.sh [PORT] [DATA_DIR]: a single-node Apache Kafka broker in KRaft combined mode
# (broker + controller in one JVM) on 127.0.0.1:PORT, for tests, the benchmark and trying the Kafka
# source by hand. Formats DATA_DIR on first use (kafka.tools.StorageTool format) and reuses it on a
# restart, so a stopped broker comes back with its topics and committed offsets. Prints the broker's
# PID on stdout once the port answers; stop it with `kill PID`. Logs go to DATA_DIR/broker.log.
#
# Environment: KAFKA_AUTO_CREATE_TOPICS (true|false, default true), KAFKA_NUM_PARTITIONS (default 1),
# KAFKA_HEAP (default -Xmx384m -Xms128m), KAFKA_START_TIMEOUT (seconds, default 90).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
port="${1:-9092}"
data="${2:-$root/.cache/kafka/data-$port}"
libs="$root/.cache/kafka/libs"
[ -f "$libs/.complete" ] || bash "$root/scripts/test-deps/kafka.sh"

mkdir -p "$data"
data="$(cd "$data" && pwd)"
# the controller listens on a port of its own; the next one up unless told
cport="${KAFKA_CONTROLLER_PORT:-$((port + 1))}"

cat > "$data/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data/logs
num.partitions=${KAFKA_NUM_PARTITIONS:-1}
auto.create.topics.enable=${KAFKA_AUTO_CREATE_TOPICS:-true}
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
log.retention.hours=24
log.segment.bytes=67108864
message.max.bytes=2097152
socket.request.max.bytes=104857600
PROPS

cp_="$libs/*"
java_opts=(${KAFKA_HEAP:--Xmx384m -Xms128m} -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true
  -Dlog4j.configuration="file:$data/log4j.properties")
cat > "$data/log4j.properties" <<'L4J'
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaServer=INFO
log4j.logger.kafka.server.KafkaRaftServer=INFO
L4J

if [ ! -f "$data/logs/meta.properties" ]; then
  java "${java_opts[@]}" -cp "$cp_" kafka.tools.StorageTool format -t "recsysops-test-$port" \
    -c "$data/server.properties" --ignore-formatted >> "$data/broker.log" 2>&1
fi

nohup java "${java_opts[@]}" -cp "$cp_" kafka.Kafka "$data/server.properties" >> "$data/broker.log" 2>&1 &
pid=$!
echo "$pid" > "$data/broker.pid"

deadline=$(( $(date +%s) + ${KAFKA_START_TIMEOUT:-90} ))
until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "start-broker.sh: the broker exited; last lines of $data/broker.log:" >&2
    tail -n 30 "$data/broker.log" >&2
    exit 1
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "start-broker.sh: port $port did not answer in time; stopping the broker" >&2
    kill "$pid" 2>/dev/null || true
    exit 1
  fi
  sleep 0.2
done
echo "$pid"
