"""Loading a dataset's rows: once at a time, failures kept to the one dataset."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from portal.rows import Loaded, Query, RowsStore, RowsUnavailable, run
from portal.standards import Definition
from tests.unit.rows.conftest import OpenRows

FIELDS = [
    {"name": "ID", "type": "string", "kind": "id"},
    {"name": "名称", "type": "string"},
    {"name": "台数", "type": "integer"},
    {"name": "緯度", "type": "number"},
    {"name": "経度", "type": "number"},
]
TINY = Definition(key="tiny", meta={"slug": "tiny", "version": "current", "title_ja": "小"},
                  schema={"fields": FIELDS})  # fmt: skip
GOOD = "ID,名称,台数,緯度,経度\r\n1,市役所,2,34.7,135.5\r\n2,図書館,,34.8,135.6\r\n"


def writes(
    text: str | bytes, calls: list[Path] | None = None, pause: float = 0.0
) -> Callable[[Path], None]:
    """A fetch that writes `text` as the published CSV (slowly, if asked), counting calls."""

    def fetch(staged: Path) -> None:
        if calls is not None:
            calls.append(staged)
        time.sleep(pause)
        staged.write_bytes(text if isinstance(text, bytes) else text.encode())

    return fetch


def rows(store: RowsStore, definition: Definition = TINY, name: str = "t") -> list[dict[str, Any]]:
    return run(store, Query.of(definition, datasets=[name])).rows


def count_inserts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    inserted: list[str] = []
    insert = RowsStore._insert

    def counted(
        self: RowsStore, db: Any, table: str, definition: Any, name: str, *rest: Any
    ) -> int:
        inserted.append(name)
        return insert(self, db, table, definition, name, *rest)

    monkeypatch.setattr(RowsStore, "_insert", counted)
    return inserted


def in_threads(*calls: Callable[[], Loaded]) -> list[Loaded]:
    results: list[Loaded] = []
    threads = [threading.Thread(target=lambda c=c: results.append(c())) for c in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_concurrent_loads_of_one_dataset_fetch_and_insert_once(
    rows_store: RowsStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = rows_store
    fetched: list[Path] = []
    inserted = count_inserts(monkeypatch)
    fetch = writes(GOOD, fetched, pause=0.3)
    results = in_threads(*[lambda: store.load_from("t", TINY, "272248", "h1", fetch)] * 3)
    assert [r.rows for r in results] == [2, 2, 2]
    assert len(fetched) == 1 and inserted == ["t"]


def test_a_load_another_process_finished_meanwhile_is_not_repeated(
    open_rows: OpenRows, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two stores on one database hold separate in-process locks, as two processes do: the
    # content hash read inside the write transaction is what stops the second load.
    first, second = open_rows(), open_rows()
    inserted = count_inserts(monkeypatch)
    results = in_threads(
        lambda: first.load_from("t", TINY, "272248", "h1", writes(GOOD, pause=0.3)),
        lambda: second.load_from("t", TINY, "272248", "h1", writes(GOOD, pause=0.3)),
    )
    assert [r.content_hash for r in results] == ["h1", "h1"]
    assert inserted == ["t"]
    assert len(rows(first)) == 2


def test_a_file_that_cannot_load_is_not_tried_again_until_published_again(
    rows_store: RowsStore,
) -> None:
    store = rows_store
    fetched: list[Path] = []
    damaged = GOOD.encode() + b"3,\xff\xfe,1,34.9,135.7\r\n"
    with pytest.raises(RowsUnavailable) as first:
        store.load_from("t", TINY, "272248", "h1", writes(damaged, fetched))
    assert "t" in first.value.message_ja and "UnicodeDecodeError" in first.value.message_en
    assert first.value.to_dict()["location"] == {"file": "272248_tiny.csv"}
    assert first.value.status == 503
    with pytest.raises(RowsUnavailable):
        store.load_from("t", TINY, "272248", "h1", writes(damaged, fetched))
    assert len(fetched) == 1  # the same content fails the same way: not read again
    assert store.load_from("t", TINY, "272248", "h2", writes(GOOD, fetched)).rows == 2


def test_a_missing_file_is_tried_again_by_the_next_request(rows_store: RowsStore) -> None:
    store = rows_store

    def missing(staged: Path) -> None:
        raise FileNotFoundError(2, "No such file or directory", "/srv/portal/files/x.csv")

    with pytest.raises(RowsUnavailable) as error:
        store.load_from("t", TINY, "272248", "h1", missing)
    assert error.value.params["retry_after"] > 0
    assert "/srv/portal" not in error.value.message_en  # the server's paths stay private
    assert store.load_from("t", TINY, "272248", "h1", writes(GOOD)).rows == 2


def test_rows_of_older_content_are_dropped_when_the_new_content_cannot_load(
    rows_store: RowsStore,
) -> None:
    store = rows_store
    store.load_from("t", TINY, "272248", "h1", writes(GOOD))
    with pytest.raises(RowsUnavailable):
        store.load_from("t", TINY, "272248", "h2", writes(b"ID\r\n\xff\r\n"))
    assert store.loaded("t") is None
    assert rows(store) == []  # a query across datasets no longer shows the old version


def test_fields_are_found_by_header_and_missing_cells_are_null(rows_store: RowsStore) -> None:
    store = rows_store
    text = "名称,ID,経度,余分\r\n市役所,1,135.5,x\r\n図書館\r\n"
    store.load_from("t", TINY, "272248", "h1", writes(text))
    assert [(r["ID"], r["名称"], r["台数"], r["経度"]) for r in rows(store)] == [
        ("1", "市役所", None, 135.5),
        (None, "図書館", None, None),
    ]


def test_a_field_added_to_the_definition_gets_its_column(rows_store: RowsStore) -> None:
    store = rows_store
    store.load_from("t", TINY, "272248", "h1", writes(GOOD))
    grown = Definition(key="tiny", meta=TINY.meta,
                       schema={"fields": [*FIELDS, {"name": "備考", "type": "string"}]})  # fmt: skip
    store.load_from("u", grown, "272051", "h2", writes("ID,備考\r\n9,新しい項目\r\n"))
    assert [r["備考"] for r in rows(store, grown, "u")] == ["新しい項目"]


def test_drop_forgets_the_rows_and_a_failure(rows_store: RowsStore) -> None:
    store = rows_store
    with pytest.raises(RowsUnavailable):
        store.load_from("t", TINY, "272248", "h1", writes(b"\xff"))
    store.drop("t")
    assert store.load_from("t", TINY, "272248", "h1", writes(GOOD)).rows == 2
    store.drop("t")
    assert store.loaded("t") is None and rows(store) == []


def test_readers_see_the_old_rows_until_the_new_ones_are_in(
    open_rows: OpenRows, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer, reader = open_rows(), open_rows()  # another process reads while this one loads
    writer.load_from("t", TINY, "272248", "h1", writes(GOOD))
    seen: list[tuple[str | None, int]] = []
    insert = RowsStore._insert

    def look_meanwhile(self: RowsStore, *args: Any) -> int:
        count = insert(self, *args)  # the new rows are in, not yet committed
        thread = threading.Thread(target=lambda: seen.append(
            (getattr(reader.loaded("t"), "content_hash", None), len(rows(reader)))))  # fmt: skip
        thread.start()
        thread.join(timeout=30)
        return count

    monkeypatch.setattr(RowsStore, "_insert", look_meanwhile)
    three = GOOD + "3,体育館,1,34.9,135.7\r\n"
    assert writer.load_from("t", TINY, "272248", "h2", writes(three)).rows == 3
    assert seen == [("h1", 2)]
    assert (reader.loaded("t").content_hash, len(rows(reader))) == ("h2", 3)  # type: ignore[union-attr]
