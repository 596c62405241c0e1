#!/usr/bin/env bash
# Brokers on demand for the conformance suite: real Kafka (KRaft, combined controller and
# broker nodes) on 127.0.0.1 at free ports, in a folder of their own.
#   scripts/kafka-broker.sh start DIR [NODES] [k=v ...]  format and start NODES (1 or 3) nodes;
#                                                  prints the bootstrap servers, also in DIR/bootstrap
#   scripts/kafka-broker.sh stop DIR               stop them cleanly (then kill what is left)
#   scripts/kafka-broker.sh start DIR 3c [k=v ...]   three brokers (node ids 1, 2, 3) and a
#                                                  dedicated controller (node id 10), so that
#                                                  brokers can fail while the quorum stays
#   scripts/kafka-broker.sh stop-node DIR N        a controlled shutdown of node N (SIGTERM)
#   scripts/kafka-broker.sh kill-node DIR N        node N dies at once (SIGKILL)
#   scripts/kafka-broker.sh start-node DIR N       node N starts again on its data
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

launch_node() {
  local node="$1"
  java -Xms128m -Xmx768m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dkafka.logs.dir="$node" -Dlog4j2.configurationFile="$ROOT/conformance/log4j2-broker.properties" \
    -cp "$CP" kafka.Kafka "$node/server.properties" >> "$node/stdout.log" 2>&1 9>&- &
  echo $! > "$node/pid"
  echo $! >> "$(dirname "$node")/pids"
}

start() {
  local dir="$1" nodes="${2:-1}"
  shift 2 || shift $#
  [ "$nodes" = 1 ] || [ "$nodes" = 3 ] || [ "$nodes" = 3c ] \
    || { echo "kafka-broker.sh: NODES is 1, 3 or 3c" >&2; exit 2; }
  local dedicated=0 brokers="$nodes"
  if [ "$nodes" = 3c ]; then dedicated=1; brokers=3; fi
  mkdir -p "$dir"
  local i voters="" bootstrap="" cluster_id
  local -a ports controller_ports ids
  ids=($(seq 1 "$brokers"))
  [ "$dedicated" = 1 ] && ids+=(10)
  for i in "${ids[@]}"; do
    ports[$i]=$(free_port)
    controller_ports[$i]=$(free_port)
    if [ "$dedicated" = 0 ] || [ "$i" = 10 ]; then
      voters+="${voters:+,}$i@127.0.0.1:${controller_ports[$i]}"
    fi
    [ "$i" = 10 ] || bootstrap+="${bootstrap:+,}127.0.0.1:${ports[$i]}"
  done
  local rf=1
  [ "$brokers" = 3 ] && rf=3
  cluster_id=$(java -cp "$CP" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
  : > "$dir/pids"
  for i in "${ids[@]}"; do
    local node="$dir/node-$i" roles="broker,controller" listeners advertised
    listeners="PLAINTEXT://127.0.0.1:${ports[$i]},CONTROLLER://127.0.0.1:${controller_ports[$i]}"
    advertised="advertised.listeners=PLAINTEXT://127.0.0.1:${ports[$i]}"
    if [ "$dedicated" = 1 ] && [ "$i" = 10 ]; then
      roles="controller"
      listeners="CONTROLLER://127.0.0.1:${controller_ports[$i]}"
      advertised=""
    elif [ "$dedicated" = 1 ]; then
      roles="broker"
      listeners="PLAINTEXT://127.0.0.1:${ports[$i]}"
    fi
    mkdir -p "$node"
    cat > "$node/server.properties" <<PROPS
process.roles=$roles
node.id=$i
controller.quorum.voters=$voters
listeners=$listeners
$advertised
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
    launch_node "$node"
  done
  echo "$bootstrap" > "$dir/bootstrap"
  if ! java -Dlog4j2.configurationFile="$ROOT/conformance/log4j2-tools.properties" -cp "$CP" \
      Runner --wait-ready "$bootstrap" --brokers "$brokers" --timeout-s 180 > "$dir/wait.log" 2>&1; then
    echo "kafka-broker.sh: the cluster did not answer" >&2
    log_tails "$dir"
    stop "$dir"
    exit 1
  fi
  echo "$bootstrap"
}

# Stops node N with SIGTERM (a controlled shutdown) or SIGKILL, and waits until it is gone.
stop_node() {
  local dir="$1" id="$2" signal="$3" pid
  pid=$(cat "$dir/node-$id/pid" 2>/dev/null) || { echo "kafka-broker.sh: no node $id in $dir" >&2; exit 1; }
  kill "-$signal" "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

start_node() {
  local dir="$1" id="$2" pid
  [ -f "$dir/node-$id/server.properties" ] || { echo "kafka-broker.sh: no node $id in $dir" >&2; exit 1; }
  pid=$(cat "$dir/node-$id/pid" 2>/dev/null || echo "")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    return 0
  fi
  launch_node "$dir/node-$id"
}

case "${1:-}" in
  # Starts run one at a time (the conformance suite starts several brokers side by side): a
  # port is free when picked, and stays so only until the broker that picked it has bound it.
  start)
    shift
    exec 9> "${TMPDIR:-/tmp}/kafka-sim-broker-start.lock"
    flock 9
    start "$@"
    ;;
  stop) shift; stop "$1" ;;
  stop-node) stop_node "$2" "$3" TERM ;;
  kill-node) stop_node "$2" "$3" KILL ;;
  start-node) start_node "$2" "$3" ;;
  *) echo "usage: kafka-broker.sh start DIR [1|3|3c] [k=v ...] | stop DIR | stop-node|kill-node|start-node DIR N" >&2; exit 2 ;;
esac
