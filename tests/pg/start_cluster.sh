#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the tests: its data under DIR (in the build tree),
# its unix socket in SOCKET_DIR (short, and reachable whatever the build tree's permissions),
# no TCP port to collide with, trust authentication for the role "kiosk". Run by ctest as the
# setup of the "postgresql" fixture; stop_cluster.sh stops it. Tests reach it with
# KIOSK_TEST_PG_URL (tests/CMakeLists.txt):
#   postgresql:///postgres?host=SOCKET_DIR&port=5432&user=kiosk
# As root the server runs as the "postgres" user (PostgreSQL refuses to run as root); if that
# user cannot reach DIR (a build tree under /root, say), the data goes to SOCKET_DIR too.
set -euo pipefail
dir=$(realpath -m "${1:?usage: start_cluster.sh DIR SOCKET_DIR}")
run=$(realpath -m "${2:?usage: start_cluster.sh DIR SOCKET_DIR}")
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
"$(dirname "$0")/stop_cluster.sh" "$dir" "$run"
mkdir -p "$dir" "$run"
data="$dir/data"
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$dir" "$run"
  if ! runuser -u postgres -- test -w "$dir"; then data="$run/data"; fi
fi
socket="$run/.s.PGSQL.5432"
if [ ${#socket} -gt 100 ]; then
  echo "start_cluster: the socket path $socket is too long for a unix socket" >&2
  exit 1
fi

as_server "$bin/initdb" -D "$data" -U kiosk --auth=trust --locale=C.UTF-8 \
  --encoding=UTF8 >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  exit 1
}
echo "$data" >"$dir/data-dir"
# fsync off: the cluster is thrown away, and the tests should not wait for the disk.
as_server "$bin/pg_ctl" -D "$data" -l "$run/server.log" -w -t 30 \
  -o "-c listen_addresses= -k $run -p 5432 -c fsync=off -c max_connections=200" \
  start >/dev/null || {
  cat "$run/server.log" >&2
  exit 1
}
echo "start_cluster: PostgreSQL is up at postgresql:///postgres?host=$run&port=5432&user=kiosk" \
  "(data in $data)"
