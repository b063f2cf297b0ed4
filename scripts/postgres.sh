#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, on a free loopback port, in a temp directory.
#
#   eval "$(scripts/postgres.sh start)"   starts one and exports TEST_POSTGRES_CONNECTION and TEST_POSTGRES_DIR
#   scripts/postgres.sh stop [dir]        stops it and deletes its directory (default: $TEST_POSTGRES_DIR)
#
# Installs Debian's postgresql when initdb is missing. initdb and postgres refuse to run as root, so as root they run
# as the postgres system user. Everything but the two export lines goes to stderr.
set -euo pipefail

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

pg_bin() {
  local found
  found="$(command -v initdb 2>/dev/null || true)"
  if [ -z "$found" ]; then
    found="$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)"
  fi
  if [ -n "$found" ]; then dirname "$found"; fi
}

# Runs a server binary as the user that owns the cluster: postgres when we are root, ourselves otherwise.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local bin
  bin="$(pg_bin)"
  if [ -z "$bin" ]; then
    echo "installing Debian postgresql" >&2
    as_root apt-get update >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
    bin="$(pg_bin)"
  fi
  if [ -z "$bin" ]; then
    echo "initdb not found after installing postgresql" >&2
    exit 1
  fi

  local dir port
  dir="$(mktemp -d "${TMPDIR:-/tmp}/marketplace-pg.XXXXXX")"
  # mktemp makes the folder 0700; the server user must reach the cluster inside it, and so must its socket.
  chmod 0755 "$dir"
  mkdir -p "$dir/data" "$dir/run"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$dir/data" "$dir/run"
  fi

  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }

  # Ports can be taken between the probe and the bind; try a few.
  local attempt
  for attempt in 1 2 3 4 5; do
    port="$(free_port)"
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir/run -c fsync=on -c max_connections=400 -c shared_buffers=128MB" >&2; then
      break
    fi
    if [ "$attempt" -eq 5 ]; then
      cat "$dir/data/server.log" >&2 || true
      exit 1
    fi
  done

  echo "export TEST_POSTGRES_DIR='$dir'"
  echo "export TEST_POSTGRES_CONNECTION='Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres'"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, cluster in $dir" >&2
}

stop() {
  local dir="${1:-${TEST_POSTGRES_DIR:-}}"
  if [ -z "$dir" ] || [ ! -d "$dir" ]; then
    echo "no cluster to stop" >&2
    return 0
  fi
  local bin
  bin="$(pg_bin)"
  if [ -f "$dir/data/postmaster.pid" ] && [ -n "$bin" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: $0 start | stop [dir]" >&2; exit 2 ;;
esac
