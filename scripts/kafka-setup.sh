#!/usr/bin/env bash
# Sets up the real Kafka the conformance suite compares the simulator with: a JDK and Maven from
# Debian where missing, Kafka's jars (the version is conformance/pom.xml's kafka.version) in
# conformance/lib/, and the runner compiled into conformance/classes/. Idempotent: a stamp file
# names what was set up, and a second run only checks it (seconds).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/conformance"
VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$DIR/pom.xml")
STAMP="$DIR/lib/.stamp"
SOURCES_HASH=$(cat "$DIR/pom.xml" "$DIR"/runner/*.java | sha256sum | cut -c1-16)
WANT="kafka $VERSION runner $SOURCES_HASH"

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] && [ -f "$DIR/classes/Runner.class" ] && command -v java >/dev/null; then
  echo "kafka-setup: ready: Kafka $VERSION"
  exit 0
fi

missing=()
command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "kafka-setup: installing ${missing[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -f "$DIR/lib/kafka_2.13-$VERSION.jar" ] || [ ! -f "$DIR/lib/kafka-tools-$VERSION.jar" ]; then
  echo "kafka-setup: fetching Kafka $VERSION with Maven into conformance/lib/"
  rm -rf "$DIR/lib"
  (cd "$DIR" && mvn -q -B dependency:copy-dependencies -DoutputDirectory=lib -DincludeScope=runtime)
fi

echo "kafka-setup: compiling the runner"
rm -rf "$DIR/classes"
mkdir -p "$DIR/classes"
javac -nowarn -d "$DIR/classes" -cp "$DIR/lib/*" "$DIR"/runner/*.java
echo "$WANT" > "$STAMP"
echo "kafka-setup: ready: Kafka $VERSION"
