"""Free text (`q`) through the SQLite trigram index answers exactly what the LIKE scan
answers — case, short words, LIKE's wildcards, quotes — and stays in step with the rows
through republish, withdrawal, a grown definition and a store made before the index.
(A query's speed is bench/national.py's, not a test's.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from portal.rows import Query, RowsStore, run
from portal.rows.base import table_name
from portal.rows.sqlite import SqliteRowsStore
from portal.standards import Definition

FIELDS = [
    {"name": "ID", "type": "string", "kind": "id"},
    {"name": "名称", "type": "string"},
    {"name": "住所", "type": "string"},
    {"name": "台数", "type": "integer"},
]
TEXT = Definition(key="text", meta={"slug": "text", "version": "current", "title_ja": "文"},
                  schema={"fields": FIELDS})  # fmt: skip
INDEX = table_name(TEXT.key) + "__text"
CSV = (
    "ID,名称,住所,台数\r\n"
    "1,焼津市役所,静岡県焼津市本町2-16-32,3\r\n"
    "2,Central Library,大阪府堺市堺区,1\r\n"
    '3,"名前に""引用""と100%",静岡県焼津市,2\r\n'
    "4,a_b ホール,,5\r\n"
    "5,市民体育館,静岡県藤枝市岡出山,123\r\n"
)
QUERIES = ["焼津市", "焼津", "library", "LIBRARY", "堺市堺", "市役所本", '"引用"', "100%", "a_b",
           "a%b", "_", "ホール", "藤枝市岡出山", "123", "存在しない語", "市", "住所"]  # fmt: skip


def scanned(tmp_path: Path, csv: str = CSV) -> SqliteRowsStore:
    """A store answering by LIKE alone: its index dropped."""
    store = loaded(tmp_path / "scan", csv)
    with store.db() as db:
        db.execute(f'DROP TABLE "{INDEX}"')
    return store


def loaded(root: Path, csv: str = CSV, definition: Definition = TEXT) -> SqliteRowsStore:
    store = SqliteRowsStore(root)
    source = root.parent / f"{root.name}.csv"
    source.write_text(csv, encoding="utf-8")
    store.load("d", definition, "222127", source, str(hash(csv)))
    return store


def ids(store: RowsStore, definition: Definition = TEXT, **params: Any) -> list[str]:
    return [r["ID"] for r in run(store, Query.of(definition, datasets=["d"], **params)).rows]


def uses_index(store: SqliteRowsStore, text: str) -> bool:
    return store.text_filter(table_name(TEXT.key), [], text) is not None


def test_every_query_answers_as_the_like_scan(tmp_path: Path) -> None:
    indexed, scan = loaded(tmp_path / "indexed"), scanned(tmp_path)
    assert uses_index(indexed, "焼津市") and not uses_index(scan, "焼津市")
    for text in QUERIES:
        assert ids(indexed, q=text) == ids(scan, q=text), text
    assert ids(indexed, q="library") == ["2"]
    assert ids(indexed, q="焼津市") == ["1", "3"]
    assert ids(indexed, q='"引用"') == ["3"]


def test_short_words_and_wildcards_are_scanned(tmp_path: Path) -> None:
    store = loaded(tmp_path / "s")
    assert not uses_index(store, "焼津") and not uses_index(store, "a_b")
    assert not uses_index(store, "10%")
    assert ids(store, q="焼津") == ["1", "3"]  # answered all the same, by the scan


def test_republish_and_withdrawal_keep_the_index_in_step(tmp_path: Path) -> None:
    store = loaded(tmp_path / "r")
    changed = CSV.replace("焼津市役所", "焼津市庁舎")
    source = tmp_path / "changed.csv"
    source.write_text(changed, encoding="utf-8")
    store.load("d", TEXT, "222127", source, "h2")
    assert ids(store, q="市役所本") == [] and ids(store, q="市庁舎") == ["1"]
    with store.db() as db:  # the old text is out of the index, not only filtered out
        found = f'SELECT rowid FROM "{INDEX}" WHERE "{INDEX}" MATCH ?'
        assert db.execute(found, ['"市役所"']).fetchall() == []
    store.drop("d")
    with store.db() as db:
        found = f'SELECT rowid FROM "{INDEX}" WHERE "{INDEX}" MATCH ?'
        assert db.execute(found, ['"焼津市"']).fetchall() == []  # nothing left behind
        db.execute(f'INSERT INTO "{INDEX}"("{INDEX}") VALUES (\'integrity-check\')')


def test_a_definition_that_gained_a_text_field_is_searched_in_it(tmp_path: Path) -> None:
    store = loaded(tmp_path / "g")
    grown = Definition(key="text", meta=TEXT.meta,
                       schema={"fields": [*FIELDS, {"name": "備考", "type": "string"}]})  # fmt: skip
    other = tmp_path / "other.csv"
    other.write_text("ID,名称,住所,台数,備考\r\n9,別館,,1,夜間は閉館します\r\n", encoding="utf-8")
    store.load("o", grown, "222127", other, "h3")
    assert [r["ID"] for r in run(store, Query.of(grown, q="閉館します")).rows] == ["9"]
    assert [r["ID"] for r in run(store, Query.of(grown, q="焼津市役")).rows] == ["1"]


def test_a_store_made_before_the_index_gains_it_on_its_next_load(tmp_path: Path) -> None:
    old = scanned(tmp_path)  # rows loaded, no index: as a store made by an earlier version
    old.load(
        "o", TEXT, "222127", _write(tmp_path / "o.csv", "ID,名称,住所,台数\r\n7,東館,,1\r\n"), "h4"
    )
    assert uses_index(old, "焼津市")
    assert ids(old, q="焼津市") == ["1", "3"]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_both_back_ends_answer_free_text_as_the_scan(rows_store: RowsStore, tmp_path: Path) -> None:
    """On SQLite and on PostgreSQL (its pg_trgm index; the test database has the extension)."""
    source = _write(tmp_path / "both.csv", CSV)
    rows_store.load("d", TEXT, "222127", source, "h1")
    scan = scanned(tmp_path)
    fields = [f["name"] for f in FIELDS if f["type"] == "string"]
    assert rows_store.text_filter(table_name(TEXT.key), fields, "焼津市") is not None
    assert rows_store.text_filter(table_name(TEXT.key), fields, "焼津") is None
    for text in QUERIES:
        assert ids(rows_store, q=text) == ids(scan, q=text), text


def test_a_like_filter_on_one_field_is_narrowed_to_that_field(tmp_path: Path) -> None:
    indexed, scan = loaded(tmp_path / "like"), scanned(tmp_path)
    table = table_name(TEXT.key)
    assert indexed.text_filter(table, [], "焼津市", "名称") is not None
    for field in ("名称", "住所"):
        for text in QUERIES:
            like = [(field, "like", text)]
            assert ids(indexed, filters=like) == ids(scan, filters=like), (field, text)
    assert ids(indexed, filters=[("名称", "like", "焼津市")]) == ["1"]  # 3's is in 住所 only
