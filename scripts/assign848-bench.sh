#!/usr/bin/env bash
# The consumer protocol's server-side assignors at 2,000 members x one million partitions,
# side by side in one run: Kafka's own Java classes (conformance/vectors/Assign848Bench.java,
# the pinned group-coordinator jar) and the simulator's Rust ports (`cargo bench --bench
# engine -- assign848`), the same case with the same ids. Needs the conformance suite's jars
# (scripts/kafka-setup.sh, run here).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
scripts/kafka-setup.sh > /dev/null
CLASSES=$(mktemp -d /tmp/kafka-sim-bench.XXXXXX)
trap 'rm -rf "$CLASSES"' EXIT
javac -d "$CLASSES" -cp "conformance/lib/*" conformance/vectors/Assign848Bench.java
java -Xmx2g -cp "conformance/lib/*:$CLASSES" Assign848Bench
cargo bench --bench engine -- assign848 2>/dev/null \
  | awk '/^assign848\// { name = $1 } /time:/ && name { printf "rust  %-30s %s\n", name, $0; name = "" }'
