#!/usr/bin/env bash
# Stops the throwaway cluster start_cluster.sh started (same DIR and SOCKET_DIR) and removes
# it. Immediate mode: nothing in it is kept, so there is no point in a shutdown checkpoint.
set -euo pipefail
dir=$(realpath -m "${1:?usage: stop_cluster.sh DIR SOCKET_DIR}")
run=$(realpath -m "${2:?usage: stop_cluster.sh DIR SOCKET_DIR}")
bin=${KIOSK_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
for data in "$dir/data" "$run/data"; do
  if [ -f "$data/postmaster.pid" ]; then
    if [ "$(id -u)" -eq 0 ]; then
      runuser -u postgres -- "$bin/pg_ctl" -D "$data" -m immediate stop >/dev/null || true
    else
      "$bin/pg_ctl" -D "$data" -m immediate stop >/dev/null || true
    fi
  fi
done
rm -rf "$dir" "$run"
