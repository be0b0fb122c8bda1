#!/usr/bin/env bash
# The portal's own PostgreSQL database beside CKAN's, on the cluster scripts/ckan-up.sh runs
# (loopback, Debian). Safe to re-run: creates only what is missing. Run as root.
# Prints the URL the store tests read: PORTAL_TEST_DATABASE_URL=postgresql+psycopg://…
set -euo pipefail
ROLE=${PORTAL_DB_ROLE:-portal}
PASS=${PORTAL_DB_PASS:-portal}
DB=${PORTAL_TEST_DB:-portal_test}
HOST=${PORTAL_DB_HOST:-127.0.0.1}

PGVER=$(ls /etc/postgresql | sort -n | tail -1)
pg_lsclusters -h | grep -q "^$PGVER main" || pg_createcluster "$PGVER" main >/dev/null
pg_ctlcluster "$PGVER" main status >/dev/null 2>&1 || pg_ctlcluster "$PGVER" main start
psql_su() { su postgres -c "psql -v ON_ERROR_STOP=1 -qtA $*"; }

[ "$(psql_su "-c \"SELECT 1 FROM pg_roles WHERE rolname='$ROLE'\"")" = 1 ] \
  || psql_su "-c \"CREATE ROLE $ROLE LOGIN PASSWORD '$PASS'\""
[ "$(psql_su "-c \"SELECT 1 FROM pg_database WHERE datname='$DB'\"")" = 1 ] \
  || psql_su "-c \"CREATE DATABASE $DB OWNER $ROLE ENCODING 'utf-8' TEMPLATE template0\""
# Extensions need a superuser; the migrations do not depend on one being there.
psql_su "-d $DB -c \"CREATE EXTENSION IF NOT EXISTS pg_trgm\""
# The tests make a schema per test: the owner of the database may.
psql_su "-d $DB -c \"GRANT CREATE ON DATABASE $DB TO $ROLE\""

echo "PORTAL_TEST_DATABASE_URL=postgresql+psycopg://$ROLE:$PASS@$HOST/$DB"
