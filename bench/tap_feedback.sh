#!/usr/bin/env bash
# Tap to visible feedback: how long after a finger touches the screen (and lifts) the frame
# that shows it is on screen, for the kiosk and for Debian's own ImGui example, in the same
# run under Xvfb with Mesa's software renderer. Prints medians and ratios; figures, not
# assertions (docs/performance.md, "tap to visible feedback").
#
#   bash bench/tap_feedback.sh [TAPS=30]
#
# Input is real X pointer events through XTEST (bench/x_tap: press, then release 150 ms
# later), timed from just before each event is handed to the X server (its request returns
# within a millisecond, and the window may already be reading the event by then). Both
# programs print a line per frame (KIOSK_TRACE_FRAMES / BENCH_TRACE_FRAMES): its number, when
# it began (what input it could read), the wall time just after its buffer swap and a checksum
# of what it drew (platform/draw_checksum.h).
#   kiosk    `kiosk --no-sync` on 100,000 mentions; taps alternate between the Training and
#            the Feed tab. It draws nothing while idle, so the frame that changed is found by
#            its checksum: "first" is the first frame begun after the event that drew
#            something else, "last" the last one that still changed before the next event or
#            300 ms (the tapped screen complete). "frame N" counts frames begun after the
#            event (1 = the next frame).
#   example  example_{glfw,sdl}_opengl3; taps on its "Button". Its loop polls and redraws its
#            frame-rate line every frame, so a checksum cannot tell its feedback apart: its
#            feedback is its first frame begun after the event, the one that reads the input.
set -euo pipefail
cd "$(dirname "$0")/.."
taps="${1:-30}"

cmake --preset release >/dev/null
cmake --build --preset release -j "${KIOSK_JOBS:-1}" \
  --target kiosk make_feed_db x_tap example_glfw_opengl3 example_sdl_opengl3 >/dev/null
rel="$PWD/build/release"

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

"$rel/bench/make_feed_db" "$work/feed100k.sqlite" 100000 >/dev/null

display=":${BENCH_DISPLAY:-79}"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
export DISPLAY="$display" LIBGL_ALWAYS_SOFTWARE=1
sleep 1

# run NAME X1 Y1 X2 Y2 CMD...: starts CMD with frame tracing, taps alternately at (X1,Y1) and
# (X2,Y2) $taps times; writes $work/NAME.frames and $work/NAME.events ("down|up T_NS")
run() {
  local name=$1 x1=$2 y1=$3 x2=$4 y2=$5
  shift 5
  local log="$work/$name.frames" events="$work/$name.events"
  (cd "$work" && KIOSK_TRACE_STARTUP=1 KIOSK_TRACE_FRAMES=1 BENCH_TRACE_FRAMES=1 exec "$@") \
    >"$log" 2>"$work/$name.stderr" &
  local pid=$!
  for _ in $(seq 400); do grep -q first_frame_realtime_ns "$log" && break; sleep 0.025; done
  sleep 2  # start-up work settles
  "$rel/bench/x_tap" "$taps" "$x1" "$y1" "$x2" "$y2" >"$events"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# feedback NAME KIND: per event of KIND, "first_ms first_frames settled_ms settled_frames".
# A frame that began before the event could not read it: the reference is the last of those.
# first: the first frame after it that drew something else; settled: the last frame begun
# within 300 ms (and before the next event) that still changed (the tapped screen complete). Frames count from the reference
# (1 = the next frame). The example (polling, its frame-rate line changes every frame) gets
# its first frame begun after the event for both.
feedback() {
  awk -v kind="$2" -v polled="$([[ $1 == example* ]] && echo 1 || echo 0)" '
    FNR == NR { all[++na] = $2; if ($1 == kind) { ev[++ne] = $2; nx[ne] = na + 1 } next }
    /^frame=/ {
      ++nf
      for (f = 1; f <= NF; ++f) { split($f, kv, "="); v[kv[1]] = kv[2] }
      t[nf] = v["t_ns"]; h[nf] = v["draw"]; b[nf] = v["began_ns"]
    }
    END {
      for (e = 1; e <= ne; ++e) {
        te = ev[e]; ref = 0
        end = te + 300e6
        if (nx[e] <= na && all[nx[e]] < end) end = all[nx[e]]
        for (i = 1; i <= nf && b[i] < te; ++i) ref = i
        first = 0; settled = 0
        for (i = ref + 1; i <= nf && b[i] < end; ++i) {
          if (polled) { first = i; settled = i; break }
          if (h[i] != h[i - 1]) { if (!first) first = i; settled = i }
        }
        if (first)
          printf "%.2f %d %.2f %d\n", (t[first] - te) / 1e6, first - ref, (t[settled] - te) / 1e6, settled - ref
        else print "- - - -"
      }
    }' "$work/$1.events" "$work/$1.frames"
}

median() { grep -v '^-$' | sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
p90() { grep -v '^-$' | sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "n/a"; else print a[int((NR * 9 + 9) / 10)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'; }
missed() { grep -c '^- ' || true; }
largest() { grep -v '^-$' | sort -n | tail -1; }

# The kiosk's bottom tabs (Feed, Escalations, Training) share the window's width in thirds.
for backend in glfw sdl2; do
  run "example_$backend" 68 246 68 246 "$rel/bench/example_${backend/sdl2/sdl}_opengl3"
  run "kiosk_$backend" 1054 676 225 676 \
    "$rel/kiosk/app/kiosk" --db "$work/feed100k.sqlite" --backend "$backend" --no-sync
done

echo "taps=$taps (medians, p90 in brackets; Xvfb 1280x800 + llvmpipe; kiosk on 100,000 mentions)"
stat() { cut -d' ' -f"$2" "$work/$1" | "$3"; }
for backend in glfw sdl2; do
  echo "backend=$backend"
  for kind in down up; do
    feedback "example_$backend" "$kind" >"$work/ex"
    feedback "kiosk_$backend" "$kind" >"$work/k"
    label=$([ "$kind" = down ] && echo "finger down" || echo "finger up")
    em=$(stat ex 1 median)
    printf '  %-46s %8s ms [%s]\n' "example: $label, its next frame" "$em" "$(stat ex 1 p90)"
    printf '  %-46s %8s ms [%s] %s; frame %s (at most %s); %s taps: no change\n' \
      "kiosk: $label, first frame that shows it" "$(stat k 1 median)" "$(stat k 1 p90)" \
      "$(ratio "$(stat k 1 median)" "$em")" "$(stat k 2 median)" "$(stat k 2 largest)" \
      "$(missed <"$work/k")"
    printf '  %-46s %8s ms [%s] %s; frame %s (at most %s)\n' \
      "kiosk: $label, last frame that changed" "$(stat k 3 median)" "$(stat k 3 p90)" \
      "$(ratio "$(stat k 3 median)" "$em")" "$(stat k 4 median)" "$(stat k 4 largest)"
  done
done
