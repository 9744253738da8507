#!/usr/bin/env bash
# A throwaway PostgreSQL server on 127.0.0.1 for HQ's tests and benchmarks
# (Debian's postgresql package, installed by scripts/setup.sh).
#   scripts/postgres.sh start   → prints the admin URL (postgres://postgres@127.0.0.1:PORT/postgres)
#   scripts/postgres.sh stop
# The cluster lives in /tmp (the server's own account must be able to reach
# it) and trusts local connections only: it holds test data, nothing else.
set -euo pipefail
# Below Linux's ephemeral range (32768–60999): a port in it can be taken for a
# moment by any outgoing connection (a CI run failed so: "Address already in use").
PORT=${XUNCHA_PG_PORT:-25432}
DIR=${XUNCHA_PG_DIR:-/tmp/xuncha-pg-$PORT}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$BIN" ] || { echo "PostgreSQL is not installed (run scripts/setup.sh)" >&2; exit 1; }

# The server refuses to run as root: use its own account then.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
      rm -rf "$DIR"
      mkdir -p "$DIR"
      [ "$(id -u)" -ne 0 ] || chown postgres: "$DIR"
      as_pg "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --no-locale --no-instructions >"$DIR/initdb.log"
      as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
        -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
    fi
    echo "postgres://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    if [ -d "$DIR/data" ]; then as_pg "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null || true; fi
    rm -rf "$DIR"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
