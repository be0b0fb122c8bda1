"""An expanded query in the database, on SQLite (FTS5) and PostgreSQL (tsvector) alike: a word
matches through any of its alternatives, every word must match, a package's search extras (the
standard's title, its category, its rows' names) are searched."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from portal.search.index import document
from portal.search.synonyms import synonyms
from portal.store import Store
from portal.store.models import Organization, Package
from portal.store.search import search_names

DATASETS = [
    (
        "222127-evacuation-space",
        "指定緊急避難場所一覧（焼津市）",
        "防災",
        "焼津中央公園 / 港小学校",
    ),
    ("222127-aed", "焼津市のAED", "防災", "市役所本館 / 焼津中央公園"),
    ("222127-public-wireless-lan", "公衆無線LANアクセスポイント一覧（焼津市）", "生活", "第1庁舎"),
]


def package(name: str, title: str, category: str, names: str) -> dict[str, Any]:
    extras = {"standard_title": title.split("（")[0], "category": category, "row_names": names}
    return {"name": name, "title": title, "notes": "", "tags": [],
            "organization": {"name": "222127", "title": "焼津市"},
            "extras": [{"key": k, "value": v} for k, v in extras.items()]}  # fmt: skip


@pytest.fixture
def catalogue(store: Store) -> Iterator[Store]:
    store.ensure_current()
    with store.writing() as session:
        session.add(Organization(name="222127", title="焼津市", created=datetime.now(UTC)))
        session.flush()
        for d in DATASETS:
            data = package(*d)
            session.add(Package(id=d[0], name=d[0], owner_org="222127", data=data,
                                metadata_modified=datetime.now(UTC), search_terms=document(data)))  # fmt: skip
    yield store


def search(store: Store, query: str) -> set[str]:
    with store.engine.connect() as connection:
        return set(search_names(connection, synonyms().expand(query)))


def test_a_word_matches_through_its_synonyms(catalogue: Store) -> None:
    assert search(catalogue, "避難所") == {"222127-evacuation-space"}
    assert search(catalogue, "Wi-Fi") == {"222127-public-wireless-lan"}


def test_every_word_must_match(catalogue: Store) -> None:
    assert search(catalogue, "避難所 焼津") == {"222127-evacuation-space"}
    assert search(catalogue, "避難所 静岡") == set()


def test_row_names_and_category_are_searched(catalogue: Store) -> None:
    assert search(catalogue, "公園") == {"222127-evacuation-space", "222127-aed"}
    assert search(catalogue, "市役所") == {"222127-aed", "222127-public-wireless-lan"}  # 庁舎
    assert search(catalogue, "防災") >= {"222127-evacuation-space", "222127-aed"}


def test_words_with_nothing_to_search_find_nothing(catalogue: Store) -> None:
    with catalogue.engine.connect() as connection:
        assert search_names(connection, (("!!",), ("？",))) == []
