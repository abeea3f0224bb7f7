#!/usr/bin/env bash
# Cold start to first frame, and idle CPU, of the kiosk window under Xvfb with Mesa's
# software renderer, against bench/bare_window (the platform window alone) in the same run.
# Prints medians over RUNS runs and the kiosk/baseline ratios. Figures, not assertions.
#
#   bash bench/startup_idle.sh [RUNS=5] [IDLE_SECONDS=10]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
idle_seconds="${2:-10}"

cmake --preset release >/dev/null
cmake --build --preset release -j "${KIOSK_JOBS:-2}" --target kiosk kiosk-hq bare_window >/dev/null
kiosk_bin="$PWD/build/release/kiosk/app/kiosk"
hq_bin="$PWD/build/release/sync/hq/kiosk-hq"
bare_bin="$PWD/build/release/bench/bare_window"

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# A real setup: HQ with the demo store, an enrolled kiosk with the demo feed, sync running.
"$hq_bin" store add --db "$work/hq.sqlite" --id downtown --name Downtown >/dev/null
"$hq_bin" mentions load --db "$work/hq.sqlite" --store downtown --file assets/demo/downtown.json >/dev/null
"$hq_bin" --db "$work/hq.sqlite" --listen 127.0.0.1:0 --port-file "$work/port" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
code=$("$hq_bin" enroll-code --db "$work/hq.sqlite" --store downtown)
"$kiosk_bin" --db "$work/kiosk.sqlite" enroll --hq "http://127.0.0.1:$(cat "$work/port")" --code "$code" >/dev/null
"$kiosk_bin" --db "$work/kiosk.sqlite" sync --once >/dev/null

Xvfb :77 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
export DISPLAY=:77 LIBGL_ALWAYS_SOFTWARE=1
sleep 1
# CPU time in nanoseconds over all threads (schedstat), fine enough to tell 0.3 % from zero.
cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%d\n", s}'; }

# measure NAME CMD...: prints "startup_ms idle_cpu_percent rss_mib" for one run
measure() {
  local log="$work/run.log"
  : >"$log"
  local start_ns
  start_ns=$(date +%s%N)
  KIOSK_TRACE_STARTUP=1 "$@" >"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 200); do grep -q first_frame_realtime_ns "$log" && break; sleep 0.05; done
  local first_ns
  first_ns=$(grep -o 'first_frame_realtime_ns=[0-9]*' "$log" | cut -d= -f2)
  sleep 2  # let start-up work (first sync, font atlas) finish before measuring idle
  local t0 t1
  t0=$(cpu_ns "$pid")
  sleep "$idle_seconds"
  t1=$(cpu_ns "$pid")
  local rss_kb
  rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  awk -v s="$start_ns" -v f="$first_ns" -v a="$t0" -v b="$t1" -v d="$idle_seconds" -v r="$rss_kb" \
    'BEGIN { printf "%.1f %.3f %.1f\n", (f - s) / 1e6, 100 * (b - a) / 1e9 / d, r / 1024 }'
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

for backend in sdl2 glfw; do
  : >"$work/bare" ; : >"$work/kiosk"
  for _ in $(seq "$runs"); do
    measure "$bare_bin" "$backend" >>"$work/bare"
    measure "$kiosk_bin" --db "$work/kiosk.sqlite" --backend "$backend" >>"$work/kiosk"
  done
  for who in bare kiosk; do
    eval "${who}_start=\$(cut -d' ' -f1 \"$work/$who\" | median)"
    eval "${who}_cpu=\$(cut -d' ' -f2 \"$work/$who\" | median)"
    eval "${who}_rss=\$(cut -d' ' -f3 \"$work/$who\" | median)"
  done
  echo "backend=$backend runs=$runs idle_window=${idle_seconds}s (medians; Xvfb + llvmpipe)"
  printf '  %-22s %10s %12s %10s\n' "" "first frame" "idle CPU" "RSS"
  printf '  %-22s %8s ms %10s %% %7s MiB\n' "baseline bare_window" "$bare_start" "$bare_cpu" "$bare_rss"
  printf '  %-22s %8s ms %10s %% %7s MiB\n' "kiosk (demo feed)" "$kiosk_start" "$kiosk_cpu" "$kiosk_rss"
  awk -v a="$kiosk_start" -v b="$bare_start" 'BEGIN { printf "  ratio kiosk/baseline first frame: %.2f\n", a / b }'
done
