# Sourced by the other scripts: puts the project's tools on PATH.
# - ~/.cargo/bin: cargo, trunk and wasm-bindgen-cli (cargo install puts them there).
# - node_modules/.bin: wasm-opt from the npm package binaryen, for trunk's release build.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
TRUNK_VERSION="0.21.14"
# wasm-bindgen-cli must be exactly the wasm-bindgen crate version locked in Cargo.lock.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
if [ -z "$WASM_BINDGEN_VERSION" ]; then
  echo "env.sh: no wasm-bindgen in Cargo.lock (run cargo generate-lockfile)" >&2
fi
# Trunk takes the same version (Trunk.toml names none): the pin lives in Cargo.toml alone.
export TRUNK_TOOLS_WASM_BINDGEN="$WASM_BINDGEN_VERSION"
