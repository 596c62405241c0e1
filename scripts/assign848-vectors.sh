#!/usr/bin/env bash
# Regenerates the KIP-848 test data from the pinned Kafka's own group-coordinator classes:
# tests/data/assign848_vectors.json (the server-side assignors uniform and range,
# conformance/vectors/Assign848Vectors.java) and tests/data/reconcile848_vectors.json (a
# member's reconciliation, CurrentAssignmentBuilder, conformance/vectors/Reconcile848Vectors.java)
# and tests/data/share_assign_vectors.json (the share groups' SimpleAssignor,
# conformance/vectors/ShareAssignVectors.java).
# Needs the conformance suite's jars (scripts/kafka-setup.sh). `--check` compares instead of
# writing (the conformance suite runs it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
scripts/kafka-setup.sh > /dev/null
VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' conformance/pom.xml)
CLASSES=$(mktemp -d /tmp/kafka-sim-vectors.XXXXXX)
trap 'rm -rf "$CLASSES"' EXIT
javac -d "$CLASSES" -cp "conformance/lib/*" conformance/vectors/VectorCases.java conformance/vectors/Assign848Vectors.java \
  conformance/vectors/Reconcile848Vectors.java conformance/vectors/ShareAssignVectors.java
status=0
for name in Assign848Vectors:assign848_vectors Reconcile848Vectors:reconcile848_vectors \
    ShareAssignVectors:share_assign_vectors; do
  class=${name%%:*}
  file=tests/data/${name##*:}.json
  java -cp "conformance/lib/*:$CLASSES" "$class" "$VERSION" > "$CLASSES/out.json"
  if [ "${1:-}" = "--check" ]; then
    if cmp -s "$CLASSES/out.json" "$file"; then
      echo "assign848-vectors: $file is what Kafka $VERSION computes"
    else
      echo "assign848-vectors: $file differs from what Kafka $VERSION computes; run scripts/assign848-vectors.sh" >&2
      status=1
    fi
  else
    cp "$CLASSES/out.json" "$file"
    echo "assign848-vectors: wrote $file ($(grep -c '^    {' "$file") cases, Kafka $VERSION)"
  fi
done
exit $status
