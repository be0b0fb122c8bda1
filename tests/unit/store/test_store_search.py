"""Japanese search in the database, on SQLite (FTS5) and PostgreSQL (tsvector) alike: every
bigram of the query must match, and the index follows the packages table by itself."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import delete, select

from portal.search.index import document
from portal.store import Store
from portal.store.models import Organization, Package
from portal.store.search import search_names

ORGS = {"222127": "焼津市", "221007": "静岡市"}
DATASETS = [
    ("222127-evacuation-space", "222127", "指定緊急避難場所一覧", ["防災"]),
    ("222127-public-toilet", "222127", "公衆トイレ一覧", ["トイレ"]),
    ("221007-public-toilet", "221007", "公衆トイレ一覧", ["トイレ"]),
    ("221007-aed", "221007", "AED設置箇所一覧", ["AED"]),
]


def package(name: str, org: str, title: str, tags: list[str]) -> dict[str, Any]:
    return {
        "name": name,
        "title": title,
        "notes": "",
        "tags": [{"name": t} for t in tags],
        "organization": {"name": org, "title": ORGS[org]},
        "resources": [{"name": f"{name}.csv"}],
    }


def row(data: dict[str, Any]) -> Package:
    return Package(
        id=data["name"],
        name=data["name"],
        owner_org=data["organization"]["name"],
        metadata_modified=datetime.now(UTC),
        data=data,
        search_terms=document(data),
    )


@pytest.fixture
def catalogue(store: Store) -> Iterator[Store]:
    store.ensure_current()
    with store.writing() as session:
        now = datetime.now(UTC)
        session.add_all(Organization(name=k, title=v, created=now) for k, v in ORGS.items())
        session.flush()
        session.add_all(row(package(*d)) for d in DATASETS)
    yield store


def search(store: Store, query: str) -> list[str]:
    with store.engine.connect() as connection:
        return search_names(connection, query)


def test_a_word_inside_a_japanese_title_is_found(catalogue: Store) -> None:
    assert search(catalogue, "避難場所") == ["222127-evacuation-space"]
    assert search(catalogue, "場所 避難") == ["222127-evacuation-space"]  # in any order
    assert search(catalogue, "避難所") == []  # 難所 is not in the title


def test_every_term_must_match(catalogue: Store) -> None:
    assert search(catalogue, "トイレ 焼津") == ["222127-public-toilet"]
    assert sorted(search(catalogue, "トイレ")) == ["221007-public-toilet", "222127-public-toilet"]
    assert search(catalogue, "トイレ 札幌") == []


def test_latin_words_and_single_characters(catalogue: Store) -> None:
    assert search(catalogue, "aed") == ["221007-aed"]
    assert search(catalogue, "ＡＥＤ") == ["221007-aed"]  # full-width, as typed on a Japanese IME
    assert len(search(catalogue, "市")) == 4
    assert search(catalogue, "  ") == []


def test_the_index_follows_updates_and_deletes(catalogue: Store) -> None:
    with catalogue.writing() as session:
        aed = session.scalars(select(Package).where(Package.name == "221007-aed")).one()
        changed = {**aed.data, "title": "自動体外式除細動器の設置場所"}
        aed.data, aed.search_terms = changed, document(changed)
    assert search(catalogue, "除細動器") == ["221007-aed"]
    assert sorted(search(catalogue, "設置場所")) == ["221007-aed"]
    with catalogue.writing() as session:
        session.execute(delete(Package).where(Package.name == "221007-aed"))
    assert search(catalogue, "除細動器") == []
    assert search(catalogue, "避難場所") == ["222127-evacuation-space"]


def test_search_works_after_downgrade_and_upgrade(catalogue: Store) -> None:
    catalogue.downgrade("base")
    catalogue.upgrade()
    with catalogue.writing() as session:
        session.add(Organization(name="222127", title="焼津市", created=datetime.now(UTC)))
        session.flush()
        session.add(row(package(*DATASETS[0])))
    assert search(catalogue, "避難場所") == ["222127-evacuation-space"]
