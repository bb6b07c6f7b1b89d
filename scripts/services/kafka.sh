#!/usr/bin/env bash
# Apache Kafka 3.9 in KRaft mode (one broker+controller) from Maven Central, on loopback ports.
SERVICE=kafka
source "$(dirname "$0")/lib.sh"

DIR="$(service_dir)"
LIBS="$DIR/libs"
PIDFILE="$DIR/kafka.pid"
CONN="$DIR/connection.json"
POM="$(dirname "$0")/kafka/pom.xml"

service_install() {
  command -v java >/dev/null || apt_install openjdk-17-jre-headless
  command -v mvn >/dev/null || apt_install maven
  if [[ ! -f "$LIBS/.complete" ]] || [[ "$POM" -nt "$LIBS/.complete" ]]; then
    log "collecting Kafka jars from Maven Central"
    rm -rf "$LIBS"
    mvn -q -B -f "$POM" dependency:copy-dependencies -DoutputDirectory="$LIBS" -DincludeScope=runtime >&2 \
      || die "mvn could not fetch Kafka"
    touch "$LIBS/.complete"
  fi
}

service_up() {
  if service_status >/dev/null 2>&1; then log "already running"; cat "$CONN"; return 0; fi
  service_install
  stop_pid "$PIDFILE"
  local port cport cluster
  port=$(free_port)
  cport=$(free_port)
  while [[ "$cport" == "$port" ]]; do cport=$(free_port); done
  # Fresh storage each start: tests create their own topics, and a stale quorum would
  # point at the previous run's controller port.
  rm -rf "$DIR/data"
  mkdir -p "$DIR/data"
  cat >"$DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DIR/data
num.partitions=3
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
log.retention.hours=24
PROPS
  cat >"$DIR/log4j.properties" <<'PROPS'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=WARN
PROPS
  local java_opts=(-Xms256m -Xmx1g -XX:+UseG1GC -Djava.awt.headless=true
    "-Dlog4j.configuration=file:$DIR/log4j.properties")
  cluster=$(java "${java_opts[@]}" -cp "$LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
  [[ -n "$cluster" ]] || die "could not generate a cluster id"
  java "${java_opts[@]}" -cp "$LIBS/*" kafka.tools.StorageTool format -t "$cluster" \
    -c "$DIR/server.properties" >"$DIR/format.log" 2>&1 || { cat "$DIR/format.log" >&2; die "storage format failed"; }
  log "starting on 127.0.0.1:$port (controller $cport)"
  : >"$DIR/server.log"
  nohup java "${java_opts[@]}" -cp "$LIBS/*" kafka.Kafka "$DIR/server.properties" >>"$DIR/server.log" 2>&1 &
  echo $! >"$PIDFILE"
  wait_for_log "$DIR/server.log" "Kafka Server started" 120 "$PIDFILE" || { stop_pid "$PIDFILE"; die "did not start"; }
  cat >"$CONN" <<JSON
{"brokers":["127.0.0.1:$port"],"bootstrap":"127.0.0.1:$port"}
JSON
  log "ready: $(cat "$CONN")"
}

run_service "$@"
