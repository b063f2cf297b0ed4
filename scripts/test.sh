#!/usr/bin/env bash
# The one test command: installs what the tests need, builds once, runs every suite,
# and ends with exactly one line "N passed, N failed".
# The Core and Web suites run twice: on SQLite, then on PostgreSQL (a throwaway server that
# scripts/postgres.sh starts here and the exit trap stops; or, when TEST_POSTGRES_CONNECTION is
# already set, the server it names). E2E runs on SQLite, except its multi-instance tests, which
# need PostgreSQL and take a database of their own on that server.
#
#   scripts/test.sh                 all suites
#   scripts/test.sh 'FullyQualifiedName~Wallet'   passed to dotnet test --filter
#
# TEST_RESULTS_DIR overrides where TRX files and logs go (default: <repo>/TestResults).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

filter="${1:-}"
results_dir="${TEST_RESULTS_DIR:-$repo_root/TestResults}"
# suite|provider
runs=(
  "tests/Marketplace.Core.Tests|Sqlite"
  "tests/Marketplace.Web.Tests|Sqlite"
  "tests/Marketplace.E2E|Sqlite"
  "tests/Marketplace.Core.Tests|Postgres"
  "tests/Marketplace.Web.Tests|Postgres"
)

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Chromium comes from Debian; Playwright must never try to fetch its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

step() { printf '\n== %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_chromium() {
  if [ -x /usr/bin/chromium ]; then
    return
  fi
  step "installing Debian chromium"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
}

# The multi-instance tests run deploy/nginx.conf in Debian's nginx; the package's own service is not needed.
install_nginx() {
  if [ -x /usr/sbin/nginx ]; then
    return
  fi
  step "installing Debian nginx"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y nginx-light || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y nginx
}

# npm ci only where package.json declares dependencies: a placeholder package.json
# without them needs nothing installed.
install_npm() {
  local dir="$1"
  if [ ! -f "$dir/package.json" ]; then
    return
  fi
  if ! node -e '
    const p = require(process.argv[1]);
    const deps = { ...p.dependencies, ...p.devDependencies, ...p.optionalDependencies };
    process.exit(Object.keys(deps).length > 0 ? 0 : 1);
  ' "$repo_root/$dir/package.json"; then
    echo "$dir: no npm dependencies, nothing to install"
    return
  fi
  step "npm ci in $dir"
  (cd "$dir" && npm ci --no-audit --no-fund)
}

# Prints "passed failed notExecuted total" from a TRX file's <Counters> element.
trx_counters() {
  local counters
  counters="$(grep -o '<Counters [^>]*>' "$1" | head -n 1)"
  local attr value
  local -A c
  for attr in total executed passed failed error timeout aborted notExecuted; do
    value="$(printf '%s' "$counters" | grep -o " $attr=\"[0-9]*\"" | grep -o '[0-9][0-9]*' || true)"
    c[$attr]="${value:-0}"
  done
  # failed also covers tests that errored, timed out or were aborted.
  local failed=$((c[failed] + c[error] + c[timeout] + c[aborted]))
  # VSTest leaves notExecuted at 0 for skipped tests; they show only as total - executed.
  local not_executed=$((c[total] - c[executed]))
  if [ "${c[notExecuted]}" -gt "$not_executed" ]; then not_executed="${c[notExecuted]}"; fi
  echo "${c[passed]} $failed $not_executed ${c[total]}"
}

install_chromium
install_nginx
install_npm wwwroot-src
install_npm tests/js

rm -rf "$results_dir"
mkdir -p "$results_dir"

step "dotnet build Marketplace.sln -c Release"
if ! dotnet build Marketplace.sln -c Release 2>&1 | tee "$results_dir/build.log"; then
  echo "build failed: no suite can run (log: $results_dir/build.log)"
  echo "0 passed, ${#runs[@]} failed"
  exit 1
fi

total_passed=0
total_failed=0
any_broken=0
summaries=()

postgres_started=0
stop_postgres() {
  if [ "$postgres_started" -eq 1 ]; then
    "$repo_root/scripts/postgres.sh" stop "$TEST_POSTGRES_DIR" || true
    postgres_started=0
  fi
}
trap stop_postgres EXIT
trap 'exit 130' INT TERM

