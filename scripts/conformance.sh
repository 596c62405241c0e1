#!/usr/bin/env bash
# The conformance suite: every scenario in tests/console/ and tests/conformance/ runs on the
# simulator (kafka-sim-cli) and on a real Kafka broker (conformance/runner), and the output of
# Kafka's own tools is compared line by line. Ends with the line
#   conformance: N/M scenarios, L lines compared, K known differences
# and exits non-zero when a scenario disagrees outside its known differences. It also starts a
# three-broker cluster and checks that it answers with a topic replicated to all three, and
# (for the whole suite) runs the sessions of tests/export/ exported to bash on a fresh broker
# and checks that they end where the simulator does (scripts/export-roundtrip.sh).
#   scripts/conformance.sh [scenario.txt...]   (default: every scenario)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
started=$SECONDS

scripts/kafka-setup.sh
# The KIP-848 assignor vectors are what the pinned Kafka's own classes compute.
scripts/assign848-vectors.sh --check
cargo build --release --locked --quiet --bin kafka-sim-cli
SIM="$ROOT/target/release/kafka-sim-cli"
CP="$ROOT/conformance/lib/*:$ROOT/conformance/classes"
JAVA_TOOLS=(java -Xms64m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1
  -Dlog4j2.configurationFile="$ROOT/conformance/log4j2-tools.properties" -cp "$CP")

if [ "$#" -gt 0 ]; then
  scenarios=("$@")
else
  scenarios=(tests/console/*.txt tests/conformance/*.txt)
fi

WORK=$(mktemp -d /tmp/kafka-sim-conformance.XXXXXX)
OUT="$ROOT/conformance/out"
rm -rf "$OUT"
mkdir -p "$OUT"
cleanup() {
  for dir in "$WORK"/settings-*; do [ -d "$dir" ] && scripts/kafka-broker.sh stop "$dir"; done || true
  for dir in "$WORK"/single-*; do [ -d "$dir" ] && scripts/kafka-broker.sh stop "$dir"; done || true
  scripts/kafka-broker.sh stop "$WORK/cluster" || true
  scripts/kafka-broker.sh stop "$WORK/export-broker" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Every lane below runs side by side: most of a scenario's time is waiting on a broker's clock
# (session timeouts, rebalance delays), not work, so the lanes share the two cores well.
lane_pids=()

# Lane 1, the three-broker cluster (for replication scenarios): brokers 1, 2 and 3 and a
# dedicated controller, so brokers can fail while the quorum stays. It starts, answers with
# three brokers, places a topic's three replicas on them, then plays the scenarios marked
# `# cluster: 3`, whose `broker stop|crash|start N` stop and start its nodes. Its preferred
# leader check runs hourly, not every 300 s: a scenario lasts less than either, and a check
# due in the middle of one would move a leader the simulator's does not.
# Then, in the same lane, the scenarios with `# broker: k=v` directives (static broker
# settings, which Kafka reads only at start): a broker of their own per distinct set of
# settings, started with them.
(
  cluster=$(scripts/kafka-broker.sh start "$WORK/cluster" 3c leader.imbalance.check.interval.seconds=3600)
  printf '$ kafka-topics --create --topic replicated --partitions 1 --replication-factor 3\n$ kafka-topics --describe --topic replicated\n' \
    > "$WORK/cluster-check.txt"
  "${JAVA_TOOLS[@]}" Runner --bootstrap "$cluster" --out "$WORK/cluster-out" "$WORK/cluster-check.txt" > /dev/null
  if grep -q 'ReplicationFactor: 3' "$WORK/cluster-out/cluster-check.txt" \
     && grep -Eq 'Isr: [123],[123],[123]' "$WORK/cluster-out/cluster-check.txt"; then
    echo "conformance: the 3-broker cluster at $cluster answers and replicates to all three"
  else
    echo "conformance: the 3-broker cluster did not replicate a topic to three brokers:" >&2
    cat "$WORK/cluster-out/cluster-check.txt" >&2
    exit 1
  fi
  read -r -a cluster_files <<< "$(python3 conformance/shards.py --cluster "${scenarios[@]}")"
  if [ "${#cluster_files[@]}" -gt 0 ]; then
    "${JAVA_TOOLS[@]}" Runner --bootstrap "$cluster" --cluster-dir "$WORK/cluster" --out "$OUT" "${cluster_files[@]}"
  fi
  scripts/kafka-broker.sh stop "$WORK/cluster"

  n=0
  while IFS='|' read -r settings files_line; do
    [ -n "$files_line" ] || continue
    read -r -a settings_list <<< "$settings"
    read -r -a files <<< "$files_line"
    setting_args=()
    for kv in "${settings_list[@]}"; do setting_args+=(--broker-setting "$kv"); done
    dir="$WORK/settings-$n"
    n=$((n + 1))
    bootstrap=$(scripts/kafka-broker.sh start "$dir" 1 "${settings_list[@]}")
    "${JAVA_TOOLS[@]}" Runner --bootstrap "$bootstrap" --out "$OUT" "${setting_args[@]}" "${files[@]}"
    scripts/kafka-broker.sh stop "$dir"
  done < <(python3 conformance/shards.py --brokers "${scenarios[@]}")
) &
lane_pids+=($!)

# The other lanes: long-lived single brokers (CONFORMANCE_SHARDS of them, 3 by default), each
# with its own runner playing its share of every other scenario (shards balanced by each
# scenario's waiting: its clock advances and console consumers); a runner empties its broker
# between scenarios.
shard_count=${CONFORMANCE_SHARDS:-3}
mapfile -t shards < <(python3 conformance/shards.py "$shard_count" "${scenarios[@]}")
for ((shard = 0; shard < shard_count; shard++)); do
  [ -n "${shards[$shard]:-}" ] || continue
  (
    bootstrap=$(scripts/kafka-broker.sh start "$WORK/single-$shard" 1)
    read -r -a files <<< "${shards[$shard]}"
    "${JAVA_TOOLS[@]}" Runner --bootstrap "$bootstrap" --out "$OUT" "${files[@]}"
    scripts/kafka-broker.sh stop "$WORK/single-$shard"
  ) &
  lane_pids+=($!)
done
# Every lane is waited for (a lane that failed must not remove the folder the others use).
lanes_failed=0
for pid in "${lane_pids[@]}"; do
  wait "$pid" || lanes_failed=1
done
[ "$lanes_failed" = 0 ] || { echo "conformance: a runner failed" >&2; exit 1; }
echo "conformance: played on Kafka in $((SECONDS - started))s (real transcripts in conformance/out/)"

# The export round trip (only with the whole suite): exported sessions run with bash on a
# fresh broker end with the simulator's topics, records and committed offsets.
export_status=0
if [ "$#" -eq 0 ]; then
  bootstrap=$(scripts/kafka-broker.sh start "$WORK/export-broker" 1)
  scripts/export-roundtrip.sh "$bootstrap" "$WORK/export" "$SIM" || export_status=1
  scripts/kafka-broker.sh stop "$WORK/export-broker"
  mkdir -p "$OUT/export" && cp "$WORK/export"/*.sh "$OUT/export/"
fi
# The score line comes last.
diff_status=0
python3 conformance/diff.py --sim "$SIM" --real "$OUT" "${scenarios[@]}" || diff_status=$?
[ "$diff_status" = 0 ] && [ "$export_status" = 0 ]
