# The two commands of kafka-sim. Both set up what is missing first (scripts/setup.sh).
#   make run   - build and serve the app on http://127.0.0.1:8080
#   make test  - run every test (fmt, clippy, native, wasm in Chromium, end-to-end, and the
#                conformance suite against a real Kafka when Java is present)
#   make conformance - only the conformance suite: every scenario on the simulator and on a
#                real Kafka broker; ends with the score line
.PHONY: run test setup kafka-setup conformance

setup:
	@scripts/setup.sh

run: setup
	@bash -c 'source scripts/env.sh && trunk serve --release --offline'

# The real Kafka of the conformance suite (a JDK and Maven from Debian where missing, Kafka's
# jars from Maven Central); `make run` never needs it.
kafka-setup:
	@scripts/kafka-setup.sh

test: setup kafka-setup
	@scripts/test.sh

conformance:
	@scripts/conformance.sh
