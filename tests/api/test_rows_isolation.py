"""One city's data never takes down another's answers, and rows are loaded once, never by a request.

Two cities publish 公衆トイレ (public_toilet): 焼津市 with a count far beyond 64 bits
(男性トイレ総数 = 99999999999999999999999), 摂津市 with an ordinary one. Every route that
reads rows must answer for both; a dataset whose rows cannot be loaded at all answers 503
for itself while the cross-municipality and WAPI routes answer for the others. Rows are
loaded when a dataset is published; rows published where this server does not see (another
machine, CKAN) are loaded by the server's sync (Portal.sync_rows: at start-up and then
periodically), once however many syncs run at the same time; a request only reads.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ckanapi
import pytest
from fastapi.testclient import TestClient

from portal.catalogue.from_recipe import publish_recipe
from portal.catalogue.publish import Options
from portal.composition import Portal
from portal.rows import sync
from portal.server import create_app
from portal.settings import Settings
from portal.standards import Registry
from portal.workspace import Workspace
from tests.api.conftest import build_catalogue
from tests.conftest import DATASETS_DIR, REFERENCE_DIR
from tests.integration.conftest import purge

HUGE = "99999999999999999999999"
YAIZU, SETTSU = "222127-public-toilet", "272248-public-toilet"
CITIES = [("222127", "静岡県焼津市", HUGE), ("272248", "大阪府摂津市", "3")]


def toilet_recipe(folder: Path, lgcode: str, city: str, count: str) -> Path:
    """A one-row 公衆トイレ file in the standard's own columns, and the recipe that takes it."""
    fields = Registry(DATASETS_DIR).get("public_toilet").field_names
    row = dict.fromkeys(fields, "")
    row.update({"全国地方公共団体コード": lgcode, "ID": "1", "地方公共団体名": city,
                "名称": "駅前公衆トイレ", "所在地_連結表記": f"{city}駅前1-1", "設置位置": "駅前広場",
                "緯度": "34.8", "経度": "138.3", "男性トイレ総数": count})  # fmt: skip
    source = folder / f"toilet-{lgcode}.csv"
    with source.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([fields, [row[f] for f in fields]])
    columns = "".join(f"  {f}: {{from: {f}}}\n" for f in fields)
    recipe = folder / f"toilet-{lgcode}.yaml"
    recipe.write_text(
        f"version: 1\ntitle: {city} 公衆トイレ\nsource:\n  path: {source.name}\n"
        f"target:\n  dataset: public_toilet\n  lgcode: '{lgcode}'\ncolumns:\n{columns}",
        encoding="utf-8",
    )
    return recipe


def two_cities(root: Path) -> Settings:
    """Both cities converted and published (with --allow-invalid: the huge count may be
    an error finding, and such a dataset is still published, marked 要修正)."""
    root.mkdir(parents=True, exist_ok=True)
    return build_catalogue(root, [toilet_recipe(root, *city) for city in CITIES])


