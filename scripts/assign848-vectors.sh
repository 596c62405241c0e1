#!/usr/bin/env bash
# Regenerates tests/data/assign848_vectors.json: cases for the simulator's KIP-848 server-side
# assignors (uniform, range), computed by the pinned Kafka's own group-coordinator classes
# (conformance/vectors/Assign848Vectors.java). Needs the conformance suite's jars
# (scripts/kafka-setup.sh). `--check` compares instead of writing (the test suite runs it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
scripts/kafka-setup.sh > /dev/null
VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' conformance/pom.xml)
CLASSES=$(mktemp -d /tmp/kafka-sim-vectors.XXXXXX)
trap 'rm -rf "$CLASSES"' EXIT
javac -d "$CLASSES" -cp "conformance/lib/*" conformance/vectors/Assign848Vectors.java
java -cp "conformance/lib/*:$CLASSES" Assign848Vectors "$VERSION" > "$CLASSES/vectors.json"
if [ "${1:-}" = "--check" ]; then
  if cmp -s "$CLASSES/vectors.json" tests/data/assign848_vectors.json; then
    echo "assign848-vectors: tests/data/assign848_vectors.json is what Kafka $VERSION computes"
  else
    echo "assign848-vectors: tests/data/assign848_vectors.json differs from what Kafka $VERSION computes; run scripts/assign848-vectors.sh" >&2
    exit 1
  fi
else
  cp "$CLASSES/vectors.json" tests/data/assign848_vectors.json
  echo "assign848-vectors: wrote tests/data/assign848_vectors.json ($(grep -c '"assignor"' tests/data/assign848_vectors.json) cases, Kafka $VERSION)"
fi
