#!/usr/bin/env bash
# Builds the solution and runs every test project, then prints one summary line:
# "Tests: N passed, N failed, N skipped". Exits non-zero when the build fails, a test
# fails, or no test ran. Unless MESHFLOW_TEST_POSTGRES already contains a connection string,
# it starts a throwaway PostgreSQL server for the run (installing it with apt when
# missing) and removes it afterwards.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

results_dir="$repo_root/artifacts/test-results"
rm -rf "$results_dir" "$repo_root/artifacts/cluster-report.txt"
mkdir -p "$results_dir"

# shellcheck source=scripts/postgres.sh
source "$repo_root/scripts/postgres.sh"
if [ -z "${MESHFLOW_TEST_POSTGRES:-}" ]; then
  trap stop_test_postgres EXIT
  start_test_postgres
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

dotnet build MeshFlow.Grains.sln --configuration Release

# A test that hangs fails after 10 minutes instead of holding the run until CI's limit.
status=0
dotnet test MeshFlow.Grains.sln \
  --configuration Release \
  --no-build \
  --logger "trx" \
  --logger "console;verbosity=normal" \
  --results-directory "$results_dir" \
  --blame-hang-timeout 10m \
  --blame-hang-dump-type none \
  "$@" || status=$?

# Each test project writes one .trx file; add up their counters.
read -r passed failed skipped < <(
  cat "$results_dir"/*.trx 2>/dev/null \
    | grep -o '<Counters [^>]*>' \
    | awk '
        {
          for (i = 1; i <= NF; i++) {
            split($i, kv, "=")
            gsub(/"/, "", kv[2])
            if (kv[1] == "passed") p += kv[2]
            if (kv[1] == "failed") f += kv[2]
            if (kv[1] == "notExecuted") s += kv[2]
          }
        }
        END { printf "%d %d %d\n", p, f, s }'
)

# The multi-silo test records its duplicate count and recovery time here.
if [ -f "$repo_root/artifacts/cluster-report.txt" ]; then
  echo
  cat "$repo_root/artifacts/cluster-report.txt"
  echo
fi

echo "Tests: ${passed} passed, ${failed} failed, ${skipped} skipped"

if [ "$status" -ne 0 ]; then
  exit "$status"
fi
if [ "$passed" -eq 0 ]; then
  echo "No test ran: check that the test projects built and were discovered." >&2
  exit 1
fi
