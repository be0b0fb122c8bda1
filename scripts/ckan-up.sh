#!/usr/bin/env bash
# Bring up a real CKAN (PyPI `ckan`) + PostgreSQL + Redis + Apache Solr 4.4 on loopback.
# Recipe and pitfalls: ../shared/notes/ckan-local.md. Safe to re-run: reuses what is there.
# No Docker, no systemd. Debian bookworm, Python 3.11, run as root.
# Leaves PIDs in $BASE/*.pid, the API token in $BASE/api_token, and env in $BASE/env.sh.
# CKAN_HARVEST=1 also installs ckanext-harvest and ckanext-dcat (PyPI) into CKAN's venv and
# enables their plugins, for the harvest integration tests; a running CKAN without them is
# restarted once. A re-run reuses the install (stamp file in the venv).
set -euo pipefail
BASE=${CKAN_BASE:-/tmp/ckan-local}
HERE=$(cd "$(dirname "$0")" && pwd)
CKAN_VERSION=${CKAN_VERSION:-2.12.0}
CKAN_PORT=${CKAN_PORT:-5000}
SOLR_PORT=${SOLR_PORT:-8983}
DB_PASS=${CKAN_DB_PASS:-pass}
CKAN_DB=${CKAN_DB:-ckan_default}        # database names (roles are always ckan_default / datastore_default)
DS_DB=${CKAN_DATASTORE_DB:-datastore_default}
REDIS_DB=${CKAN_REDIS_DB:-0}
CKAN_HARVEST=${CKAN_HARVEST:-0}
# What BODIK-style aggregators run; `harvester run-test` also imports factory-boy and pytest.
HARVEST_PACKAGES="ckanext-harvest==1.6.3 ckanext-dcat==2.4.4 factory-boy==3.3.3 pytest==9.2.0"
PLUGINS="activity datastore"
[ "$CKAN_HARVEST" = 1 ] && PLUGINS="$PLUGINS harvest ckan_harvester dcat dcat_rdf_harvester"
mkdir -p "$BASE" "$BASE/storage"
cd "$BASE"
ts() { echo "[ckan-up +$SECONDS s] $*"; }
trap 'echo "ckan-up.sh failed at line $LINENO; see $BASE/*.log" >&2; tail -20 "$BASE/init.log" 2>/dev/null >&2' ERR

# 1. Debian packages (postgresql, redis, libpq for psycopg2's build, libmagic, a JRE for Solr)
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q postgresql redis-server libpq-dev libmagic1 openjdk-17-jre-headless >/dev/null
ts "apt done"

# 2. Solr 4.4.0: the only Solr reachable from PyPI/npm/Debian is bundled in the npm
#    tarball coffeenode-solr@0.0.1 (152 MB, 2013). Fetch the tarball only (no npm deps).
if [ ! -f solr/example/start.jar ]; then
  npm pack coffeenode-solr@0.0.1 --cache "$BASE/.npm-cache" --silent >/dev/null
  echo "d6ed17320394db33f6a2da56968eba9e401841fc  coffeenode-solr-0.0.1.tgz" | sha1sum -c --quiet
  mkdir -p solr && tar xzf coffeenode-solr-0.0.1.tgz -C solr --strip-components=2 package/solr-minimal/example
  rm -rf coffeenode-solr-0.0.1.tgz "$BASE/.npm-cache" solr/example/solr   # keep only the Jetty+war runtime
fi
ts "solr unpacked"

# 3. Python venv with CKAN and its pinned requirements (plain `pip install ckan` installs NO deps)
if [ ! -x venv/bin/ckan ]; then
  python3 -m venv venv
  venv/bin/pip install -q --disable-pip-version-check "ckan[requirements]==$CKAN_VERSION" ckanapi 2>&1 \
    | { grep -v "is ignored: it is neither a file nor a directory" || true; }
fi
# 3b. The harvesters, with their own requirements (rdflib, pyld, geomet, ckantoolkit); the
#     stamp names the versions, so changing them reinstalls
HARVEST_STAMP="venv/.installed-$(echo "$HARVEST_PACKAGES" | tr ' =' '_-')"
if [ "$CKAN_HARVEST" = 1 ] && [ ! -f "$HARVEST_STAMP" ]; then
  venv/bin/pip install -q --disable-pip-version-check $HARVEST_PACKAGES 2>&1 \
    | { grep -v "is ignored: it is neither a file nor a directory" || true; }
  touch "$HARVEST_STAMP"
fi
ts "pip done"
SCHEMA=$(venv/bin/python -c 'import ckan,os;print(os.path.join(os.path.dirname(ckan.__file__),"config/solr/schema.xml"))')

