#!/usr/bin/env bash
# Runs every Fuzz target briefly: scripts/fuzz.sh [duration]
set -euo pipefail
dur=${1:-10s}
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for t in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/func //'); do
    echo "fuzz: $pkg $t ($dur)"
    # A bounded minimisation: shrinking each new interesting input (a zip, for
    # FuzzParseXLSX) could otherwise take the whole run.
    go test -run '^$' -fuzz "^$t\$" -fuzztime "$dur" -fuzzminimizetime 50x "$pkg" >/tmp/fuzz-$t.log 2>&1 || { cat /tmp/fuzz-$t.log; exit 1; }
  done
done
