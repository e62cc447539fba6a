#!/usr/bin/env bash
# Builds everything and runs every test project; ends with one 'N passed, N failed' line.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
dotnet build MtlAgent.sln -c Release -nologo -v q || exit 1
dotnet test MtlAgent.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$rc"
