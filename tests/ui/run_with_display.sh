#!/bin/sh
# Runs a UI test with a display: the current one if DISPLAY is set, else a private Xvfb.
# Software GL keeps results the same on every machine.
export LIBGL_ALWAYS_SOFTWARE=1
if [ -n "${DISPLAY:-}" ]; then
  exec "$@"
fi
# Each run starts looking for a free display at a number of its own: two runs that both took
# the first free number could share one Xvfb and lose it when the other run ends. -noreset:
# by default Xvfb resets when its last client leaves, and a window opened during that reset
# (the next backend, the next kiosk run of a test) fails with "Failed to open display".
exec xvfb-run -a -n $((100 + $$ % 20000)) -s "-screen 0 1280x800x24 -noreset" "$@"
