#!/usr/bin/env bash
# Brokers on demand for the conformance suite: real Kafka (KRaft, combined controller and
# broker nodes) on 127.0.0.1 at free ports, in a folder of their own.
#   scripts/kafka-broker.sh start DIR [NODES] [k=v ...]  format and start NODES (1 or 3) nodes;
#                                                  prints the bootstrap servers, also in DIR/bootstrap
#   scripts/kafka-broker.sh stop DIR               stop them cleanly (then kill what is left)
# Extra k=v arguments are added to every node's server.properties. Needs scripts/kafka-setup.sh.
# On a failure to start it prints the tail of each node's log and stops what it started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIB="$ROOT/conformance/lib"
CLASSES="$ROOT/conformance/classes"
CP="$LIB/*:$CLASSES"

# Ports below the kernel's ephemeral range: a port picked from inside it can be taken by
# some client's outgoing connection before the broker binds it ("Address already in use").
EPHEMERAL_LOW=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
PORT_LOW=10000
PORT_SPAN=$((EPHEMERAL_LOW > PORT_LOW + 1000 ? EPHEMERAL_LOW - PORT_LOW : 20000))

free_port() {
  local port
  while :; do
    port=$((PORT_LOW + RANDOM % PORT_SPAN))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

log_tails() {
  local dir="$1" node
  for node in "$dir"/node-*; do
    [ -d "$node" ] || continue
    echo "--- last lines of $node/server.log and $node/stdout.log" >&2
    tail -n 30 "$node/server.log" >&2 2>/dev/null || true
    tail -n 30 "$node/stdout.log" >&2 2>/dev/null || true
  done
}

stop() {
  local dir="$1" pid
  [ -f "$dir/pids" ] || return 0
  for pid in $(cat "$dir/pids"); do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 100); do
    local alive=0
    for pid in $(cat "$dir/pids"); do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  for pid in $(cat "$dir/pids"); do kill -KILL "$pid" 2>/dev/null || true; done
  rm -f "$dir/pids"
}

start() {
  local dir="$1" nodes="${2:-1}"
  shift 2 || shift $#
  [ "$nodes" = 1 ] || [ "$nodes" = 3 ] || { echo "kafka-broker.sh: NODES is 1 or 3" >&2; exit 2; }
  mkdir -p "$dir"
  local i voters="" bootstrap="" cluster_id
  local -a ports controller_ports
  for i in $(seq 1 "$nodes"); do
    ports[$i]=$(free_port)
    controller_ports[$i]=$(free_port)
    voters+="${voters:+,}$i@127.0.0.1:${controller_ports[$i]}"
    bootstrap+="${bootstrap:+,}127.0.0.1:${ports[$i]}"
  done
  local rf=1
  [ "$nodes" = 3 ] && rf=3
  cluster_id=$(java -cp "$CP" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
  : > "$dir/pids"
  for i in $(seq 1 "$nodes"); do
    local node="$dir/node-$i"
    mkdir -p "$node"
    cat > "$node/server.properties" <<PROPS
process.roles=broker,controller
node.id=$i
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:${ports[$i]},CONTROLLER://127.0.0.1:${controller_ports[$i]}
advertised.listeners=PLAINTEXT://127.0.0.1:${ports[$i]}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$node/data
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=$rf
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=$rf
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=$rf
share.coordinator.state.topic.min.isr=1
auto.create.topics.enable=false
PROPS
    local kv
    for kv in "$@"; do echo "$kv" >> "$node/server.properties"; done
    if ! java -cp "$CP" kafka.tools.StorageTool format -t "$cluster_id" -c "$node/server.properties" \
        > "$node/format.log" 2>&1; then
      cat "$node/format.log" >&2
      stop "$dir"
      exit 1
    fi
    java -Xms128m -Xmx768m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
      -Dkafka.logs.dir="$node" -Dlog4j2.configurationFile="$ROOT/conformance/log4j2-broker.properties" \
      -cp "$CP" kafka.Kafka "$node/server.properties" > "$node/stdout.log" 2>&1 &
    echo $! >> "$dir/pids"
  done
  echo "$bootstrap" > "$dir/bootstrap"
  if ! java -Dlog4j2.configurationFile="$ROOT/conformance/log4j2-tools.properties" -cp "$CP" \
      Runner --wait-ready "$bootstrap" --brokers "$nodes" --timeout-s 90 > "$dir/wait.log" 2>&1; then
    echo "kafka-broker.sh: the cluster did not answer" >&2
    log_tails "$dir"
    stop "$dir"
    exit 1
  fi
  echo "$bootstrap"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$1" ;;
  *) echo "usage: kafka-broker.sh start DIR [1|3] [k=v ...] | stop DIR" >&2; exit 2 ;;
esac
