#!/usr/bin/env bash
# The read path (issue 16): starts a Release build of the app on a fresh SQLite database, signs one user in (the
# bench's `signin` command: Ed25519 registration and three purchases, so the wallet has history and orders), then runs
# wrk against each read endpoint in turn and prints req/s, p50, p99 and each one's ratio to /api/receipts/public-key,
# the framework's floor for a JSON endpoint. The load average is printed before every wrk run.
#
#   bench/run-reads.sh [--connections 64] [--seconds 8] [--threads 2]
#   APP_DIR=... BENCH_DIR=... bench/run-reads.sh     (already-built binaries, e.g. a copy of another branch's build)
#   URL=http://127.0.0.1:5000 bench/run-reads.sh     (an app that is already running; nothing is started)
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

connections=64 seconds=8 threads=2
while [ $# -gt 0 ]; do
  case "$1" in
    --connections) connections="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

app_dir="${APP_DIR:-$repo_root/Marketplace.Web/bin/Release/net10.0}"
bench_dir="${BENCH_DIR:-$repo_root/bench/Marketplace.Bench/bin/Release/net10.0}"
if [ -z "${BENCH_DIR:-}" ]; then dotnet build bench/Marketplace.Bench -c Release -v quiet -nologo >/dev/null; fi

if [ -z "${URL:-}" ]; then
  port="${PORT:-5098}"
  url="http://127.0.0.1:$port"
  data="$(mktemp -d)"
  if [ -z "${APP_DIR:-}" ]; then dotnet build Marketplace.Web -c Release -v quiet -nologo >/dev/null; fi
  # As bench/run-load.sh: Development for plain HTTP on loopback and the demo catalog, Warning logs, no sign-in limit.
  (cd Marketplace.Web && exec env ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning \
    RateLimits__AuthPerMinute=1000000 ConnectionStrings__Marketplace="Data Source=$data/marketplace.db" Storage__DataDirectory="$data" \
    ASPNETCORE_URLS="$url" dotnet "$app_dir/Marketplace.Web.dll" >"$data/app.log" 2>&1) &
  app=$!
  trap 'kill "$app" 2>/dev/null; wait "$app" 2>/dev/null; cp "$data/app.log" "${TMPDIR:-/tmp}/marketplace-reads-app.log" 2>/dev/null; rm -rf "$data"' EXIT
  for _ in $(seq 1 240); do
    curl -fs "$url/healthz" >/dev/null 2>&1 && break
    sleep 0.5
  done
else
  url="$URL"
fi

cookie="$(dotnet "$bench_dir/Marketplace.Bench.dll" signin "$url" | tail -n 1)"
# The catalog page's first script: /lib/htmx.min.js before issue 16; after it, the fingerprinted app bundle that
# includes htmx. Fetched as wrk does, without Accept-Encoding.
htmx="$(curl -fs "$url/" | grep -o '<script[^>]* src="[^"]*"' | head -n 1 | sed 's/.* src="//; s/"$//' || true)"
if [ -z "$htmx" ]; then echo "no script found on $url/" >&2; exit 1; fi

# An idle tab's header poll after issue 16: htmx's request with the ETag its browser cached (before it, no ETag).
etag="$(curl -fs -D - -o /dev/null -H "Cookie: $cookie" -H "HX-Request: true" "$url/Wallet/HeaderBalance" | tr -d '\r' | awk 'tolower($1) == "etag:" { print $2 }')"
poll_headers=(-H "HX-Request: true")
if [ -n "$etag" ]; then poll_headers+=(-H "If-None-Match: $etag"); fi

# name|path|signed in
endpoints=(
  "GET /healthz|/healthz|"
  "GET /api/receipts/public-key|/api/receipts/public-key|"
  "GET /api/auth/csrf (cookie)|/api/auth/csrf|1"
  "GET $htmx|$htmx|"
  "GET /api/wallet/balance|/api/wallet/balance|1"
  "GET /api/products?limit=20|/api/products?limit=20|"
  "GET / (catalog)|/|1"
  "GET /Wallet|/Wallet|1"
  "GET /Wallet/HeaderBalance (htmx poll${etag:+, If-None-Match})|/Wallet/HeaderBalance|1"
)

# wrk prints latencies as 812.00us, 4.51ms or 1.02s; in ms.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.1f", n }'; }

# Warm-up: JIT and EF's query cache are not what this measures.
for entry in "${endpoints[@]}"; do
  IFS='|' read -r _ path signed <<<"$entry"
  extra=(); if [ "$path" = /Wallet/HeaderBalance ]; then extra=("${poll_headers[@]}"); fi
  wrk -t1 -c4 -d1s ${signed:+-H "Cookie: $cookie"} "${extra[@]}" "$url$path" >/dev/null
done

echo "wrk -t$threads -c$connections -d${seconds}s against $url"
floor=""
rows=()
for entry in "${endpoints[@]}"; do
  IFS='|' read -r name path signed <<<"$entry"
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  extra=(); if [ "$path" = /Wallet/HeaderBalance ]; then extra=("${poll_headers[@]}"); fi
  out="$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency ${signed:+-H "Cookie: $cookie"} "${extra[@]}" "$url$path")"
  rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")"
  p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")"
  p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")"
  bad="$(awk '/Non-2xx/ { print $NF }' <<<"$out")"
  if [ "$path" = "/api/receipts/public-key" ]; then floor="$rps"; fi
  rows+=("$name|$rps|$p50|$p99|$load|$bad")
done

printf '| %-44s | %7s | %8s | %8s | %5s | %s\n' endpoint "req/s" p50 p99 ratio "loadavg before"
printf '| %-44s | %7s | %8s | %8s | %5s | %s\n' --- ---: ---: ---: ---: ---
for row in "${rows[@]}"; do
  IFS='|' read -r name rps p50 p99 load bad <<<"$row"
  ratio="$(awk -v r="$rps" -v f="$floor" 'BEGIN { printf "%.2f", r / f }')"
  printf '| %-44s | %7s | %8s | %8s | %5s | %s%s\n' "$name" "$rps" "$p50 ms" "$p99 ms" "$ratio" "$load" "${bad:+ (non-2xx: $bad)}"
done
