"""Japanese catalogue search through the API, alike on both portal databases: 「避難場所」 finds
吹田市's 指定緊急避難場所一覧, 「トイレ 焼津」 finds 焼津市's 公衆トイレ and not 焼津市's AED list,
however the words sit in the titles (no spaces between Japanese words)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from portal.server import create_app
from portal.settings import PROJECT_ROOT
from tests.api.conftest import build_catalogue

RECIPES = [PROJECT_ROOT / "pipelines" / f"{name}.yaml"
           for name in ("suita_evacuation_space", "yaizu_public_toilet", "yaizu_aed")]  # fmt: skip


@pytest.fixture
def client(database_url: str, tmp_path: Path) -> TestClient:
    return TestClient(create_app(build_catalogue(tmp_path, RECIPES, database_url=database_url)))


def names(client: TestClient, q: str) -> list[str]:
    answer = client.get("/api/v1/datasets", params={"q": q})
    assert answer.status_code == 200, answer.text
    return [d["name"] for d in answer.json()["results"]]


def test_japanese_words_are_found_inside_titles(client: TestClient) -> None:
    assert names(client, "避難場所") == ["272051-evacuation-space"]
    assert names(client, "トイレ 焼津") == ["222127-public-toilet"]
    assert sorted(names(client, "焼津")) == ["222127-aed", "222127-public-toilet"]
    assert names(client, "焼津 避難場所") == []  # every word must match
    assert names(client, "ＡＥＤ") == ["222127-aed"]  # full-width letters fold to the same term


def test_the_ckan_action_api_searches_the_same(client: TestClient) -> None:
    answer = client.get("/api/3/action/package_search", params={"q": "トイレ 焼津"}).json()
    assert answer["success"] and [d["name"] for d in answer["result"]["results"]] == [
        "222127-public-toilet"
    ]
