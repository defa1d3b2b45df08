#!/usr/bin/env bash
# Runs one step of a make target quietly: prints "label ..." and, when it ends, the time
# it took; the step's output goes to a log that is shown (its last 80 lines) only when
# the step fails. Usage: tools/step.sh "label" logfile command [args...]
set -uo pipefail
label=$1; log=$2; shift 2
mkdir -p "$(dirname "$log")"
start=$(date +%s)
printf '%s ... ' "$label"
if "$@" > "$log" 2>&1; then
  printf 'done (%d s)\n' "$(( $(date +%s) - start ))"
else
  rc=$?
  printf 'FAILED after %d s (exit %d); the last lines of %s:\n' "$(( $(date +%s) - start ))" "$rc" "$log"
  tail -n 80 "$log"
  exit "$rc"
fi
