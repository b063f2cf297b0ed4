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
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
port="${PORT:-5099}"
data="$(mktemp -d)"
database="${DATABASE:-$data/marketplace.db}"

ledger_size=""
load_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --ledger-size) ledger_size="$2"; shift 2 ;;
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

# Development: plain HTTP on loopback and the demo catalog; Warning logs so the console is not the bottleneck;
# the sign-in rate limit lifted because every bench user registers from the same address.
(cd Marketplace.Web && exec env ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning Logging__LogLevel__Marketplace.Core.Ledger.LedgerWriter=Information \
  RateLimits__AuthPerMinute=1000000 ConnectionStrings__Marketplace="Data Source=$database" Storage__DataDirectory="$data" \
  ASPNETCORE_URLS="http://127.0.0.1:$port" dotnet "$app_dir/Marketplace.Web.dll" >"$data/app.log" 2>&1) &
app=$!
trap 'kill "$app" 2>/dev/null; wait "$app" 2>/dev/null; cp "$data/app.log" "${TMPDIR:-/tmp}/marketplace-load-app.log" 2>/dev/null; rm -rf "$data"' EXIT

for _ in $(seq 1 240); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet "$bench_dir/Marketplace.Bench.dll" load "http://127.0.0.1:$port" "${load_args[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
# The writer logs where its time went when the app stops (the app from main has no writer and logs nothing).
kill "$app" 2>/dev/null; wait "$app" 2>/dev/null || true
grep -o 'Ledger writer stopped.*' "$data/app.log" || true
