#!/bin/sh
# Runs a UI test with a display: the current one if DISPLAY is set, else a private Xvfb.
# Software GL keeps results the same on every machine.
export LIBGL_ALWAYS_SOFTWARE=1
if [ -n "${DISPLAY:-}" ]; then
  exec "$@"
fi
exec xvfb-run -a -s "-screen 0 1280x800x24" "$@"
