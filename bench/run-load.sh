#!/usr/bin/env bash
# Starts a Release build of the app on a fresh SQLite database in a temp folder, runs the load bench against it,
# and stops it. The bench itself starts nothing: `load <url>` works against any running app.
#
#   bench/run-load.sh [--clients 64] [--seconds 10]      (extra arguments go to the load command)
#   bench/run-load.sh --ledger-size 1000000 [...]        (grow the fresh database's ledger to that many entries first:
#                                                         users, payments, orders, holds, the hash chain, the Merkle tree)
#   DATABASE=/path/to/grown.db bench/run-load.sh         (run against an existing database, e.g. a pre-grown ledger)
#   APP_DIR=... BENCH_DIR=... bench/run-load.sh          (run already-built binaries, e.g. a copy of another branch's
#                                                         bin/Release/net10.0, instead of building this checkout)
#   bench/run-load.sh --postgres [--instances 2]         (a throwaway PostgreSQL cluster from scripts/postgres.sh instead
#                                                         of SQLite; with two instances, nginx round-robins between them)
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
port="${PORT:-5099}"
data="$(mktemp -d)"
database="${DATABASE:-$data/marketplace.db}"

ledger_size=""
postgres=""
instances=1
load_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --ledger-size) ledger_size="$2"; shift 2 ;;
    --postgres) postgres=1; shift ;;
    --instances) instances="$2"; shift 2 ;;
    *) load_args+=("$1"); shift ;;
  esac
done

app_dir="${APP_DIR:-$repo_root/Marketplace.Web/bin/Release/net10.0}"
bench_dir="${BENCH_DIR:-$repo_root/bench/Marketplace.Bench/bin/Release/net10.0}"
if [ -z "${APP_DIR:-}" ]; then dotnet build Marketplace.Web -c Release -v quiet -nologo >/dev/null; fi
if [ -z "${BENCH_DIR:-}" ]; then dotnet build bench/Marketplace.Bench -c Release -v quiet -nologo >/dev/null; fi

if [ -n "$ledger_size" ]; then
  if [ -n "${DATABASE:-}" ]; then echo "--ledger-size grows a fresh database; leave DATABASE unset" >&2; exit 2; fi
  dotnet "$bench_dir/Marketplace.Bench.dll" grow "$ledger_size" --database "$database"
fi

if [ -n "$postgres" ]; then
  if [ -n "$ledger_size" ] || [ -n "${DATABASE:-}" ]; then echo "--postgres starts from an empty database" >&2; exit 2; fi
  eval "$(scripts/postgres.sh start)"
  # The throwaway cluster's own database: the app migrates it (it does not create databases).
  connection="$TEST_POSTGRES_CONNECTION"
  provider=Postgres
else
  if [ "$instances" -ne 1 ]; then echo "--instances needs --postgres" >&2; exit 2; fi
  connection="Data Source=$database"
  provider=Sqlite
fi

apps=()
stop_all() {
  for pid in "${apps[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  apps=()
  if [ -f "$data/nginx.pid" ]; then kill "$(cat "$data/nginx.pid")" 2>/dev/null || true; fi
  if [ -n "$postgres" ]; then scripts/postgres.sh stop >/dev/null 2>&1 || true; fi
}
trap 'stop_all; cp "$data"/app*.log "${TMPDIR:-/tmp}/" 2>/dev/null; rm -rf "$data"' EXIT

# Development: plain HTTP on loopback and the demo catalog; Warning logs so the console is not the bottleneck;
# the sign-in rate limit lifted because every bench user registers from the same address.
start_app() { # $1 = instance number, $2 = port
  (cd Marketplace.Web && exec env ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning Logging__LogLevel__Marketplace.Core.Ledger.LedgerWriter=Information \
    RateLimits__AuthPerMinute=1000000 Database__Provider="$provider" ConnectionStrings__Marketplace="$connection" Storage__DataDirectory="$data" \
    ASPNETCORE_URLS="http://127.0.0.1:$2" dotnet "$app_dir/Marketplace.Web.dll" >"$data/app$1.log" 2>&1) &
  apps+=("$!")
  for _ in $(seq 1 240); do
    curl -fs "http://127.0.0.1:$2/healthz" >/dev/null 2>&1 && return
    sleep 0.5
  done
  echo "instance $1 did not start; its log: $data/app$1.log" >&2
  cat "$data/app$1.log" >&2
  exit 1
}

# One after the other: the first migrates and seeds, the second finds it done.
for i in $(seq 1 "$instances"); do start_app "$i" $((port + i)); done
if [ "$instances" -eq 1 ]; then
  target="http://127.0.0.1:$((port + 1))"
else
  upstreams=""
  for i in $(seq 1 "$instances"); do upstreams="$upstreams server 127.0.0.1:$((port + i));"; done
  cat >"$data/nginx.conf" <<CONF
worker_processes 1;
pid $data/nginx.pid;
error_log $data/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $data/nginx-body;
  proxy_temp_path $data/nginx-proxy;
  upstream marketplace { $upstreams keepalive 64; }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://marketplace;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      # With its port: a signed intent names the origin it was signed for (its audience).
      proxy_set_header Host \$http_host;
    }
  }
}
CONF
  nginx -c "$data/nginx.conf" -p "$data"
  target="http://127.0.0.1:$port"
fi

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "database: $provider, instances: $instances, target: $target"
dotnet "$bench_dir/Marketplace.Bench.dll" load "$target" "${load_args[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
# The writer logs where its time went when the app stops (the app from main has no writer and logs nothing).
for pid in "${apps[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; done
apps=()
grep -ho 'Ledger writer stopped.*' "$data"/app*.log || true
