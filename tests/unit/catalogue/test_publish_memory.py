"""Publishing a big dataset keeps memory flat (issue 17): the content hash is computed while
reading each file in blocks, and is the same hash as before, so no dataset already
published is republished by an upgrade."""

from __future__ import annotations

import csv
import hashlib
import json
import tracemalloc
from pathlib import Path

from portal.catalogue.base import FileSpec
from portal.catalogue.changes import compare
from portal.catalogue.mapping import content_hash

FILE_MIB = 32
CEILING_MIB = 4  # far below the file: the file is never held whole


def test_content_hash_reads_files_in_blocks_and_keeps_its_value(tmp_path: Path) -> None:
    big = tmp_path / "x.geojson"
    with big.open("wb") as fh:
        for i in range(FILE_MIB):
            fh.write(bytes([i]) * (1 << 20))
    small = tmp_path / "datapackage.json"
    small.write_text('{"name": "x"}', encoding="utf-8")
    files = [FileSpec("x.geojson", big, "GeoJSON", "application/geo+json"),
             FileSpec("datapackage.json", small, "JSON", "application/json")]  # fmt: skip
    metadata = {"title": "避難所", "extras": []}

    tracemalloc.start()
    try:
        digest = content_hash(files, metadata)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert peak < CEILING_MIB << 20, f"hashing a {FILE_MIB} MiB file peaked at {peak >> 20} MiB"
    expected = hashlib.sha256(json.dumps(metadata, ensure_ascii=False, sort_keys=True).encode())
    for f in sorted(files, key=lambda f: f.name):
        expected.update(f.name.encode() + hashlib.sha256(f.path.read_bytes()).digest())
    assert digest == expected.hexdigest()


ROWS = 60_000  # the old summary held both versions as dicts: ~50 MiB for these
COMPARE_CEILING_MIB = 8


def write_table(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["ID", "名称", "住所", "緯度", "経度", "備考"], *rows])
    return path


def facility(number: int, name: str = "公民館") -> list[str]:
    return [f"F{number:06d}", f"{name}{number}", f"焼津市本町{number}丁目", "34.86", "138.32", ""]


def test_a_big_versions_change_summary_keeps_memory_flat(tmp_path: Path) -> None:
    old = [facility(i) for i in range(ROWS)]
    new = [*old[1:], facility(ROWS), facility(ROWS + 1)]  # F000000 removed, two added
    new[10] = facility(11, "図書館")  # F000011 changed
    before = write_table(tmp_path / "before.csv", old)
    after = write_table(tmp_path / "after.csv", new)
    del old, new

    tracemalloc.start()
    try:
        changes = compare(before, after)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert (changes.added, changes.removed, changes.changed, changes.compared_by) == (2, 1, 1, "id")
    assert peak < COMPARE_CEILING_MIB << 20, f"comparing peaked at {peak >> 20} MiB"


def test_without_unique_ids_whole_rows_are_compared(tmp_path: Path) -> None:
    twice = facility(1)
    before = write_table(tmp_path / "before.csv", [twice, twice, facility(2)])
    after = write_table(tmp_path / "after.csv", [twice, facility(2, "図書館"), facility(3)])
    changes = compare(before, after)
    assert (changes.added, changes.removed, changes.changed, changes.compared_by) == (
        2,
        2,
        0,
        "row",
    )
    assert compare(None, after).added == 3 and compare(None, after).compared_by == "none"
