"""Two servers on one PostgreSQL database and one CKAN, each with its own data directory (two
machines): what one publishes, the other answers at once — its rows from the shared database,
its CSV download from the catalogue's copy that the server's sync keeps beside it."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import ckanapi
import pytest
from fastapi.testclient import TestClient

from portal.catalogue.from_recipe import publish_recipe
from portal.catalogue.publish import Options
from portal.composition import Portal
from portal.server import create_app
from portal.settings import Settings
from portal.workspace import Workspace
from tests.conftest import DATASETS_DIR, REFERENCE_DIR, TEST_DATA
from tests.integration.conftest import purge

pytestmark = pytest.mark.ckan


def machine(root: Path, database_url: str, suffix: str) -> Settings:
    return Settings(datasets_dir=DATASETS_DIR, reference_dir=REFERENCE_DIR, data_dir=root / "var",
                    catalogue="ckan", ckan_url=os.environ["CKAN_URL"],
                    ckan_api_token=os.environ["CKAN_API_TOKEN"], database_url=database_url,
                    rate_limit=0, package_name="{lgcode}-{slug}-" + suffix,
                    organization="{lgcode}-" + suffix)  # type: ignore[call-arg]  # fmt: skip


def test_the_other_server_answers_rows_at_once_and_the_download_after_its_sync(
    ckan: ckanapi.RemoteCKAN, postgres_schema: str, tmp_path: Path
) -> None:
    suffix = uuid.uuid4().hex[:8]
    first = Portal.open(machine(tmp_path / "a", postgres_schema, suffix))
    second_settings = machine(tmp_path / "b", postgres_schema, suffix)
    second = Portal.open(second_settings)
    try:
        recipe = TEST_DATA / "api" / "aed-settsu.yaml"
        publish_recipe(
            recipe, first.publisher(), Workspace.of(first.settings), Options(allow_invalid=True)
        )
        name = f"272248-aed-{suffix}"
        client = TestClient(create_app(second_settings, second))
        rows = client.get(f"/api/v1/datasets/{name}/rows")
        assert rows.status_code == 200 and rows.json()["total"] > 0  # the shared database
        waiting = client.get(f"/api/v1/datasets/{name}/download.csv")
        assert waiting.status_code == 503  # no copy of the CSV on this machine yet
        assert waiting.json()["error"]["code"] == "rows-not-loaded"
        assert name not in second.sync_rows().loaded  # already loaded: only the file is copied
        download = client.get(f"/api/v1/datasets/{name}/download.csv")
        assert download.status_code == 200
        published = first.catalogue.package_show(name)
        assert published is not None
        csv = next(r for r in published["resources"] if r["format"] == "CSV")
        assert download.content == first.catalogue.resource_bytes(csv)
    finally:
        first.close()
        second.close()
        purge(ckan, suffix)
