#!/usr/bin/env bash
# Starts a Release build of the app on a fresh SQLite database in a temp folder, runs the load bench against it,
# and stops it. The bench itself starts nothing: `load <url>` works against any running app.
#
#   bench/run-load.sh [--clients 64] [--seconds 10]      (extra arguments go to the load command)
#   DATABASE=/path/to/grown.db bench/run-load.sh         (run against an existing database, e.g. a pre-grown ledger)
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
port="${PORT:-5099}"
data="$(mktemp -d)"
database="${DATABASE:-$data/marketplace.db}"

dotnet build Marketplace.Web -c Release -v quiet -nologo >/dev/null
dotnet build bench/Marketplace.Bench -c Release -v quiet -nologo >/dev/null

# Development: plain HTTP on loopback and the demo catalog; Warning logs so the console is not the bottleneck;
# the sign-in rate limit lifted because every bench user registers from the same address.
(cd Marketplace.Web && exec env ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning \
  RateLimits__AuthPerMinute=1000000 ConnectionStrings__Marketplace="Data Source=$database" Storage__DataDirectory="$data" \
  ASPNETCORE_URLS="http://127.0.0.1:$port" dotnet bin/Release/net10.0/Marketplace.Web.dll >"$data/app.log" 2>&1) &
app=$!
trap 'kill "$app" 2>/dev/null; wait "$app" 2>/dev/null; rm -rf "$data"' EXIT

for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet bench/Marketplace.Bench/bin/Release/net10.0/Marketplace.Bench.dll load "http://127.0.0.1:$port" "$@"
