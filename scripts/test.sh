#!/usr/bin/env bash
# Sets up everything and runs the whole test suite: Debian packages (idempotent), a Debug
# build with warnings as errors, then every ctest label (unit, integration, ui, slow). UI
# tests open real windows under Xvfb when no display is set. With CI=true, or --sanitize, a
# second build with AddressSanitizer + UBSan runs the unit and integration tests again, and
# every parser's libFuzzer target runs for a few seconds (scripts/fuzz.sh; --fuzz alone).
#
#   bash scripts/test.sh                 # everything
#   bash scripts/test.sh -L unit         # extra arguments go to ctest
#   bash scripts/test.sh --sanitize --fuzz
set -euo pipefail
cd "$(dirname "$0")/.."

sanitize=0
fuzz=0
[ "${CI:-}" = "true" ] && sanitize=1 && fuzz=1
while [ $# -gt 0 ]; do
  case "$1" in
    --sanitize) sanitize=1 ;;
    --fuzz) fuzz=1 ;;
    *) break ;;
  esac
  shift
done

bash scripts/setup.sh
jobs="${KIOSK_JOBS:-2}"

echo "== format"
bash scripts/format.sh --check

echo "== build (Debug, warnings as errors)"
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$jobs"

echo "== naming rules (clang-tidy)"
bash scripts/tidy.sh

echo "== tests"
(cd build/dev && ctest --output-on-failure --timeout 300 "$@")

if [ "$fuzz" = 1 ]; then
  # 12 targets for KIOSK_FUZZ_SECONDS each (default 6): under 4 minutes with the build.
  echo "== fuzz targets (libFuzzer, ASan, UBSan)"
  bash scripts/fuzz.sh "${KIOSK_FUZZ_SECONDS:-6}"
fi

if [ "$sanitize" = 1 ]; then
  echo "== build (AddressSanitizer + UndefinedBehaviorSanitizer)"
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j "$jobs"
  echo "== tests under sanitizers (unit, integration)"
  # The UI tests run Mesa's software GL, whose own allocations LeakSanitizer would report;
  # they run above without sanitizers.
  (cd build/asan && ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest --output-on-failure --timeout 600 -L 'unit|integration')
fi
