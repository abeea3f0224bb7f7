#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the tests: data and socket under DIR (in the build
# tree), unix socket only (no TCP port to collide with), trust authentication for the role
# "kiosk". Run by ctest as the setup of the "postgresql" fixture; stop_cluster.sh stops it.
# Tests reach it with KIOSK_TEST_PG_URL (tests/CMakeLists.txt), e.g.
#   postgresql:///postgres?host=DIR/run&port=5432&user=kiosk
# As root the server runs as the "postgres" user (PostgreSQL refuses to run as root).
set -euo pipefail
dir=$(realpath -m "${1:?usage: start_cluster.sh DIR}")
bin=${KIOSK_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ ! -x "$bin/initdb" ]; then
  echo "start_cluster: no PostgreSQL server found (install the Debian package postgresql," \
    "e.g. with scripts/setup.sh, or set KIOSK_PG_BIN to its bin folder)" >&2
  exit 1
fi

as_server() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A cluster left running by an interrupted run is stopped and thrown away.
if [ -f "$dir/data/postmaster.pid" ]; then
  as_server "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
fi
rm -rf "$dir"
mkdir -p "$dir/run"
if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$dir"; fi

socket="$dir/run/.s.PGSQL.5432"
if [ ${#socket} -gt 100 ]; then
  echo "start_cluster: the socket path $socket is too long for a unix socket;" \
    "use a shorter build folder" >&2
  exit 1
fi

as_server "$bin/initdb" -D "$dir/data" -U kiosk --auth=trust --locale=C.UTF-8 \
  --encoding=UTF8 >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  exit 1
}
# fsync off: the cluster is thrown away, and the tests should not wait for the disk.
as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
  -o "-c listen_addresses= -k $dir/run -p 5432 -c fsync=off -c max_connections=200" \
  start >/dev/null || {
  cat "$dir/server.log" >&2
  exit 1
}
echo "start_cluster: PostgreSQL is up at postgresql:///postgres?host=$dir/run&port=5432&user=kiosk"
