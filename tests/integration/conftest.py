"""Catalogue fixtures: the same tests run on the embedded catalogue and on the real CKAN."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import ckanapi
import pytest

from portal.catalogue import Catalogue
from portal.catalogue.publish import Publisher
from portal.composition import Portal
from portal.pipeline import convert
from portal.settings import Settings
from portal.workspace import Workspace
from tests.conftest import TEST_DATA


@pytest.fixture
def suffix() -> str:
    return uuid.uuid4().hex[:8]


@pytest.fixture
def publish_settings(settings: Settings, suffix: str) -> Settings:
    """Names no other test run uses, so the shared CKAN can be cleaned up exactly."""
    return settings.model_copy(
        update={"package_name": "{lgcode}-{slug}-" + suffix, "organization": "{lgcode}-" + suffix}
    )


@pytest.fixture(
    params=["embedded-sqlite", "embedded-postgresql", pytest.param("ckan", marks=pytest.mark.ckan)]
)
def publisher(
    request: pytest.FixtureRequest, publish_settings: Settings, suffix: str
) -> Iterator[Publisher]:
    """What publishing uses, on each catalogue: embedded in the portal's database (SQLite,
    PostgreSQL), and a real CKAN."""
    settings = publish_settings
    if request.param == "embedded-postgresql":
        settings = settings.model_copy(
            update={"database_url": request.getfixturevalue("postgres_schema")}
        )
    if request.param == "ckan":
        client: ckanapi.RemoteCKAN = request.getfixturevalue("ckan")
        settings = settings.model_copy(update={"ckan_url": os.environ["CKAN_URL"],
                                               "ckan_api_token": os.environ["CKAN_API_TOKEN"]})  # fmt: skip
    portal = Portal.open(settings, "ckan" if request.param == "ckan" else "embedded")
    try:
        yield portal.publisher()
    finally:
        portal.close()
        if request.param == "ckan":
            purge(client, suffix)


@pytest.fixture
def catalogue(publisher: Publisher) -> Catalogue:
    return publisher.catalogue


def purge(client: ckanapi.RemoteCKAN, suffix: str) -> None:
    """Remove every dataset and organization this test made (deleted ones included)."""
    for org in [o for o in client.action.organization_list() if o.endswith(suffix)]:
        found = client.action.package_search(
            fq=f"organization:{org}", include_private=True, include_drafts=True, rows=1000
        )
        for package in found["results"]:
            client.action.dataset_purge(id=package["id"])
        for name in client.action.package_list():
            if name.endswith(suffix):
                client.action.dataset_purge(id=name)
        client.action.organization_purge(id=org)


@pytest.fixture
def converted(publish_settings: Settings, tmp_path: Path) -> Path:
    """A converted dataset (焼津市 イベント一覧), as `portal convert` writes it."""
    result = convert(
        TEST_DATA / "convert" / "event-cp932.yaml",
        Workspace.of(publish_settings),
        tmp_path / "event",
    )
    return result.files["csv"].parent


def variant(
    folder: Path, target: Path, *, lgcode: str | None = None, extra_row: bool = False
) -> Path:
    """A copy of a converted folder: for another municipality, or with changed content."""
    shutil.copytree(folder, target)
    package_file = target / "datapackage.json"
    package = json.loads(package_file.read_text(encoding="utf-8"))
    if lgcode:
        package["portal"]["lgcode"] = lgcode
    if extra_row:
        csv_file = target / package["resources"][0]["path"]
        lines = csv_file.read_text(encoding="utf-8").splitlines(keepends=True)
        csv_file.write_text(
            "".join([*lines, lines[-1].replace("陶芸作品展", "陶芸作品展（追加）")]),
            encoding="utf-8",
        )
    package_file.write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")
    return target
