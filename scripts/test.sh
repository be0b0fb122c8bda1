#!/usr/bin/env bash
# Run the whole test suite: lint, types, then pytest with a real CKAN when one can run.
# Called by `make test` (which installs the test dependencies first) and so by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

# A real CKAN for the integration tests: use the one in CKAN_URL if given, else
# start the loopback stack (needs root and apt) and stop it again on exit.
if [ -z "${CKAN_URL:-}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    export CKAN_BASE=${CKAN_BASE:-/tmp/ckan-local}
    trap 'bash scripts/ckan-down.sh' EXIT   # set first: also cleans up after a failed start
    CKAN_HARVEST=1 bash scripts/ckan-up.sh   # with the harvesters, for tests/integration/test_harvest_*
    # shellcheck disable=SC1091
    . "$CKAN_BASE/env.sh"
  else
    echo "test.sh: cannot start CKAN here (needs root and apt-get); CKAN tests will be skipped" >&2
  fi
fi

# The portal's own PostgreSQL database (the state store's tests run on SQLite and on it),
# on the cluster the CKAN stack runs; under CI=true a missing one fails those tests.
if [ -z "${PORTAL_TEST_DATABASE_URL:-}" ] && [ "$(id -u)" = 0 ] && [ -d /etc/postgresql ]; then
  export "$(bash scripts/portal-db-up.sh | tail -1)"
fi

# Redis for the shared rate-limit counters' tests: database 15 of the one ckan-up.sh starts
# (CKAN uses 0); under CI=true a Redis that does not answer fails those tests.
export PORTAL_TEST_REDIS_URL=${PORTAL_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}

# Chromium for the browser tests (Playwright drives Debian's build; it never downloads its own).
# A Japanese font, so that screenshots show text rather than empty boxes.
if { ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi ipa; } \
   && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-ipafont-gothic >/dev/null
fi

"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
"$VENV/bin/mypy"
"$VENV/bin/python" -m pytest "$@"
