#!/usr/bin/env bash
# Run every benchmark of bench/ and write bench/REPORT.md (bench/report.py). Called by
# `make bench`; the stack comes up as for `make test` (scripts/test.sh): CKAN for the
# benchmarks that compare with it (api, publish), the portal's PostgreSQL for the rows
# stores on it. Arguments go to bench/report.py (e.g. --only load,national).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

# A real CKAN: the one in CKAN_URL if given, else the loopback stack (needs root and apt),
# stopped again on exit.
if [ -z "${CKAN_URL:-}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    export CKAN_BASE=${CKAN_BASE:-/tmp/ckan-local}
    trap 'bash scripts/ckan-down.sh' EXIT   # set first: also cleans up after a failed start
    bash scripts/ckan-up.sh
    # shellcheck disable=SC1091
    . "$CKAN_BASE/env.sh"
  else
    echo "bench.sh: cannot start CKAN here (needs root and apt-get); the CKAN benchmarks will fail" >&2
  fi
fi

# The portal's own PostgreSQL database, on the cluster the CKAN stack runs.
if [ -z "${PORTAL_TEST_DATABASE_URL:-}" ] && [ "$(id -u)" = 0 ] && [ -d /etc/postgresql ]; then
  export "$(bash scripts/portal-db-up.sh | tail -1)"
fi

"$VENV/bin/python" bench/report.py "$@"
