#!/usr/bin/env bash
# Stops the throwaway cluster start_cluster.sh started in DIR and removes it.
set -euo pipefail
dir=${1:?usage: stop_cluster.sh DIR}
bin=${KIOSK_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ -f "$dir/data/postmaster.pid" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null
  else
    "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null
  fi
fi
rm -rf "$dir"
