#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on a local Unix socket for the test suite and benchmarks.
# Prints the connection URL on stdout. Usage: scripts/pg-test-server.sh [DIR]
set -euo pipefail
dir=${1:-/tmp/lotline-pg}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ]; then
  echo "PostgreSQL is not installed: apt-get install -y postgresql" >&2
  exit 1
fi
run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
if [ ! -f "$dir/data/PG_VERSION" ]; then
  rm -rf "$dir"; mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  run "'$bin/initdb' -D '$dir/data' -A trust -U postgres -E UTF8 --locale=C.UTF-8" >&2
fi
if ! run "'$bin/pg_ctl' -D '$dir/data' status" >/dev/null 2>&1; then
  run "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -o \"-k $dir -c listen_addresses='' -c fsync=on -c max_connections=200 -c shared_buffers=256MB\" start" >&2
fi
echo "postgres://postgres@localhost/postgres?host=$dir"
