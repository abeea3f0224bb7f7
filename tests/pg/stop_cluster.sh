#!/usr/bin/env bash
# Stops the throwaway cluster start_cluster.sh started in DIR and removes it. Immediate mode:
# nothing in it is kept, so there is no point in a shutdown checkpoint.
set -euo pipefail
dir=$(realpath -m "${1:?usage: stop_cluster.sh DIR}")
bin=${KIOSK_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ -f "$dir/data/postmaster.pid" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null
  else
    "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null
  fi
fi
rm -rf "$dir"
