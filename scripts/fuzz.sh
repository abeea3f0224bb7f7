#!/usr/bin/env bash
# Builds the libFuzzer target of every source parser (clang, AddressSanitizer, UBSan; the
# `fuzz` CMake preset) and runs each for a bounded time, seeded with the recorded and
# documented payloads. Fails on the first crash, leak, undefined behaviour, hang or broken
# invariant, and leaves the input that caused it in build/fuzz/artifacts/.
#
#   bash scripts/fuzz.sh                 # 20 s per parser (8 parsers)
#   bash scripts/fuzz.sh 60              # 60 s per parser
#   bash scripts/fuzz.sh 20 rss x        # only these parsers
#
# KIOSK_SHARED_DIR points at the shared fixtures (default: ../shared beside the checkout);
# KIOSK_JOBS sets build parallelism (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-20}"
shift || true
sources=("$@")
[ ${#sources[@]} -eq 0 ] && sources=(google yelp facebook mastodon bluesky reddit x rss)
shared="${KIOSK_SHARED_DIR:-$(pwd)/../shared}"
jobs="${KIOSK_JOBS:-2}"

bash scripts/setup.sh

echo "== build (clang, libFuzzer, ASan, UBSan)"
cmake --preset fuzz >/dev/null
targets=()
for s in "${sources[@]}"; do targets+=("fuzz_$s"); done
cmake --build --preset fuzz -j "$jobs" --target "${targets[@]}"

seeds_for() {
  case "$1" in
    google) echo tests/fixtures/sources/google_reviews_list.json ;;
    yelp) echo tests/fixtures/sources/yelp_business_reviews.json ;;
    facebook) echo tests/fixtures/sources/facebook_tagged_posts.json ;;
    bluesky) echo tests/fixtures/sources/bluesky_search_posts.json ;;
    mastodon) ls "$shared"/fixtures/mastodon/*.json 2>/dev/null || true ;;
    reddit) ls "$shared"/fixtures/reddit/*.json 2>/dev/null || true ;;
    x) ls "$shared"/fixtures/twitter_x/*.json 2>/dev/null || true ;;
    rss) ls "$shared"/fixtures/rss_atom/*.xml 2>/dev/null || true ;;
  esac
}

mkdir -p build/fuzz/artifacts
start=$(date +%s)
for s in "${sources[@]}"; do
  corpus="build/fuzz/corpus/$s"
  seeds="build/fuzz/seeds/$s"
  mkdir -p "$corpus" "$seeds"
  for f in $(seeds_for "$s"); do cp "$f" "$seeds/"; done
  [ -n "$(ls -A "$seeds")" ] || echo "fuzz: no seed payloads for $s (is KIOSK_SHARED_DIR right?)" >&2
  echo "== fuzz $s for ${seconds}s ($(ls "$seeds" | wc -l) seed files)"
  # New interesting inputs go to the corpus folder, seeds are read only.
  if ! "build/fuzz/tests/fuzz/fuzz_$s" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="build/fuzz/artifacts/$s-" \
      "$corpus" "$seeds" > "build/fuzz/$s.log" 2>&1; then
    tail -n 60 "build/fuzz/$s.log" >&2
    echo "fuzz: the $s parser failed; the input is in build/fuzz/artifacts/ (log: build/fuzz/$s.log)" >&2
    exit 1
  fi
  grep -E '^stat::number_of_executed_units' "build/fuzz/$s.log" | sed "s/^/  $s /" || true
done
echo "fuzz: ${#sources[@]} parsers, ${seconds}s each, no failures ($(( $(date +%s) - start ))s of fuzzing)"