# 4. Solr core "ckan": CKAN's own schema.xml back-ported to Solr 4 types/filters + a minimal solrconfig
mkdir -p solr-home/ckan/conf
echo '<?xml version="1.0" encoding="UTF-8" ?><solr></solr>' > solr-home/solr.xml
echo 'name=ckan' > solr-home/ckan/core.properties
: > solr-home/ckan/conf/synonyms.txt; : > solr-home/ckan/conf/protwords.txt
sed -E -e 's/<schema name="(ckan-[0-9.]+)" version="1.6">/<schema name="\1" version="1.5">/' \
  -e 's/solr\.(Int|Float|Long|Double|Date)PointField"/solr.Trie\1Field" precisionStep="0"/' \
  -e 's/WordDelimiterGraphFilterFactory/WordDelimiterFilterFactory/; s/SynonymGraphFilterFactory/SynonymFilterFactory/' \
  -e '/FlattenGraphFilterFactory/d' \
  -e 's#<field name="_version_" type="string"#<field name="_version_" type="long"#' \
  "$SCHEMA" > solr-home/ckan/conf/schema.xml
# Japanese-aware text analysis (the same rewrite as docker/solr/managed-schema for compose.yaml)
python3 "$HERE/solr_japanese.py" solr-home/ckan/conf/schema.xml solr-home/ckan/conf/schema.xml
cat > solr-home/ckan/conf/solrconfig.xml <<'XML'
<?xml version="1.0" encoding="UTF-8" ?>
<config>
  <luceneMatchVersion>4.4</luceneMatchVersion>
  <dataDir>${solr.data.dir:}</dataDir>
  <directoryFactory name="DirectoryFactory" class="${solr.directoryFactory:solr.NRTCachingDirectoryFactory}"/>
  <schemaFactory class="ClassicIndexSchemaFactory"/>
  <updateHandler class="solr.DirectUpdateHandler2">
    <updateLog><str name="dir">${solr.ulog.dir:}</str></updateLog>
  </updateHandler>
  <query><maxWarmingSearchers>8</maxWarmingSearchers></query>
  <requestDispatcher handleSelect="false">
    <requestParsers enableRemoteStreaming="false" multipartUploadLimitInKB="2048000" formdataUploadLimitInKB="20480"/>
    <httpCaching never304="true"/>
  </requestDispatcher>
  <requestHandler name="/select" class="solr.SearchHandler">
    <lst name="defaults"><str name="echoParams">explicit</str><int name="rows">10</int><str name="df">text</str></lst>
  </requestHandler>
  <requestHandler name="/update" class="solr.UpdateRequestHandler"/>
  <requestHandler name="/get" class="solr.RealTimeGetHandler"/>
  <requestHandler name="/admin/" class="solr.admin.AdminHandlers"/>
  <requestHandler name="/admin/ping" class="solr.PingRequestHandler"><lst name="invariants"><str name="q">*:*</str></lst></requestHandler>
  <admin><defaultQuery>*:*</defaultQuery></admin>
</config>
XML
if curl -sf "http://127.0.0.1:$SOLR_PORT/solr/ckan/admin/ping?wt=json" >/dev/null; then
  curl -sf "http://127.0.0.1:$SOLR_PORT/solr/admin/cores?action=RELOAD&core=ckan" >/dev/null  # pick up the schema
else
  ( cd solr/example && exec java -Xms64m -Xmx512m -Djetty.host=127.0.0.1 -Djetty.port="$SOLR_PORT" \
      -Dsolr.solr.home="$BASE/solr-home" -jar start.jar ) > "$BASE/solr.log" 2>&1 &
  echo $! > "$BASE/solr.pid"
fi
ts "solr starting"

# 5. PostgreSQL (Debian cluster, loopback only by default) and Redis
PGVER=$(ls /etc/postgresql | sort -n | tail -1)
pg_lsclusters -h | grep -q "^$PGVER main" || pg_createcluster "$PGVER" main >/dev/null
pg_ctlcluster "$PGVER" main status >/dev/null 2>&1 || pg_ctlcluster "$PGVER" main start
psql_su() { su postgres -c "psql -v ON_ERROR_STOP=1 -qtA $*"; }
for r in ckan_default datastore_default; do
  [ "$(psql_su "-c \"SELECT 1 FROM pg_roles WHERE rolname='$r'\"")" = 1 ] || psql_su "-c \"CREATE ROLE $r LOGIN PASSWORD '$DB_PASS'\""
done
NEW_DB=0
for d in "$CKAN_DB" "$DS_DB"; do
  [ "$(psql_su "-c \"SELECT 1 FROM pg_database WHERE datname='$d'\"")" = 1 ] || { psql_su "-c \"CREATE DATABASE $d OWNER ckan_default ENCODING 'utf-8'\""; NEW_DB=1; }
done
redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 \
   --save '' --appendonly no --pidfile "$BASE/redis.pid" --logfile "$BASE/redis.log"
