#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests (CI and developers alike).
#   scripts/pg-test-cluster.sh start [dir] [port]   prints the postgresql:// URL on stdout
#   scripts/pg-test-cluster.sh stop  [dir]          stops it and deletes the folder
# As root (CI), the cluster runs as the unprivileged user pgtest, since PostgreSQL refuses root.
# Trust authentication on a Unix socket and 127.0.0.1 only: never use this for real data.
set -euo pipefail
cmd=${1:-}
dir=${2:-/tmp/gridline-pg}
port=${3:-5433}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
[ -n "$bindir" ] && export PATH="$bindir:$PATH"

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    id pgtest >/dev/null 2>&1 || useradd -m pgtest
    su pgtest -s /bin/bash -c "PATH='$PATH' $*"
  else
    bash -c "$*"
  fi
}

case "$cmd" in
  start)
    if [ ! -f "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"
      [ "$(id -u)" = 0 ] && { id pgtest >/dev/null 2>&1 || useradd -m pgtest; chown pgtest "$dir"; }
      as_owner "initdb -D '$dir' -U postgres --auth=trust --locale=C.UTF-8 --encoding=UTF8" >/dev/null
    fi
    if ! as_owner "pg_ctl -D '$dir' status" >/dev/null 2>&1; then
      # fsync off: the cluster is thrown away, and the 2-core CI machine is slow enough.
      as_owner "pg_ctl -D '$dir' -w -l '$dir/log' -o \"-p $port -k '$dir' -h 127.0.0.1 -c fsync=off -c max_connections=200\" start" >/dev/null
    fi
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_owner "pg_ctl -D '$dir' -w -m fast stop" >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop [dir] [port]" >&2
    exit 2
    ;;
esac
