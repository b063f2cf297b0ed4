#!/usr/bin/env bash
# Two builds side by side (issue 16): starts both on fresh databases at once, signs one user in on each, then for every
# endpoint alternates short wrk bursts between them (A, B, A, B, ...) and sums each app's CPU time (user + system from
# /proc/<pid>/stat) over its bursts. On a shared machine the load drifts by the minute; interleaving bursts of a few
# seconds gives both builds the same drift, so the CPU ms per request of A and B compare where separate runs do not.
#
#   A_DIR=<bin/Release/net10.0> B_DIR=<bin/Release/net10.0> bench/compare-reads.sh [--rounds 5] [--seconds 3] [--connections 16]
#   BENCH_DIR=... (the bench's build; default this checkout's)   ONLY='products|catalog' (rows whose name matches)
#   A_ENV='DOTNET_gcServer=0' (extra environment for A or B: the same build twice with two runtime settings)
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

rounds=5 seconds=3 connections=16
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
: "${A_DIR:?A_DIR=<bin/Release/net10.0 of build A>}" "${B_DIR:?B_DIR=<bin/Release/net10.0 of build B>}"
bench_dir="${BENCH_DIR:-$repo_root/bench/Marketplace.Bench/bin/Release/net10.0}"

data="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$data"; }
trap cleanup EXIT

# As run-reads.sh: Development for plain HTTP and the demo catalog, Warning logs, no sign-in limit. Started with exec so
# the pid is the dotnet process itself.
start() { # name dir port extra-env
  mkdir -p "$data/$1"
  # shellcheck disable=SC2086 # extra-env is a list of NAME=value words
  (cd Marketplace.Web && exec env $4 ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning \
    RateLimits__AuthPerMinute=1000000 ConnectionStrings__Marketplace="Data Source=$data/$1/marketplace.db" Storage__DataDirectory="$data/$1" \
    ASPNETCORE_URLS="http://127.0.0.1:$3" dotnet "$2/Marketplace.Web.dll" >"$data/$1/app.log" 2>&1) &
  pids+=("$!")
}
port_a="${PORT_A:-5141}" port_b="${PORT_B:-5142}"
start a "$A_DIR" "$port_a" "${A_ENV:-}"
start b "$B_DIR" "$port_b" "${B_ENV:-}"
for url in "http://127.0.0.1:$port_a" "http://127.0.0.1:$port_b"; do
  for _ in $(seq 1 240); do curl -fs "$url/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
done
pid_of() { local p="$1"; if [ "$(cat "/proc/$p/comm" 2>/dev/null)" != dotnet ]; then p="$(pgrep -P "$p" | head -n 1 || true)"; fi; echo "$p"; }
pid_a="$(pid_of "${pids[0]}")" pid_b="$(pid_of "${pids[1]}")"
cookie_a="$(dotnet "$bench_dir/Marketplace.Bench.dll" signin "http://127.0.0.1:$port_a" | tail -n 1)"
cookie_b="$(dotnet "$bench_dir/Marketplace.Bench.dll" signin "http://127.0.0.1:$port_b" | tail -n 1)"

# name|path|signed in
endpoints=(
  "GET /api/receipts/public-key|/api/receipts/public-key|"
  "GET /api/wallet/balance|/api/wallet/balance|1"
  "GET /api/products?limit=20|/api/products?limit=20|"
  "GET / (catalog)|/|1"
  "GET / (catalog, visitor)|/|"
  "GET /Wallet|/Wallet|1"
)
if [ -n "${ONLY:-}" ]; then
  kept=(); for e in "${endpoints[@]}"; do if [[ "${e%%|*}" =~ $ONLY ]]; then kept+=("$e"); fi; done; endpoints=("${kept[@]}")
fi

ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
hz="$(getconf CLK_TCK)"
burst() { # pid port cookie path -> "ticks requests"
  local before after out
  before="$(ticks "$1")"
  out="$(wrk -t2 -c"$connections" -d"${seconds}s" ${3:+-H "Cookie: $3"} "http://127.0.0.1:$2$4")"
  after="$(ticks "$1")"
  echo "$((after - before)) $(awk '/requests in/ { print $1 }' <<<"$out")"
}

echo "interleaved wrk -t2 -c$connections -d${seconds}s bursts, $rounds per build and endpoint; A=$A_DIR ${A_ENV:-} B=$B_DIR ${B_ENV:-}"
printf '| %-30s | %9s | %9s | %9s | %9s | %6s | %s\n' endpoint "A req/s" "B req/s" "A CPU ms" "B CPU ms" "B/A" "loadavg"
printf '| %-30s | %9s | %9s | %9s | %9s | %6s | %s\n' --- ---: ---: ---: ---: ---: ---
for entry in "${endpoints[@]}"; do
  IFS='|' read -r name path signed <<<"$entry"
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  # Warm-up, not counted: tiered JIT recompiles hot methods in the background, on the app's CPU time.
  wrk -t1 -c4 -d3s ${signed:+-H "Cookie: $cookie_a"} "http://127.0.0.1:$port_a$path" >/dev/null
  wrk -t1 -c4 -d3s ${signed:+-H "Cookie: $cookie_b"} "http://127.0.0.1:$port_b$path" >/dev/null
  ta=0 ra=0 tb=0 rb=0
  for round in $(seq 1 "$rounds"); do
    # A first in odd rounds, B first in even ones, so neither always runs on the heels of the other.
    for which in $(if [ $((round % 2)) -eq 1 ]; then echo a b; else echo b a; fi); do
      if [ "$which" = a ]; then
        read -r t r < <(burst "$pid_a" "$port_a" "${signed:+$cookie_a}" "$path"); ta=$((ta + t)); ra=$((ra + r))
      else
        read -r t r < <(burst "$pid_b" "$port_b" "${signed:+$cookie_b}" "$path"); tb=$((tb + t)); rb=$((rb + r))
      fi
    done
  done
  awk -v n="$name" -v ta="$ta" -v ra="$ra" -v tb="$tb" -v rb="$rb" -v s="$((seconds * rounds))" -v hz="$hz" -v l="$load" 'BEGIN {
    ca = ta * 1000 / hz / ra; cb = tb * 1000 / hz / rb
    printf "| %-30s | %9.0f | %9.0f | %9.3f | %9.3f | %6.2f | %s\n", n, ra / s, rb / s, ca, cb, cb / ca, l }'
done
