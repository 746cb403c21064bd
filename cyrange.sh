#!/usr/bin/env bash
# The two commands of the README, and the steps they are made of.
#
#   ./cyrange.sh demo    install, build, start the services, run the main job
#   ./cyrange.sh test    install, build, start the services, run every test
#
# Steps on their own: install | build | services | stop-services | clean
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
BUILD_DIR=${CYRANGE_BUILD_DIR:-$ROOT/build}
CYRANGE=$BUILD_DIR/orchestrator/cli/cyrange

step() { printf '\n==> %s\n' "$*"; }

install() {
  step "Installing Debian packages"
  "$ROOT/scripts/install-deps.sh"
}

# build [TARGET...]: everything, or only the given targets (and what they need).
build() {
  step "Building (${BUILD_DIR})${*:+: $*}"
  if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
  fi
  cmake --build "$BUILD_DIR" -j"$(nproc)" ${*:+--target "$@"}
}

# What the main job runs, and the two windows people use afterwards; not the test suite.
DEMO_TARGETS=(cyrange cyranged cyrange-console cyrange-trainee)

services() {
  step "Starting services"
  "$ROOT/scripts/services.sh" start all
  "$CYRANGE" db migrate
}

run_tests() {
  step "Running every test (unit, integration, e2e, gui)"
  # bench-labelled tests measure, they do not verify: they run on request only.
  # The output drops ctest's "Start" lines and the dot padding of its result lines, so
  # that a failure's own output is not lost among hundreds of passing lines.
  ctest --test-dir "$BUILD_DIR" --label-exclude bench --output-on-failure \
    --timeout 1200 -j"$(nproc)" 2>&1 |
    sed -u -E -e '/^ +Start +[0-9]+: /d' -e 's/ \.{3,} / /'
}

demo() {
  step "Running the main job: cyrange demo"
  "$CYRANGE" demo "$@"
}

cmd=${1:-}
shift || true
case "$cmd" in
  demo) install; build "${DEMO_TARGETS[@]}"; services; demo "$@" ;;
  test) install; build; services; run_tests ;;
  install) install ;;
  build) build ;;
  services) services ;;
  stop-services) "$ROOT/scripts/services.sh" stop all ;;
  clean) rm -rf "$BUILD_DIR" ;;
  *)
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
