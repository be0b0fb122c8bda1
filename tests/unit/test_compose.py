"""compose.yaml: the services and the portal's configuration agree with each other.

Docker is not available on the development machines, so the file is checked
here by reading it; the same CKAN set-up runs for real through scripts/ckan-up.sh.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import yaml

from portal.settings import PROJECT_ROOT, Settings

COMPOSE = yaml.safe_load((PROJECT_ROOT / "compose.yaml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]


def host_port(url: str) -> tuple[str | None, int | None]:
    parsed = urlparse(url)
    return parsed.hostname, parsed.port


def test_the_stack_has_every_service() -> None:
    assert set(SERVICES) == {"db", "solr", "redis", "datapusher", "ckan", "portal", "worker"}
    assert set(SERVICES["ckan"]["depends_on"]) == {"db", "solr", "redis", "datapusher"}
    assert SERVICES["portal"]["depends_on"] == {
        name: {"condition": "service_healthy"} for name in ("ckan", "db", "redis")
    }


def test_the_worker_runs_the_portals_jobs() -> None:
    """`portal worker` on the portal's own queue and database (the same environment): a job
    the portal enqueues is one the worker sees; `--scale worker=N` adds consumers."""
    worker = SERVICES["worker"]
    assert worker["command"][:2] == ["portal", "worker"] and worker["build"] == "."
    assert worker["environment"] == SERVICES["portal"]["environment"]
    assert worker["environment"]["PORTAL_REDIS_URL"]  # several workers share a Redis queue
    assert worker["volumes"] == SERVICES["portal"]["volumes"]
    assert {"db", "redis"} <= set(worker["depends_on"])


def test_ckan_points_at_the_services() -> None:
    env = SERVICES["ckan"]["environment"]
    assert host_port(env["CKAN_SQLALCHEMY_URL"])[0] == "db"
    assert host_port(env["CKAN_DATASTORE_WRITE_URL"])[0] == "db"
    assert env["CKAN_SOLR_URL"] == "http://solr:8983/solr/ckan"
    assert host_port(env["CKAN_REDIS_URL"])[0] == "redis"
    assert host_port(env["CKAN_DATAPUSHER_URL"]) == ("datapusher", 8800)
    assert (
        "activity" in env["CKAN__PLUGINS"].split()
    )  # the portal's history reads the activity stream
    init = (PROJECT_ROOT / "docker" / "ckan-db-init.sh").read_text(encoding="utf-8")
    for url in (
        env["CKAN_SQLALCHEMY_URL"],
        env["CKAN_DATASTORE_WRITE_URL"],
        env["CKAN_DATASTORE_READ_URL"],
    ):
        parsed = urlparse(url)
        assert f"CREATE ROLE {parsed.username} " in init and f"PASSWORD '{parsed.password}'" in init
        assert f"CREATE DATABASE {parsed.path.lstrip('/')} " in init


def test_the_portal_publishes_to_that_ckan() -> None:
    env = SERVICES["portal"]["environment"]
    ckan_port = int(SERVICES["ckan"]["ports"][0].rsplit(":", 1)[1])
    assert host_port(env["CKAN_URL"]) == ("ckan", ckan_port)
    assert env["PORTAL_CATALOGUE"] == "ckan" and "CKAN_API_TOKEN" in env
    assert SERVICES["portal"]["build"] == "."
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert f"EXPOSE {SERVICES['portal']['ports'][0].rsplit(':', 1)[1]}" in dockerfile


def test_solr_gets_the_japanese_aware_schema_of_the_same_ckan_version() -> None:
    (mount,) = [v for v in SERVICES["solr"]["volumes"] if "managed-schema" in v]
    source, target, _ = mount.split(":")
    assert target == "/opt/solr/server/solr/configsets/ckan/conf/managed-schema"
    schema = (PROJECT_ROOT / source).read_text(encoding="utf-8")
    text_type = re.search(r'<fieldType name="text" .*?</fieldType>', schema, re.S)
    assert text_type is not None
    assert text_type.group(0).count("solr.CJKBigramFilterFactory") == 2  # index and query
    assert "WhitespaceTokenizerFactory" not in text_type.group(0)
    ckan_version = SERVICES["ckan"]["image"].rsplit(":", 1)[1]
    assert f'<schema name="ckan-{ckan_version}"' in schema
    assert SERVICES["solr"]["image"] == f"ckan/ckan-solr:{ckan_version}-solr9"


def test_the_portal_has_its_own_database_and_redis() -> None:
    env = SERVICES["portal"]["environment"]
    database = urlparse(env["PORTAL_DATABASE_URL"])
    assert database.scheme == "postgresql+psycopg" and database.hostname == "db"
    init = (PROJECT_ROOT / "docker" / "ckan-db-init.sh").read_text(encoding="utf-8")
    assert f"CREATE ROLE {database.username} " in init
    assert f"PASSWORD '{database.password}'" in init
    assert f"CREATE DATABASE {database.path.lstrip('/')} OWNER {database.username} " in init
    redis = urlparse(env["PORTAL_REDIS_URL"])
    assert (redis.scheme, redis.hostname) == ("redis", "redis")
    ckan_redis = urlparse(SERVICES["ckan"]["environment"]["CKAN_REDIS_URL"])
    assert redis.path != ckan_redis.path  # its own Redis database, not CKAN's
    settings = Settings(database_url=env["PORTAL_DATABASE_URL"], redis_url=env["PORTAL_REDIS_URL"])
    assert settings.effective_database_url == env["PORTAL_DATABASE_URL"]
