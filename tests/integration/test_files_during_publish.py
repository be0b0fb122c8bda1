"""A published version's files stay readable while newer versions are published.

A reader reads a dataset, then fetches the file URLs that answer named; meanwhile
publishes replace it. Every fetch must succeed: the replaced version's files are
kept for a grace period, then removed by a later publish.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from portal.catalogue.publish import Options, publish
from portal.composition import Portal
from portal.datadir import FILE_GRACE_SECONDS
from portal.pipeline import convert
from portal.server import create_app
from portal.settings import Settings
from portal.workspace import Workspace
from tests.api.conftest import serve
from tests.conftest import DATASETS_DIR, REFERENCE_DIR, TEST_DATA
from tests.integration.conftest import variant

QUIET = Options(sleep=lambda s: None, who="test-clerk")
NAME = "222127-event"
PUBLISHES = 20
READERS = 4


def two_versions(root: Path) -> tuple[Settings, Path, Path]:
    settings = Settings(datasets_dir=DATASETS_DIR, reference_dir=REFERENCE_DIR,
                        data_dir=root / "var", catalogue="embedded", rate_limit=0)  # fmt: skip
    v1 = convert(TEST_DATA / "convert" / "event-cp932.yaml", Workspace.of(settings), root / "v1")
    first = v1.files["csv"].parent
    return settings, first, variant(first, root / "v2", extra_row=True)


def read_then_fetch(base: str, stop: threading.Event, statuses: Counter[int]) -> None:
    """What a harvester does: read the dataset, then download every file it lists."""
    with httpx.Client(timeout=30) as client:
        while not stop.is_set():
            shown = client.get(f"{base}/api/v1/datasets/{NAME}")
            statuses[shown.status_code] += 1
            if shown.status_code != 200:
                continue
            for resource in shown.json()["resources"]:
                statuses[client.get(resource["url"]).status_code] += 1


def test_readers_fetch_every_file_they_were_shown_while_publishes_run(tmp_path: Path) -> None:
    settings, v1, v2 = two_versions(tmp_path)
    publisher = Portal.open(settings, "embedded").publisher()
    publish(v1, publisher, QUIET)
    statuses: Counter[int] = Counter()
    stop = threading.Event()
    with contextmanager(serve)(create_app(settings)) as base:
        readers = [
            threading.Thread(target=read_then_fetch, args=(base, stop, statuses))
            for _ in range(READERS)
        ]
        for reader in readers:
            reader.start()
        try:
            for number in range(PUBLISHES):
                done = publish(v2 if number % 2 == 0 else v1, publisher, QUIET)
                assert done.action == "update"
                time.sleep(0.02)  # let the readers read between two publishes
        finally:
            stop.set()
            for reader in readers:
                reader.join(30)
    assert statuses[200] > PUBLISHES * 5, statuses  # they did read meanwhile
    assert set(statuses) == {200}, f"readers were answered {dict(statuses)}"


def age(folder: Path, seconds: float) -> None:
    """Make a folder and its files look `seconds` old, as if that time had passed."""
    then = time.time() - seconds
    for path in (*folder.iterdir(), folder):
        os.utime(path, (then, then))


def test_a_replaced_version_is_kept_for_the_grace_period_then_removed(tmp_path: Path) -> None:
    settings, v1, v2 = two_versions(tmp_path)
    publisher = Portal.open(settings, "embedded").publisher()
    catalogue = publisher.catalogue
    first = publish(v1, publisher, QUIET).result
    assert first is not None
    old = {catalogue.files / r["id"] for r in first["resources"]}
    for folder in old:
        age(folder, 2 * FILE_GRACE_SECONDS)  # published long ago, replaced just now:
    second = publish(v2, publisher, QUIET).result
    assert second is not None
    client = TestClient(create_app(settings))
    for resource in first["resources"]:  # by its own address, as a client that kept it
        kept = client.get(f"/files/{resource['id']}/{resource['name']}", follow_redirects=False)
        assert kept.status_code == 200, "the replaced version went at once"
    for folder in old:
        age(folder, FILE_GRACE_SECONDS + 1)  # the grace period has passed
    publish(v1, publisher, QUIET)  # the next publish cleans up
    assert not any(f.exists() for f in old), "an expired version was left behind"
    for resource in first["resources"]:  # a retired address points at the stable one now
        retired = client.get(f"/files/{resource['id']}/{resource['name']}", follow_redirects=False)
        assert retired.status_code == 301, resource["name"]
        assert retired.headers["location"] == resource["url"]
    for resource in second["resources"]:  # replaced just now: still readable
        assert client.get(resource["url"]).status_code == 200
