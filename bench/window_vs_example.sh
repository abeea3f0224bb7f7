#!/usr/bin/env bash
# The kiosk window against Debian's own Dear ImGui examples (example_glfw_opengl3 and
# example_sdl_opengl3 from libimgui-dev, built by bench/CMakeLists.txt), in the same
# interleaved runs, under Xvfb with Mesa's software renderer. Prints medians and ratios.
# Figures, not assertions: see docs/performance.md for what they mean and the targets.
#
#   bash bench/window_vs_example.sh [RUNS=3] [IDLE_SECONDS=30]
#
# Per run and backend:
#   example   cold start to first frame, RSS 2 s after it (its loop polls, so its idle CPU
#             is a busy loop and is shown once over 5 s for reference only)
#   kiosk     the same for `kiosk --no-sync` on a database of 100,000 mentions whose labels
#             read in days (nothing on screen changes), then CPU over IDLE_SECONDS, then a
#             drag of the scrollbar from the top of the feed to its end in SCROLL_STEPS moves:
#             CPU per drawn frame, and RSS after the whole feed went past
# and once per run on SDL2: CPU over IDLE_SECONDS with recent mentions on screen ("N min ago"
# labels change: a countdown on screen), and the same scrollbar drag over 1,000 mentions.
# CPU comes from /proc/PID/task/*/schedstat (nanoseconds on a CPU, all threads).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
idle_seconds="${2:-30}"
scroll_steps="${SCROLL_STEPS:-200}"

cmake --preset release >/dev/null
cmake --build --preset release -j "${KIOSK_JOBS:-1}" \
  --target kiosk make_feed_db example_glfw_opengl3 example_sdl_opengl3 >/dev/null
rel="$PWD/build/release"
kiosk_bin="$rel/kiosk/app/kiosk"

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

"$rel/bench/make_feed_db" "$work/feed100k.sqlite" 100000 >/dev/null
"$rel/bench/make_feed_db" "$work/recent100k.sqlite" 100000 --recent >/dev/null
"$rel/bench/make_feed_db" "$work/feed1k.sqlite" 1000 >/dev/null

display=":${BENCH_DISPLAY:-78}"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
export DISPLAY="$display" LIBGL_ALWAYS_SOFTWARE=1
sleep 1

cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%d\n", s}'; }
rss_mib() { awk '/VmRSS/ {printf "%.1f\n", $2 / 1024}' "/proc/$1/status"; }
frames() { grep -c '^frame=' "$1" || true; }

# start CMD...: launches with tracing, waits for the first frame; sets $pid, $log, $start_ms
# (wall time from just before exec) and $start_cpu_ms (CPU time of all its threads by then)
start() {
  log="$work/run.log"
  : >"$log"
  local t0
  t0=$(date +%s%N)
  # From the scratch folder: the example writes imgui.ini where it runs.
  (cd "$work" && KIOSK_TRACE_STARTUP=1 KIOSK_TRACE_FRAMES=1 exec "$@") >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 400); do grep -q first_frame_realtime_ns "$log" && break; sleep 0.025; done
  local t1
  t1=$(grep -o 'first_frame_realtime_ns=[0-9]*' "$log" | head -1 | cut -d= -f2)
  start_ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')
  start_cpu_ms=$(grep -o 'first_frame_cpu_us=[0-9]*' "$log" | head -1 | cut -d= -f2 | awk '{ printf "%.1f", $1 / 1000 }')
  sleep 2  # start-up work settles
}
stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }

# idle SECONDS: percent of one core used by $pid over SECONDS
idle() {
  local a b
  a=$(cpu_ns "$pid"); sleep "$1"; b=$(cpu_ns "$pid")
  awk -v a="$a" -v b="$b" -v d="$1" 'BEGIN { printf "%.3f", 100 * (b - a) / (d * 1e9) }'
}

