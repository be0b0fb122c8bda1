"""Row queries answer alike on both back ends: ranges compare numbers as numbers, values that
are no 64-bit number (beyond 64 bits, NaN, Infinity, text in a number field) are found by
their text, sorts put numbers in numeric order, LIKE is SQLite's (ASCII case ignored, no
escape character), and a distance query finds what is within the distance."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from portal.rows import BadQuery, Query, RowsStore, run
from portal.rows.sqlite import SqliteRowsStore
from portal.standards import Definition
from portal.store import Store
from portal.store.models import Base, modelled

FIELDS = [
    {"name": "ID", "type": "string", "kind": "id"},
    {"name": "名称", "type": "string"},
    {"name": "台数", "type": "integer"},
    {"name": "値", "type": "number"},
    {"name": "緯度", "type": "number"},
    {"name": "経度", "type": "number"},
]
EDGES = Definition(key="edges", meta={"slug": "edges", "version": "current", "title_ja": "端"},
                   schema={"fields": FIELDS})  # fmt: skip
BIG = "99999999999999999999999"
CSV = (
    "ID,名称,台数,値,緯度,経度\r\n"
    "1,Central Library,9,1.5,34.700,135.500\r\n"
    "2,市立図書館,10,-2,34.701,135.501\r\n"
    f"3,a\\b 100%,{BIG},NaN,34.710,135.510\r\n"
    "4,公民館,,Infinity,35.000,136.000\r\n"
    "5,体育館,abc,1e-400,,\r\n"
    "6,駅,-5,0,34.7005,135.5005\r\n"
)


@pytest.fixture
def edges(rows_store: RowsStore, tmp_path: Path) -> RowsStore:
    source = tmp_path / "edges.csv"
    source.write_text(CSV, encoding="utf-8")
    rows_store.load("e", EDGES, "272248", source, "h1")
    return rows_store


def ids(store: RowsStore, **params: Any) -> list[str]:
    return [r["ID"] for r in run(store, Query.of(EDGES, datasets=["e"], **params)).rows]


def test_ranges_compare_numbers_as_numbers(edges: RowsStore) -> None:
    at_least_nine = ids(edges, filters=[("台数", "gte", "9")])
    assert {"1", "2"} <= set(at_least_nine) and "6" not in at_least_nine  # 10 >= 9, -5 < 9
    assert ids(edges, filters=[("値", "lt", "0")]) == ["2"]
    assert ids(edges, filters=[("台数", "gt", "-6"), ("台数", "lt", "10")]) == ["1", "6"]


def test_numbers_no_64_bit_number_holds_are_found_by_their_text(edges: RowsStore) -> None:
    assert ids(edges, filters=[("台数", "eq", BIG)]) == ["3"]
    assert ids(edges, filters=[("台数", "eq", "abc")]) == ["5"]
    assert ids(edges, filters=[("値", "eq", "NaN")]) == ["3"]
    assert ids(edges, filters=[("値", "in", ["Infinity", "1e-400", "1.5"])]) == ["1", "4", "5"]
    assert ids(edges, filters=[("台数", "in", ["10", BIG])]) == ["2", "3"]
    with pytest.raises(BadQuery) as beyond:
        ids(edges, filters=[("台数", "gte", BIG)])
    assert "±9.2×10^18" in beyond.value.message_en


def test_values_read_back_as_published(edges: RowsStore) -> None:
    rows = {r["ID"]: r for r in run(edges, Query.of(EDGES, datasets=["e"])).rows}
    assert [rows[i]["台数"] for i in "123456"] == [9, 10, BIG, None, "abc", -5]
    assert [rows[i]["値"] for i in "123456"] == [1.5, -2.0, "NaN", "Infinity", "1e-400", 0.0]


def test_sorts_put_numbers_in_numeric_order(edges: RowsStore) -> None:
    numbers = [i for i in ids(edges, sort=[("台数", False)]) if i in ("1", "2", "6")]
    assert numbers == ["6", "1", "2"]
    assert ids(edges, sort=[("値", True)], filters=[("値", "gte", "-3")])[-2:] == ["6", "2"]


def test_like_ignores_ascii_case_and_has_no_escape_character(edges: RowsStore) -> None:
    assert ids(edges, filters=[("名称", "like", "LIBRARY")]) == ["1"]
    assert ids(edges, filters=[("名称", "like", "a\\b")]) == ["3"]
    assert ids(edges, q="図書") == ["2"]


def test_distance_finds_what_is_within_it_nearest_first(edges: RowsStore) -> None:
    page = run(edges, Query.of(EDGES, datasets=["e"], near=(34.7, 135.5, 200.0)))
    assert [r["ID"] for r in page.rows] == ["1", "6", "2"]
    assert page.rows[0]["_distance_m"] == 0.0 and page.total == 3


def test_both_back_ends_answer_every_comparison_alike(edges: RowsStore, tmp_path: Path) -> None:
    reference = SqliteRowsStore(tmp_path / "reference")
    source = tmp_path / "reference.csv"
    source.write_text(CSV, encoding="utf-8")
    reference.load("e", EDGES, "272248", source, "h1")
    values = ["9", "10", "-5", "0", "1.5", "abc", "NaN", "Infinity", BIG, "1e-400", "z", ""]
    ops = ["eq", "ne", "gt", "gte", "lt", "lte"]
    for field, op, value in itertools.product(["台数", "値", "名称"], ops, values):
        assert answer(edges, [(field, op, value)]) == answer(reference, [(field, op, value)]), (
            field, op, value,
        )  # fmt: skip
    for field, descending in itertools.product(["台数", "値", "名称"], [False, True]):
        assert ids(edges, sort=[(field, descending)]) == ids(reference, sort=[(field, descending)])


def answer(store: RowsStore, filters: list[tuple[str, str, Any]]) -> object:
    try:
        return ids(store, filters=filters)
    except BadQuery as exc:
        return exc.code, exc.message_en


def test_loaded_tables_are_not_taken_for_schema_the_migrations_lack(
    database_url: str, edges: RowsStore
) -> None:
    store = Store.open(database_url)
    try:
        with store.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_name": modelled, "compare_type": True}
            )
            assert compare_metadata(context, Base.metadata) == []
    finally:
        store.close()


def test_a_standard_nothing_is_published_in_answers_no_rows(rows_store: RowsStore) -> None:
    unknown = Definition(key="none_yet", meta=EDGES.meta, schema={"fields": FIELDS})
    for _ in range(2):  # and the store answers as before afterwards
        page = run(rows_store, Query.of(unknown, filters=[("台数", "gte", "1")]))
        assert (page.rows, page.total) == ([], 0)
        near = run(rows_store, Query.of(unknown, near=(34.7, 135.5, 100.0)))
        assert (near.rows, near.total) == ([], 0)
    assert rows_store.all_loaded() == []
