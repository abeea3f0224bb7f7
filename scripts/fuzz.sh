#!/usr/bin/env bash
# Builds the libFuzzer target of every parser (clang, AddressSanitizer, UBSan; the `fuzz`
# CMake preset) and runs each for a bounded time, seeded with the recorded and documented
# payloads: the eight source parsers, pushed mentions (POST /v1/mentions), dates, text and
# HTML, and the sync protocol's decoders. Every target runs, even after one fails; the
# script exits non-zero when any found a crash, leak, undefined behaviour, hang or broken
# promise, and prints the path of the input that caused it (build/fuzz/artifacts/).
#
#   bash scripts/fuzz.sh                 # 20 s per target (12 targets)
#   bash scripts/fuzz.sh 60              # 60 s per target
#   bash scripts/fuzz.sh 20 rss pushed   # only these targets
#
# Replay one input: build/fuzz/tests/fuzz/fuzz_rss build/fuzz/artifacts/rss-crash-...
# KIOSK_SHARED_DIR points at the shared fixtures (default: ../shared beside the checkout);
# KIOSK_JOBS sets build parallelism (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-20}"
shift || true
all=(google yelp facebook mastodon bluesky reddit x rss pushed timestamps text protocol)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
shared="${KIOSK_SHARED_DIR:-$(pwd)/../shared}"
jobs="${KIOSK_JOBS:-2}"

bash scripts/setup.sh

echo "== build (clang, libFuzzer, ASan, UBSan)"
cmake --preset fuzz >/dev/null
binaries=()
for t in "${targets[@]}"; do binaries+=("fuzz_$t"); done
cmake --build --preset fuzz -j "$jobs" --target "${binaries[@]}"

# Seeds: the connector tests' fixtures, the shared recorded payloads (copied into the build
# tree only, never into the repository) and tests/fuzz/seeds/.
seeds_for() {
  local f=tests/fixtures/sources
  case "$1" in
    google) echo "$f/google_reviews_list.json" ;;
    yelp) echo "$f/yelp_business_reviews.json" ;;
    facebook) echo "$f/facebook_tagged_posts.json" ;;
    bluesky) echo "$f/bluesky_search_posts.json" ;;
    mastodon) ls "$shared"/fixtures/mastodon/*.json 2>/dev/null || true ;;
    reddit) ls "$shared"/fixtures/reddit/*.json 2>/dev/null || true ;;
    x) ls "$shared"/fixtures/twitter_x/*.json 2>/dev/null || true ;;
    rss) ls "$shared"/fixtures/rss_atom/*.xml 2>/dev/null || true ;;
    text) ls "$shared"/fixtures/rss_atom/*.xml "$shared"/fixtures/mastodon/*.json 2>/dev/null || true ;;
    pushed | timestamps | protocol) ls tests/fuzz/seeds/"$1"/* ;;
  esac
}

mkdir -p build/fuzz/artifacts
start=$(date +%s)
failed=()
for t in "${targets[@]}"; do
  corpus="build/fuzz/corpus/$t"
  seeds="build/fuzz/seeds/$t"
  rm -rf "$seeds"
  mkdir -p "$corpus" "$seeds"
  for f in $(seeds_for "$t"); do cp "$f" "$seeds/"; done
  [ -n "$(ls -A "$seeds")" ] || echo "fuzz: no seed inputs for $t (is KIOSK_SHARED_DIR right?)" >&2
  echo "== fuzz $t for ${seconds}s ($(ls "$seeds" | wc -l) seed files)"
  # New interesting inputs go to the corpus folder (kept between runs), seeds are only read.
  # Inputs up to 64 KiB, 10 s per input, 2 GiB of memory: a page bigger than that is
  # refused whole by size, which the unit tests cover.
  log="build/fuzz/$t.log"
  if ! "build/fuzz/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="build/fuzz/artifacts/$t-" \
      "$corpus" "$seeds" > "$log" 2>&1; then
    tail -n 40 "$log" >&2
    input=$(grep -o "Test unit written to .*" "$log" | tail -n 1 | sed 's/Test unit written to //')
    echo "fuzz: the $t target failed; input: ${input:-see $log}; log: $log" >&2
    failed+=("$t")
    continue
  fi
  grep -E '^stat::number_of_executed_units' "$log" | sed "s/^/  $t /" || true
done
took=$(( $(date +%s) - start ))
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${#failed[@]} of ${#targets[@]} targets failed: ${failed[*]} (${took}s of fuzzing)" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, no failures (${took}s of fuzzing)"
