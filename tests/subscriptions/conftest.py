"""Subscriptions' fixtures: a portal with 焼津市's events published (webhooks on loopback
allowed), a client of its app, a subscriber key, `publish_changed` for a new version, and
the recording subscriber server (tests/connectors/servers.py)."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from portal.catalogue.publish import Options, publish
from portal.catalogue.versions import version_file, version_folder, versions
from portal.composition import Portal
from portal.server import create_app
from portal.settings import Settings
from portal.subscriptions.delivery import register_jobs
from portal.subscriptions.service import Subscriptions
from tests.api.conftest import build_catalogue
from tests.conftest import TEST_DATA
from tests.connectors.servers import recording_server  # noqa: F401

NAME = "222127-event"
SLUG = "event"
BACKOFF = 0.2  # seconds: the test queue's first retry delay (then doubled)


@dataclass
class World:
    settings: Settings
    portal: Portal
    client: TestClient
    key: str  # a subscriber key


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("subscriptions")
    settings = build_catalogue(root, [TEST_DATA / "convert" / "event-cp932.yaml"],
                               subscriptions_allow_private=True)  # fmt: skip
    app = create_app(settings)
    portal: Portal = app.state.portal
    register_jobs(portal.jobs, backoff_seconds=BACKOFF)  # the production backoff is minutes
    key = Subscriptions(portal.store, settings).issue_key("civic tech 焼津")
    with TestClient(app) as client:
        yield World(settings, portal, client, key)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", "Accept": "application/json"}


@dataclass(frozen=True)
class Change:
    version: int
    removed: str  # the ID of the row taken out
    changed: str  # the ID of the row edited
    added: str  # the ID of the new row


def publish_changed(portal: Portal, tag: str) -> Change:
    """Publish the dataset again with one row removed, one edited and one added: a new version."""
    latest = versions(portal.store, NAME)[0].number
    source = version_folder(portal.versions_dir, NAME, latest)
    folder = portal.settings.data_dir.parent / f"changed-{tag}"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(source, folder)
    path = folder / version_file(portal.store, portal.versions_dir, NAME, latest).name
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    removed, edited = rows.pop(0), rows[0]
    edited["イベント名"] += f"（{tag}）"
    added = dict(edited, ID=f"new-{tag}")
    rows.append(added)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(removed), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    published = publish(folder, portal.publisher(), Options(allow_invalid=True))
    assert published.version is not None
    return Change(published.version, removed["ID"], edited["ID"], added["ID"])
