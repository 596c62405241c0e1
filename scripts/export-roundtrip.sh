#!/usr/bin/env bash
# The export round trip of the conformance suite: each session in tests/export/ is exported
# with `kafka-sim-cli export`, the script runs with bash against the real broker at BOOTSTRAP
# (Kafka's tools under their bin/ names, shims on PATH that run their main classes), and
# Kafka's tools then describe the broker's topics, records and committed offsets, which must
# be what the simulator ends with (conformance/export_check.py). The broker must be empty.
#   scripts/export-roundtrip.sh BOOTSTRAP WORKDIR SIM [session.txt...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bootstrap="$1" work="$2" sim="$3"
shift 3
if [ "$#" -gt 0 ]; then sessions=("$@"); else sessions=(tests/export/*.txt); fi
CP="$ROOT/conformance/lib/*:$ROOT/conformance/classes"
mkdir -p "$work/bin" "$work/real"

# Kafka's bin/ scripts, as shims: the name a real installation has, the tool's main class.
while read -r name class; do
  cat > "$work/bin/$name" <<SHIM
#!/usr/bin/env bash
exec java -Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \\
  -Dlog4j2.configurationFile="$ROOT/conformance/log4j2-tools.properties" -cp "$CP" $class "\$@"
SHIM
  chmod +x "$work/bin/$name"
done <<'TOOLS'
kafka-topics.sh org.apache.kafka.tools.TopicCommand
kafka-configs.sh org.apache.kafka.tools.ConfigCommand
kafka-console-producer.sh org.apache.kafka.tools.ConsoleProducer
kafka-console-consumer.sh org.apache.kafka.tools.consumer.ConsoleConsumer
kafka-consumer-groups.sh org.apache.kafka.tools.consumer.group.ConsumerGroupCommand
kafka-delete-records.sh org.apache.kafka.tools.DeleteRecordsCommand
kafka-producer-perf-test.sh org.apache.kafka.tools.ProducerPerformance
TOOLS

status=0
for session in "${sessions[@]}"; do
  name=$(basename "$session" .txt)
  "$sim" export "$session" > "$work/$name.sh"
  if ! BOOTSTRAP="$bootstrap" PATH="$work/bin:$PATH" bash "$work/$name.sh" > "$work/$name.out" 2>&1; then
    echo "DISAGREES export $name: the exported script failed on the real broker:" >&2
    tail -n 20 "$work/$name.out" >&2
    status=1
    continue
  fi
  python3 conformance/export_check.py checks --sim "$sim" "$session" "$work/$name.txt"
  java -Xms64m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dlog4j2.configurationFile="$ROOT/conformance/log4j2-tools.properties" -cp "$CP" \
    Runner --bootstrap "$bootstrap" --out "$work/real" "$work/$name.txt" > /dev/null
  python3 conformance/export_check.py compare --sim "$sim" "$session" "$work/$name.txt" "$work/real/$name.txt" || status=1
done
exit "$status"
