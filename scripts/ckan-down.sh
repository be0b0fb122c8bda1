#!/usr/bin/env bash
# Stop what ckan-up.sh started, by PID. PostgreSQL is stopped with pg_ctlcluster.
BASE=${CKAN_BASE:-/tmp/ckan-local}
for p in ckan solr; do
  f="$BASE/$p.pid"; [ -f "$f" ] || continue
  pid=$(cat "$f"); kill "$pid" 2>/dev/null
  for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null; rm -f "$f"
done
[ -f "$BASE/redis.pid" ] && { kill "$(cat "$BASE/redis.pid")" 2>/dev/null; rm -f "$BASE/redis.pid"; }
PGVER=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
[ -n "${KEEP_POSTGRES:-}" ] || { [ -n "$PGVER" ] && pg_ctlcluster "$PGVER" main stop 2>/dev/null; }
true