@pytest.fixture(scope="module")
def toilets(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    return TestClient(create_app(two_cities(tmp_path_factory.mktemp("toilets"))))


def ok(client: TestClient, url: str, **params: Any) -> Any:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def count_loads(monkeypatch: pytest.MonkeyPatch, pause: float = 0.0) -> list[str]:
    """The datasets whose published CSV is fetched to be loaded from here on."""
    loads: list[str] = []
    fetch: Callable[..., None] = sync.fetch

    def counted(catalogue: Any, resource: dict[str, Any], staged: Path) -> None:
        loads.append(resource["name"].split("_")[0])  # the lgcode of 222127_public_toilet.csv
        time.sleep(pause)  # a large file: the other syncs arrive while it loads
        fetch(catalogue, resource, staged)

    monkeypatch.setattr(sync, "fetch", counted)
    return loads


# Defect 1: a count beyond 64 bits


def test_a_count_beyond_64_bits_is_served_as_published_text(toilets: TestClient) -> None:
    published = toilets.get(f"/api/v1/datasets/{YAIZU}/download.csv")
    assert published.status_code == 200, published.text
    cell = next(csv.DictReader(io.StringIO(published.text)))["男性トイレ総数"]
    assert cell == HUGE
    (row,) = ok(toilets, f"/api/v1/datasets/{YAIZU}/rows")["rows"]
    assert row["男性トイレ総数"] == cell  # exactly the CSV's text, not a rounded 1e23
    (found,) = ok(toilets, "/api/v1/standard/public_toilet/rows", 男性トイレ総数=HUGE)["rows"]
    assert found["_lgcode"] == "222127"
    assert toilets.get(f"/datasets/{YAIZU}").status_code == 200


def test_a_count_beyond_64_bits_does_not_take_down_the_other_city(toilets: TestClient) -> None:
    (settsu,) = ok(toilets, f"/api/v1/datasets/{SETTSU}/rows")["rows"]
    assert settsu["男性トイレ総数"] == 3
    across = ok(toilets, "/api/v1/standard/public_toilet/rows")
    assert sorted(r["_lgcode"] for r in across["rows"]) == ["222127", "272248"]
    wapi = ok(toilets, "/wapi/public_toilet")
    assert sorted(f["properties"]["municipalityCode"] for f in wapi["resultsets"]["features"]) == [
        "222127",
        "272248",
    ]


# Defect 1: a dataset whose rows cannot be loaded at all


@pytest.fixture
def one_unloadable(tmp_path: Path) -> TestClient:
    """焼津市's published CSV is damaged on disk, and no rows are loaded yet (as for a
    dataset published to CKAN by another machine): the server's sync at start-up fails to
    load it."""
    settings = two_cities(tmp_path)
    shutil.rmtree(settings.data_dir / "rows", ignore_errors=True)
    publisher = Portal.open(settings, "embedded").publisher()
    catalogue = publisher.catalogue
    package = catalogue.package_show(YAIZU)
    assert package is not None
    resource = next(r for r in package["resources"] if r["format"] == "CSV")
    with catalogue.resource_path(resource).open("ab") as fh:
        fh.write(b"\xff\xfe not UTF-8\r\n")
    portal = Portal.open(settings, "embedded")
    assert list(portal.sync_rows().failed) == [YAIZU]  # what `portal serve` does at start-up
    return TestClient(create_app(settings, portal))


def test_a_dataset_that_cannot_load_answers_503_for_itself_only(
    one_unloadable: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    client = one_unloadable
    with caplog.at_level(logging.WARNING):
        across = ok(client, "/api/v1/standard/public_toilet/rows")
        wapi = ok(client, "/wapi/public_toilet")
    assert [r["_lgcode"] for r in across["rows"]] == ["272248"]
    assert [f["properties"]["municipalityCode"] for f in wapi["resultsets"]["features"]] == [
        "272248"
    ]
    assert any(YAIZU in r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING)
    for url in (f"/api/v1/datasets/{YAIZU}/rows", f"/api/v1/datasets/{YAIZU}/download.csv"):
        response = client.get(url)
        assert response.status_code == 503, url
        error = response.json()["error"]
        assert response.json()["ok"] is False
        assert error["code"] == "rows-unavailable"
        assert YAIZU in error["message_en"] and YAIZU in error["message_ja"]
        assert "UnicodeDecodeError" in error["message_en"]
        assert error["location"]["file"] == "222127_public_toilet.csv"
        assert error["hint_ja"]
    assert ok(client, f"/api/v1/datasets/{SETTSU}/rows")["total"] == 1
    page = client.get(f"/datasets/{YAIZU}", headers={"Accept": "text/html"})
    assert page.status_code == 200  # the page shows the dataset, without the preview
    assert "プレビューを表示できません" in page.text and "222127_public_toilet.csv" in page.text


# Defect 8: loaded at publish, and never more than once at a time


def test_after_publish_the_first_request_does_not_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = TestClient(create_app(two_cities(tmp_path)))
    loads = count_loads(monkeypatch)
    assert ok(client, f"/api/v1/datasets/{YAIZU}/rows")["total"] == 1
    assert ok(client, "/api/v1/standard/public_toilet/rows")["total"] == 2
    assert loads == []


def test_rows_published_elsewhere_are_loaded_by_the_sync_once_never_by_a_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = two_cities(tmp_path)
    shutil.rmtree(settings.data_dir / "rows")  # published elsewhere: not loaded here yet
    portal = Portal.open(settings, "embedded")
    client = TestClient(create_app(settings, portal))
    loads = count_loads(monkeypatch, pause=0.5)
    waiting = client.get(f"/api/v1/datasets/{SETTSU}/rows")
    assert waiting.status_code == 503 and waiting.json()["error"]["code"] == "rows-not-loaded"
    assert int(waiting.headers["Retry-After"]) == 60 and "portal rows rebuild" in waiting.text
    assert ok(client, "/api/v1/standard/public_toilet/rows")["total"] == 0
    assert loads == []  # a request never loads
    syncs = [threading.Thread(target=portal.sync_rows) for _ in range(3)]
    for thread in syncs:
        thread.start()
    for thread in syncs:
        thread.join(timeout=60)
    assert sorted(loads) == ["222127", "272248"]  # three syncs at once: each dataset once
    assert ok(client, f"/api/v1/datasets/{SETTSU}/rows")["total"] == 1
    assert ok(client, "/api/v1/standard/public_toilet/rows")["total"] == 2


@pytest.mark.ckan
def test_after_publish_to_ckan_the_first_request_does_not_load(
    ckan: ckanapi.RemoteCKAN, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    suffix = uuid.uuid4().hex[:8]
    settings = Settings(datasets_dir=DATASETS_DIR, reference_dir=REFERENCE_DIR,
                        data_dir=tmp_path / "var", catalogue="ckan", rate_limit=0,
                        ckan_url=os.environ["CKAN_URL"], ckan_api_token=os.environ["CKAN_API_TOKEN"],
                        package_name="{lgcode}-{slug}-" + suffix, organization="{lgcode}-" + suffix)  # type: ignore[call-arg]  # fmt: skip
    publisher = Portal.open(settings).publisher()
    try:
        recipe = toilet_recipe(tmp_path, *CITIES[1])
        publish_recipe(recipe, publisher, Workspace.of(settings), Options(allow_invalid=True))
        client = TestClient(create_app(settings))
        loads = count_loads(monkeypatch)
        name = f"272248-public-toilet-{suffix}"
        assert ok(client, f"/api/v1/datasets/{name}/rows")["rows"][0]["男性トイレ総数"] == 3
        assert loads == []
    finally:
        purge(ckan, suffix)
