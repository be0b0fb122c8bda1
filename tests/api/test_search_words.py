"""Search in residents' words through the API, alike on both portal databases: the words people
type (避難所, 保育園, 消火栓, Wi-Fi, 公園, 市役所) find the standard datasets titled in the
standard's words (指定緊急避難場所一覧, 子育て施設一覧, 消防水利施設一覧, 公衆無線LAN…), a
facility's name finds the dataset whose rows name it, a category filters, and a search that
finds nothing answers related searches."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from portal.server import create_app
from portal.settings import PROJECT_ROOT
from tests.api.conftest import catalogue_in

RECIPES = [PROJECT_ROOT / "pipelines" / f"{name}.yaml"
           for name in ("suita_evacuation_space", "yaizu_preschool", "yaizu_fire_hydrant",
                        "ichikawa_wifi", "yaizu_public_toilet", "yaizu_aed")]  # fmt: skip
EVACUATION, PRESCHOOL, FIRE_WATER = (
    "272051-evacuation-space",
    "222127-preschool",
    "222127-fire-hydrant",
)
WIFI, TOILETS, AED = "122033-public-wireless-lan", "222127-public-toilet", "222127-aed"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """The catalogue in a SQLite portal database, then in a PostgreSQL one."""
    root = tmp_path_factory.mktemp(f"search-words-{request.param}")
    with catalogue_in(request, root, RECIPES) as settings:
        yield TestClient(create_app(settings))


def search(client: TestClient, **params: str) -> dict[str, Any]:
    answer = client.get("/api/v1/datasets", params=params)
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def ranked(client: TestClient, q: str) -> list[str]:
    return [d["name"] for d in search(client, q=q)["results"]]


def names(client: TestClient, q: str) -> set[str]:
    return set(ranked(client, q))


@pytest.mark.parametrize(
    ("word", "wanted"),
    [
        ("避難所", EVACUATION),
        ("保育園", PRESCHOOL),  # and the AED list, whose rows include a 保育園
        ("幼稚園", PRESCHOOL),
        ("消火栓", FIRE_WATER),
        ("防火水槽", FIRE_WATER),
        ("Wi-Fi", WIFI),
        ("ＷｉＦｉ", WIFI),
        ("wifi", WIFI),
        ("便所", TOILETS),
    ],
)
def test_residents_words_find_the_standard_datasets(
    client: TestClient, word: str, wanted: str
) -> None:
    assert ranked(client, word)[0] == wanted


def test_a_facility_name_finds_the_dataset_that_lists_it(client: TestClient) -> None:
    assert AED in names(client, "市役所")  # 焼津市's AED list has 市役所本館
    assert names(client, "公園") >= {EVACUATION, TOILETS}  # 千里北公園, 大井川港公園 …
    assert AED not in names(client, "公園 消火栓")


def test_words_of_a_query_all_count(client: TestClient) -> None:
    assert names(client, "避難所 吹田") == {EVACUATION}
    assert names(client, "避難所 焼津") == set()


def test_the_standard_title_and_category_are_searched(client: TestClient) -> None:
    assert EVACUATION in names(client, "防災")
    assert names(client, "子育て施設一覧") == {PRESCHOOL}


def test_category_filters(client: TestClient) -> None:
    found = {d["name"] for d in search(client, category="防災")["results"]}
    assert found == {EVACUATION, FIRE_WATER, AED}
    assert {d["name"] for d in search(client, category="子育て", q="焼津")["results"]} == {
        PRESCHOOL
    }
    bad = client.get("/api/v1/datasets", params={"category": "天気"})
    assert bad.status_code == 400
    error = bad.json()["error"]
    assert error["code"] == "unknown-category" and "防災" in error["message_ja"]


def test_nothing_found_answers_related_searches(client: TestClient) -> None:
    answer = search(client, q="避難所 焼津")
    assert answer["count"] == 0
    assert {"避難所", "焼津", "指定緊急避難場所"} <= set(answer["suggestions"])
    assert search(client, q="ほげほげ")["suggestions"][:2] == ["防災", "子育て"]
    assert "suggestions" not in search(client, q="避難所")