ts "postgres+redis up"

# 6. CKAN config + DB init (Solr must be up before CKAN serves requests, not for db init)
export CKAN_INI="$BASE/ckan.ini"
CK=venv/bin/ckan
if [ ! -f "$CKAN_INI" ]; then
  $CK generate config "$CKAN_INI" >/dev/null 2>&1
  $CK config-tool "$CKAN_INI" \
    "ckan.site_url = http://127.0.0.1:$CKAN_PORT" \
    "solr_url = http://127.0.0.1:$SOLR_PORT/solr/ckan" \
    "sqlalchemy.url = postgresql://ckan_default:$DB_PASS@127.0.0.1/$CKAN_DB" \
    "ckan.redis.url = redis://127.0.0.1:6379/$REDIS_DB" \
    "ckan.storage_path = $BASE/storage" \
    "ckan.max_resource_size = 100" \
    "ckan.plugins = activity datastore" \
    "ckan.datastore.write_url = postgresql://ckan_default:$DB_PASS@127.0.0.1/$DS_DB" \
    "ckan.datastore.read_url = postgresql://datastore_default:$DB_PASS@127.0.0.1/$DS_DB" \
    "ckan.datastore.sqlsearch.enabled = true" \
    "ckan.views.default_views = " >/dev/null
fi
# Plugins follow CKAN_HARVEST on every run (config-tool only when they change: it is slow).
# The harvest queue is Redis (ckanext-harvest defaults to AMQP); harvests run synchronously
# in the tests (`ckan harvester run-test`), so no gather/fetch consumers run.
if ! grep -qx "ckan.plugins = $PLUGINS" "$CKAN_INI"; then
  $CK config-tool "$CKAN_INI" "ckan.plugins = $PLUGINS" \
    "ckan.harvest.mq.type = redis" "ckan.harvest.mq.hostname = 127.0.0.1" \
    "ckan.harvest.mq.port = 6379" "ckan.harvest.mq.redis_db = $REDIS_DB" >/dev/null
fi
for i in $(seq 1 120); do curl -sf "http://127.0.0.1:$SOLR_PORT/solr/ckan/admin/ping?wt=json" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$SOLR_PORT/solr/ckan/admin/ping?wt=json" >/dev/null || { tail -50 "$BASE/solr.log"; exit 1; }
ts "solr ready"
L="$BASE/init.log"
$CK db init >>"$L" 2>&1
[ "$NEW_DB" = 0 ] || $CK search-index clear >>"$L" 2>&1   # fresh DB: drop stale Solr docs
$CK db pending-migrations --apply >>"$L" 2>&1   # also the enabled plugins' (harvest's tables)
$CK datastore set-permissions 2>>"$L" | su postgres -c "psql -v ON_ERROR_STOP=1 -q" >>"$L" 2>&1
if ! $CK user show ckan_admin 2>/dev/null | grep -q "name=ckan_admin"; then
  $CK user add ckan_admin email=admin@example.org password=ckan-admin-pass >>"$L" 2>&1
  $CK sysadmin add ckan_admin >>"$L" 2>&1
fi
$CK user token add ckan_admin ci 2>>"$L" | tail -1 | tr -d ' \t' > "$BASE/api_token"
[ -s "$BASE/api_token" ]
ts "db init + sysadmin + token done"

# 7. Run CKAN (Werkzeug server, threaded). For a WSGI server see the notes (gunicorn + wsgi.py).
#    One already running without the harvest plugins is restarted with them.
if [ "$CKAN_HARVEST" = 1 ] && curl -sf "http://127.0.0.1:$CKAN_PORT/api/3/action/status_show" 2>/dev/null \
   | grep -qv '"harvest"'; then
  CKAN_BASE="$BASE" CKAN_PORT="$CKAN_PORT" bash "$HERE/ckan-restart.sh"
fi
if ! curl -sf "http://127.0.0.1:$CKAN_PORT/api/3/action/status_show" >/dev/null; then
  ( exec $CK run -H 127.0.0.1 -p "$CKAN_PORT" --disable-reloader --threaded ) > "$BASE/ckan.log" 2>&1 &
  echo $! > "$BASE/ckan.pid"
fi
for i in $(seq 1 120); do curl -sf "http://127.0.0.1:$CKAN_PORT/api/3/action/status_show" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$CKAN_PORT/api/3/action/status_show" >/dev/null || { tail -50 "$BASE/ckan.log"; exit 1; }
cat > "$BASE/env.sh" <<ENV
export CKAN_URL=http://127.0.0.1:$CKAN_PORT
export CKAN_API_TOKEN=$(cat "$BASE/api_token")
export CKAN_INI=$CKAN_INI
ENV
ts "CKAN ready at http://127.0.0.1:$CKAN_PORT (token in $BASE/api_token)"