# Started before the first run: besides the second run of Core and Web, the multi-instance tests (E2E) and the copy to
# PostgreSQL (Web, SQLite run) use the server whatever the run's provider.
postgres_ready=0
if [ -n "${TEST_POSTGRES_CONNECTION:-}" ]; then
  echo "using the PostgreSQL server TEST_POSTGRES_CONNECTION names"
  postgres_ready=1
else
  step "starting a throwaway PostgreSQL server"
  if postgres_env="$("$repo_root/scripts/postgres.sh" start)"; then
    eval "$postgres_env"
    postgres_started=1
    postgres_ready=1
  fi
fi

for run in "${runs[@]}"; do
  suite="${run%%|*}"
  provider="${run##*|}"
  name="$(basename "$suite")"
  # Tests of what only PostgreSQL does are left out of the SQLite runs, and SQLite-only ones out of the PostgreSQL run.
  run_filter="${filter:+($filter)&}Provider!=PostgresOnly"
  if [ "$provider" = "Postgres" ]; then
    name="$name.Postgres"
    # Tests about the SQLite file itself are not run on PostgreSQL (not skipped: they do not count there at all).
    run_filter="${filter:+($filter)&}Provider!=SqliteOnly"
    if [ "$postgres_ready" -eq 0 ]; then
      summaries+=("$name: did not run (PostgreSQL did not start)")
      total_failed=$((total_failed + 1))
      any_broken=1
      continue
    fi
  fi
  suite_dir="$results_dir/$name"
  step "dotnet test $name${run_filter:+ --filter $run_filter}"

  args=(test "$suite" -c Release --no-build
    --logger "trx;LogFileName=$name.trx" --results-directory "$suite_dir"
    # A hung browser or server must not stall CI forever.
    --blame-hang-timeout 10m --blame-hang-dump-type none)
  if [ -n "$run_filter" ]; then
    args+=(--filter "$run_filter")
  fi

  set +e
  TEST_DATABASE_PROVIDER="$provider" dotnet "${args[@]}" 2>&1 | tee "$results_dir/$name.log"
  exit_code="${PIPESTATUS[0]}"
  set -e

  trx="$(find "$suite_dir" -name '*.trx' -print -quit 2>/dev/null || true)"
  if [ -z "$trx" ]; then
    summaries+=("$name: did not run (exit $exit_code, no TRX; log: $results_dir/$name.log)")
    total_failed=$((total_failed + 1))
    any_broken=1
    continue
  fi

  # The hostile-input suite says how many requests it sent; its line is in the TRX, shown here with the summary.
  hostile="$(grep -o 'Sent [0-9,]* hostile requests[^<&]*' "$trx" | head -n 1 || true)"
  if [ -n "$hostile" ]; then
    summaries+=("$name: $hostile")
  fi

  read -r passed failed not_executed total < <(trx_counters "$trx")
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  line="$name: $passed passed, $failed failed, $not_executed not executed, $total total"

  if [ "$exit_code" -ne 0 ] && [ "$failed" -eq 0 ]; then
    # The test host crashed or the run aborted without a failed test to show for it.
    line="$line; run failed (exit $exit_code)"
    total_failed=$((total_failed + 1))
    any_broken=1
  elif [ $((passed + failed)) -eq 0 ]; then
    if [ -n "$filter" ]; then
      line="$line; nothing matched the filter"
    else
      line="$line; no tests ran"
      total_failed=$((total_failed + 1))
      any_broken=1
    fi
  fi
  summaries+=("$line")
done

stop_postgres

step "summary (TRX and logs in $results_dir)"
printf '%s\n' "${summaries[@]}"

if [ -n "$filter" ] && [ $((total_passed + total_failed)) -eq 0 ]; then
  echo "the filter matched no test in any suite"
  total_failed=1
fi

echo "$total_passed passed, $total_failed failed"
if [ "$total_failed" -ne 0 ] || [ "$any_broken" -ne 0 ]; then
  exit 1
fi