# scroll: drags the feed's scrollbar from top to bottom; prints "ms_cpu_per_frame frames"
scroll() {
  local x=1245 top=90 bottom=700
  xdotool mousemove "$x" "$top"; sleep 0.3
  local f0 a
  f0=$(frames "$log"); a=$(cpu_ns "$pid")
  xdotool mousedown 1
  for i in $(seq "$scroll_steps"); do
    xdotool mousemove "$x" $((top + (bottom - top) * i / scroll_steps))
    sleep 0.02
  done
  xdotool mouseup 1
  sleep 0.5
  local f1 b
  f1=$(frames "$log"); b=$(cpu_ns "$pid")
  awk -v a="$a" -v b="$b" -v n=$((f1 - f0)) 'BEGIN { printf "%.3f %d", (n > 0 ? (b - a) / 1e6 / n : 0), n }'
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'; }
col() { cut -d' ' -f"$2" "$work/$1" | grep -v '^-$' | median; }

for r in $(seq "$runs"); do
  for backend in glfw sdl2; do
    example="$rel/bench/example_${backend/sdl2/sdl}_opengl3"
    start "$example"
    ex_rss=$(rss_mib "$pid")
    ex_idle=-
    [ "$r" = 1 ] && ex_idle=$(idle 5)
    stop
    echo "$start_ms $start_cpu_ms $ex_rss $ex_idle" >>"$work/example_$backend"

    start "$kiosk_bin" --db "$work/feed100k.sqlite" --backend "$backend" --no-sync
    k_rss=$(rss_mib "$pid")
    k_idle=$(idle "$idle_seconds")
    k_scroll=$(scroll)
    k_rss2=$(rss_mib "$pid")
    stop
    echo "$start_ms $start_cpu_ms $k_rss $k_idle $k_scroll $k_rss2" >>"$work/kiosk_$backend"
  done
  start "$kiosk_bin" --db "$work/recent100k.sqlite" --backend sdl2 --no-sync
  echo "$(idle "$idle_seconds")" >>"$work/countdown"
  stop
  start "$kiosk_bin" --db "$work/feed1k.sqlite" --backend sdl2 --no-sync
  echo "$(scroll)" >>"$work/scroll1k"
  stop
done

echo "runs=$runs idle=${idle_seconds}s scroll_steps=$scroll_steps (medians; Xvfb + llvmpipe; 100,000 mentions)"
for backend in glfw sdl2; do
  es=$(col "example_$backend" 1); ec=$(col "example_$backend" 2)
  er=$(col "example_$backend" 3); ei=$(col "example_$backend" 4)
  ks=$(col "kiosk_$backend" 1); kc=$(col "kiosk_$backend" 2); kr=$(col "kiosk_$backend" 3)
  ki=$(col "kiosk_$backend" 4); kf=$(col "kiosk_$backend" 5); kn=$(col "kiosk_$backend" 6)
  kr2=$(col "kiosk_$backend" 7)
  echo "backend=$backend"
  printf '  %-40s %11s  %s\n' "example first frame, wall" "$es ms" ""
  printf '  %-40s %11s  %s\n' "kiosk first frame, wall" "$ks ms" "$(ratio "$ks" "$es") (target 1.2x)"
  printf '  %-40s %11s  %s\n' "example first frame, CPU" "$ec ms" ""
  printf '  %-40s %11s  %s\n' "kiosk first frame, CPU" "$kc ms" "$(ratio "$kc" "$ec")"
  printf '  %-40s %11s  %s\n' "example RSS after start" "$er MiB" ""
  printf '  %-40s %11s  %s\n' "kiosk RSS after start" "$kr MiB" "$(ratio "$kr" "$er") (target 1.3x)"
  printf '  %-40s %11s  %s\n' "kiosk RSS after scrolling the whole feed" "$kr2 MiB" "$(ratio "$kr2" "$er") (target 1.3x)"
  printf '  %-40s %11s  %s\n' "example CPU, its polling loop, 5 s" "$ei %" "(busy loop, reference)"
  printf '  %-40s %11s  %s\n' "kiosk idle CPU, nothing ticking" "$ki %" "(target 0.00 %)"
  printf '  %-40s %11s  %s\n' "kiosk CPU per frame, scrolling" "$kf ms" "($kn frames)"
done
cd_=$(median <"$work/countdown")
s1f=$(col scroll1k 1); s1n=$(col scroll1k 2)
s100f=$(col kiosk_sdl2 5)
echo "sdl2"
printf '  %-40s %11s  %s\n' "kiosk idle CPU, countdown on screen" "$cd_ %" "(target <= 0.3 %)"
printf '  %-40s %11s  %s\n' "CPU per frame scrolling 1,000" "$s1f ms" "($s1n frames)"
printf '  %-40s %11s  %s\n' "CPU per frame scrolling 100,000" "$s100f ms" "$(ratio "$s100f" "$s1f") of 1,000 (target flat)"
