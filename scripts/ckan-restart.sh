#!/usr/bin/env bash
# Kill CKAN's web process hard (as a crash would) and start it again; wait until it answers.
# Used by the fault tests. The stack must have been started by scripts/ckan-up.sh.
set -euo pipefail
BASE=${CKAN_BASE:-/tmp/ckan-local}
PORT=${CKAN_PORT:-5000}
MODE=${1:-restart}   # kill | start | restart
if [ "$MODE" != start ] && [ -f "$BASE/ckan.pid" ]; then
  kill -9 "$(cat "$BASE/ckan.pid")" 2>/dev/null || true
  for i in $(seq 1 40); do curl -sf "http://127.0.0.1:$PORT/api/3/action/status_show" >/dev/null || break; sleep 0.25; done
fi
[ "$MODE" = kill ] && exit 0
export CKAN_INI="$BASE/ckan.ini"
( exec "$BASE/venv/bin/ckan" -c "$CKAN_INI" run -H 127.0.0.1 -p "$PORT" --disable-reloader --threaded ) >> "$BASE/ckan.log" 2>&1 &
echo $! > "$BASE/ckan.pid"
for i in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/api/3/action/status_show" >/dev/null && exit 0; sleep 0.5; done
echo "ckan-restart.sh: CKAN did not come back; see $BASE/ckan.log" >&2
exit 1
