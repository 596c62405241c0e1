#!/usr/bin/env bash
# Runs every fuzz target of fuzz/ for a fixed number of runs: `scripts/fuzz.sh [RUNS]`
# (default 20000), or one target: `scripts/fuzz.sh RUNS console_fresh`.
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a C++ compiler; RUSTC_BOOTSTRAP=1 lets
# the stable toolchain accept the nightly flags libFuzzer's instrumentation uses.
# Not part of `make test` or CI. Overflow checks and debug assertions are on (-a), so an
# arithmetic overflow is a crash; the sanitizer is off (safe Rust, and a 2-core machine).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20000}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(console_fresh console_populated share_decode lesson_parse)
fi
export RUSTC_BOOTSTRAP=1

# Seed corpora from the project's own inputs: console transcripts, lessons, share links.
seeds=fuzz/seeds
mkdir -p "$seeds/console" "$seeds/share" "$seeds/lesson"
for f in tests/console/*.txt; do
  grep '^\$ ' "$f" | sed 's/^\$ //' > "$seeds/console/$(basename "$f")" || true
done
cp static/lessons/*.json "$seeds/lesson/"
cp static/lessons/*.json "$seeds/share/" 2>/dev/null || true
for f in tests/data/*.json; do [ -f "$f" ] && cp "$f" "$seeds/share/"; done

cargo fuzz build -a -s none --fuzz-dir fuzz "${targets[@]:0:1}" >/dev/null 2>&1 || true
for target in "${targets[@]}"; do
  case "$target" in
    console_*) seed="$seeds/console" ;;
    share_*) seed="$seeds/share" ;;
    lesson_*) seed="$seeds/lesson" ;;
  esac
  corpus="fuzz/corpus/$target"
  mkdir -p "$corpus"
  # Inputs that once crashed a target (fuzz/regressions/<target>/) run first, as seeds.
  regressions="fuzz/regressions/$target"
  [ -d "$regressions" ] || regressions=""
  start=$(date +%s)
  cargo fuzz run -a -s none --fuzz-dir fuzz "$target" "$corpus" "$seed" $regressions -- \
    -runs="$runs" -max_len=4096 -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 \
    2>&1 | tail -n 25 > "fuzz/last-$target.log" || status=$?
  end=$(date +%s)
  echo "fuzz: $target: $runs runs in $((end - start)) s, exit ${status:-0} (fuzz/last-$target.log)"
  unset status
done
